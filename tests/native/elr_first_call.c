/*
 * Calls one function of libelr.so as the process's first call into the library, then checks that the library works:
 *
 *     elr_first_call FUNCTION MODEL.elr     (FUNCTION: one of the names `elr_first_call --list` prints)
 *     elr_first_call --together MODEL.elr   (every function at once, one thread each, as the process's first calls)
 *
 * The first call into a NativeAOT library starts its runtime. An export whose frame needs that runtime before it has
 * started (a stack cookie, once: elr_session_open ended the process) fails only when it is that first call, so every
 * export gets a process of its own in which it is. With --together, threads released by one barrier make all the first
 * calls at the same moment, so the runtime starts while other threads are already calling in. Exits 0 when every call
 * returned what the header says and a session then opened and ran (in every thread); scripts/check-native-api.sh runs
 * it for every function and together, natively and under qemu.
 */
#define _POSIX_C_SOURCE 200809L /* pthread_barrier_t */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elr.h"

static const char *const functions[] = {
    "elr_status_name", "elr_api_version", "elr_version", "elr_last_error_message", "elr_session_open",
    "elr_session_open_bytes", "elr_session_input_shape", "elr_session_output_shape", "elr_session_label",
    "elr_session_run", "elr_session_close", "elr_session_input_pixel_max", "elr_session_run_pixels", "elr_session_metadata",
    "elr_session_metadata_count", "elr_session_metadata_key",
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
    uint8_t pixel = 0;
    int32_t count = 0;
    const char *text = "unset"; /* a refused metadata call must set it to NULL */
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
    if (strcmp(name, "elr_session_input_pixel_max") == 0) return elr_session_input_pixel_max(NULL, &count) == ELR_INVALID_ARGUMENT;
    if (strcmp(name, "elr_session_run_pixels") == 0) return elr_session_run_pixels(NULL, &pixel, 1, 0, &value, 1, 1) == ELR_INVALID_ARGUMENT;
    if (strcmp(name, "elr_session_metadata") == 0) return elr_session_metadata(NULL, "model", &text) == ELR_INVALID_ARGUMENT && text == NULL;
    if (strcmp(name, "elr_session_metadata_count") == 0) return elr_session_metadata_count(NULL, &count) == ELR_INVALID_ARGUMENT;
    if (strcmp(name, "elr_session_metadata_key") == 0) return elr_session_metadata_key(NULL, 0, &text) == ELR_INVALID_ARGUMENT && text == NULL;
    if (strcmp(name, "elr_session_close") == 0) {
        elr_session_close(NULL);
        return 1;
    }
    fprintf(stderr, "unknown function %s (see --list)\n", name);
    exit(2);
}

/* Opens `model`, runs one sample of zeros and closes it; on failure writes why into `why` and returns 0. */
static int session_runs(const char *model, char *why, size_t size)
{
    elr_session *session = NULL;
    elr_shape in, out;
    if (elr_session_open(model, NULL, &session) != ELR_OK || elr_session_input_shape(session, &in) != ELR_OK
        || elr_session_output_shape(session, &out) != ELR_OK) {
        snprintf(why, size, "opening %s failed: %s", model, elr_last_error_message());
        elr_session_close(session);
        return 0;
    }
    float *input = calloc(elr_shape_length(&in), sizeof(float)), *output = calloc(elr_shape_length(&out), sizeof(float));
    elr_status status = input && output ? elr_session_run(session, input, elr_shape_length(&in), output, elr_shape_length(&out), 1)
                                        : ELR_OUT_OF_MEMORY;
    elr_session_close(session);
    free(input);
    free(output);
    if (status != ELR_OK) snprintf(why, size, "a run failed: %s", status == ELR_OUT_OF_MEMORY ? "out of memory" : elr_last_error_message());
    return status == ELR_OK;
}

typedef struct {
    const char *function;
    const char *model;
    pthread_barrier_t *start;
    int ok;
    char why[512];
} racer;

/* One thread of --together: waits for the others, then makes its function its first call and runs a session. */
static void *race(void *argument)
{
    racer *r = argument;
    pthread_barrier_wait(r->start);
    if (!first_call(r->function, r->model))
        snprintf(r->why, sizeof r->why, "did not answer as elr.h says (last error: \"%s\")", elr_last_error_message());
    else
        r->ok = session_runs(r->model, r->why, sizeof r->why);
    return NULL;
}

/* Every function at once, each the first call of its own thread. */
static int together(const char *model)
{
    racer racers[FUNCTION_COUNT] = {0};
    pthread_t threads[FUNCTION_COUNT];
    pthread_barrier_t start;
    if (pthread_barrier_init(&start, NULL, FUNCTION_COUNT) != 0) {
        printf("no barrier for %zu threads\n", FUNCTION_COUNT);
        return 2;
    }
    for (size_t i = 0; i < FUNCTION_COUNT; i++) {
        racers[i] = (racer){.function = functions[i], .model = model, .start = &start};
        if (pthread_create(&threads[i], NULL, race, &racers[i]) != 0) {
            printf("could not start thread %zu\n", i);
            return 2; /* the started threads wait at the barrier forever: exiting ends them */
        }
    }
    int failed = 0;
    for (size_t i = 0; i < FUNCTION_COUNT; i++) {
        pthread_join(threads[i], NULL);
        if (!racers[i].ok) {
            printf("%s, one of %zu first calls made together: %s\n", racers[i].function, FUNCTION_COUNT, racers[i].why);
            failed = 1;
        }
    }
    pthread_barrier_destroy(&start);
    if (!failed) printf("%zu functions first, together on %zu threads, then a session ran on each\n", FUNCTION_COUNT, FUNCTION_COUNT);
    return failed;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--list") == 0) {
        for (size_t i = 0; i < FUNCTION_COUNT; i++) puts(functions[i]);
        return 0;
    }
    if (argc != 3) {
        fprintf(stderr, "usage: %s FUNCTION MODEL.elr | --together MODEL.elr | --list\n", argv[0]);
        return 2;
    }
    if (strcmp(argv[1], "--together") == 0) return together(argv[2]);
    if (!first_call(argv[1], argv[2])) {
        printf("%s as the first call did not answer as elr.h says (last error: \"%s\")\n", argv[1], elr_last_error_message());
        return 1;
    }
    char why[512];
    if (!session_runs(argv[2], why, sizeof why)) {
        printf("after %s, %s\n", argv[1], why);
        return 1;
    }
    printf("%s first, then a session ran\n", argv[1]);
    return 0;
}
