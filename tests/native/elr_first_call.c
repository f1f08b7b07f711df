/*
 * Calls one function of libelr.so as the process's first call into the library, then checks that the library works:
 *
 *     elr_first_call FUNCTION MODEL.elr     (FUNCTION: one of the names `elr_first_call --list` prints)
 *
 * The first call into a NativeAOT library starts its runtime. An export whose frame needs that runtime before it has
 * started (a stack cookie, once: elr_session_open ended the process) fails only when it is that first call, so every
 * export gets a process of its own in which it is. Exits 0 when the call returned what the header says and a session
 * then opened and ran; scripts/check-native-api.sh runs it for every function, natively and under qemu.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elr.h"

static const char *const functions[] = {
    "elr_status_name", "elr_api_version", "elr_version", "elr_last_error_message", "elr_session_open",
    "elr_session_open_bytes", "elr_session_input_shape", "elr_session_output_shape", "elr_session_label",
    "elr_session_run", "elr_session_close",
};
#define FUNCTION_COUNT (sizeof functions / sizeof functions[0])

/* Calls `name` first, with the arguments it refuses (NULL sessions) or with the model, and says whether it answered as
 * the header says. */
static int first_call(const char *name, const char *model)
{
    elr_session *session = NULL;
    elr_shape shape;
    const char *label = NULL;
    float value = 0;
    static const unsigned char not_a_model[16] = {0};
    if (strcmp(name, "elr_status_name") == 0) return strcmp(elr_status_name(ELR_OK), "ELR_OK") == 0;
    if (strcmp(name, "elr_api_version") == 0) return elr_api_version() == ELR_API_VERSION;
    if (strcmp(name, "elr_version") == 0) return elr_version()[0] != '\0';
    if (strcmp(name, "elr_last_error_message") == 0) return elr_last_error_message()[0] == '\0'; /* no call has failed yet */
    if (strcmp(name, "elr_session_open") == 0) {
        int ok = elr_session_open(model, NULL, &session) == ELR_OK && session != NULL;
        elr_session_close(session);
        return ok;
    }
    if (strcmp(name, "elr_session_open_bytes") == 0)
        return elr_session_open_bytes(not_a_model, sizeof not_a_model, NULL, &session) == ELR_INVALID_MODEL && session == NULL;
    if (strcmp(name, "elr_session_input_shape") == 0) return elr_session_input_shape(NULL, &shape) == ELR_INVALID_ARGUMENT;
    if (strcmp(name, "elr_session_output_shape") == 0) return elr_session_output_shape(NULL, &shape) == ELR_INVALID_ARGUMENT;
    if (strcmp(name, "elr_session_label") == 0) return elr_session_label(NULL, 0, &label) == ELR_INVALID_ARGUMENT;
    if (strcmp(name, "elr_session_run") == 0) return elr_session_run(NULL, &value, 1, &value, 1, 1) == ELR_INVALID_ARGUMENT;
    if (strcmp(name, "elr_session_close") == 0) {
        elr_session_close(NULL);
        return 1;
    }
    fprintf(stderr, "unknown function %s (see --list)\n", name);
    exit(2);
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--list") == 0) {
        for (size_t i = 0; i < FUNCTION_COUNT; i++) puts(functions[i]);
        return 0;
    }
    if (argc != 3) {
        fprintf(stderr, "usage: %s FUNCTION MODEL.elr | --list\n", argv[0]);
        return 2;
    }
    if (!first_call(argv[1], argv[2])) {
        printf("%s as the first call did not answer as elr.h says (last error: \"%s\")\n", argv[1], elr_last_error_message());
        return 1;
    }
    /* The library works after it: a session opens and runs one sample of zeros. */
    elr_session *session = NULL;
    elr_shape in, out;
    if (elr_session_open(argv[2], NULL, &session) != ELR_OK || elr_session_input_shape(session, &in) != ELR_OK
        || elr_session_output_shape(session, &out) != ELR_OK) {
        printf("after %s, opening %s failed: %s\n", argv[1], argv[2], elr_last_error_message());
        return 1;
    }
    float *input = calloc(elr_shape_length(&in), sizeof(float)), *output = calloc(elr_shape_length(&out), sizeof(float));
    if (!input || !output) {
        printf("out of memory for one sample\n");
        return 2;
    }
    elr_status status = elr_session_run(session, input, elr_shape_length(&in), output, elr_shape_length(&out), 1);
    elr_session_close(session);
    free(input);
    free(output);
    if (status != ELR_OK) {
        printf("after %s, a run failed: %s\n", argv[1], elr_last_error_message());
        return 1;
    }
    printf("%s first, then a session ran\n", argv[1]);
    return 0;
}
