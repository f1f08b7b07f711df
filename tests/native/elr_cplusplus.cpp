// elr.h from C++: the header promises C++ callers, and C's `elr_options options = {0};` fails g++ -Wall -Wextra -Werror
// (-Wmissing-field-initializers). scripts/check-native-api.sh compiles this file as C++11 with those flags; it only has
// to compile, so it is not linked or run.
#include <elr.h>

int main()
{
    elr_options options = ELR_OPTIONS_INIT;   // the initializer the header documents for C and C++
    options.threads = 2;
    elr_session *session = nullptr;
    if (elr_session_open("model.elr", &options, &session) != ELR_OK) return 1;
    elr_shape in = elr_shape();
    elr_session_input_shape(session, &in);
    elr_session_close(session);
    return static_cast<int>(elr_shape_length(&in) == 0);
}
