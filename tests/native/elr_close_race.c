/*
 * Closes a session while other threads are calling into it, many times over:
 *
 *     elr_close_race MODEL.elr ROUNDS
 *
 * Each round opens the model with two threads per run, starts four threads that call every session function in turn
 * (batch-64 runs of floats and of pixels, shapes, a label, the metadata) until one is refused, and closes the session
 * from the main thread at a pseudo-random moment while they do. Every call must return ELR_OK (it found the session open
 * and ran on it whole) or ELR_INVALID_ARGUMENT saying the session is not open; the process must not die (a close that
 * freed the model under a run once ended it with SIGABRT, or the run with ELR_INTERNAL_ERROR). Calls that were running
 * when the close began and still returned ELR_OK are counted: none in every round would mean the close never overlapped
 * a call, and the check proved nothing. scripts/check-native-api.sh runs it natively and under qemu.
 */
#define _POSIX_C_SOURCE 200809L /* pthread_barrier_t, nanosleep */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "elr.h"

#define CALLERS 4
#define BATCH 64

typedef struct {
    elr_session *session;
    size_t in_length, out_length;
    pthread_barrier_t *start;
    atomic_int *calls_made, *closing;
    long calls, overlapping;
    char failure[512];
} caller;

/* Call number n of the cycle through the session's functions. */
static elr_status call(caller *c, long n, const float *input, const uint8_t *pixels, float *output)
{
    elr_shape shape;
    const char *text = NULL;
    int32_t count = 0;
    switch (n % 8) {
    case 0: return elr_session_run(c->session, input, BATCH * c->in_length, output, BATCH * c->out_length, BATCH);
    case 1: return elr_session_run_pixels(c->session, pixels, BATCH * c->in_length, 0, output, BATCH * c->out_length, BATCH);
    case 2: return elr_session_input_shape(c->session, &shape);
    case 3: return elr_session_label(c->session, 0, &text);
    case 4: return elr_session_metadata(c->session, "description", &text);
    case 5: return elr_session_metadata_count(c->session, &count);
    case 6: return elr_session_metadata_key(c->session, 0, &text);
    default: return elr_session_input_pixel_max(c->session, &count);
    }
}

/* Calls until a call is refused as not open; any other failure is written to c->failure. */
static void *keep_calling(void *argument)
{
    caller *c = argument;
    float *input = calloc(BATCH * c->in_length, sizeof(float)), *output = malloc(BATCH * c->out_length * sizeof(float));
    uint8_t *pixels = calloc(BATCH * c->in_length, 1);
    pthread_barrier_wait(c->start);
    for (long n = 0;; n++) {
        int closing_before = atomic_load(c->closing);
        elr_status status = call(c, n, input, pixels, output);
        c->calls++;
        atomic_fetch_add(c->calls_made, 1);
        if (status == ELR_OK) {
            if (!closing_before && atomic_load(c->closing)) c->overlapping++;
            continue;
        }
        if (status != ELR_INVALID_ARGUMENT || strstr(elr_last_error_message(), "is not open") == NULL)
            snprintf(c->failure, sizeof c->failure, "call %ld (function %ld of the cycle) returned %s: \"%s\"", n, n % 8,
                     elr_status_name(status), elr_last_error_message());
        break;
    }
    free(input);
    free(output);
    free(pixels);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 3 || atoi(argv[2]) < 1) {
        fprintf(stderr, "usage: %s MODEL.elr ROUNDS\n", argv[0]);
        return 2;
    }
    int rounds = atoi(argv[2]), failures = 0;
    long calls = 0, overlapping = 0;
    unsigned seed = 1;
    for (int round = 1; round <= rounds; round++) {
        elr_options options = ELR_OPTIONS_INIT;
        options.threads = 2;
        elr_session *session = NULL;
        if (elr_session_open(argv[1], &options, &session) != ELR_OK) {
            fprintf(stderr, "round %d: open %s: %s\n", round, argv[1], elr_last_error_message());
            return 1;
        }
        elr_shape in, out;
        elr_session_input_shape(session, &in);
        elr_session_output_shape(session, &out);
        pthread_barrier_t start;
        pthread_barrier_init(&start, NULL, CALLERS + 1);
        atomic_int calls_made = 0, closing = 0;
        caller callers[CALLERS];
        pthread_t threads[CALLERS];
        for (int t = 0; t < CALLERS; t++) {
            callers[t] = (caller){session, elr_shape_length(&in), elr_shape_length(&out), &start, &calls_made, &closing, 0, 0, ""};
            pthread_create(&threads[t], NULL, keep_calling, &callers[t]);
        }
        pthread_barrier_wait(&start);
        /* Close once every caller is likely under way, at a moment that differs from round to round (0-1 ms later). */
        while (atomic_load(&calls_made) < CALLERS) sched_yield();
        struct timespec pause = {0, (long)(rand_r(&seed) % 1000) * 1000};
        nanosleep(&pause, NULL);
        atomic_store(&closing, 1);
        elr_session_close(session);
        for (int t = 0; t < CALLERS; t++) {
            pthread_join(threads[t], NULL);
            calls += callers[t].calls;
            overlapping += callers[t].overlapping;
            if (callers[t].failure[0]) {
                fprintf(stderr, "FAIL round %d, thread %d: %s\n", round, t, callers[t].failure);
                failures++;
            }
        }
        pthread_barrier_destroy(&start);
    }
    if (overlapping == 0) {
        fprintf(stderr, "FAIL no call was running when its session's close began, in %d rounds: the race was not tried\n", rounds);
        failures++;
    }
    printf("%d rounds of %d threads calling while another closed the session: %ld calls, %ld running as the close began "
           "returned ELR_OK, the rest ELR_OK or refused as not open; %d failures\n", rounds, CALLERS, calls, overlapping, failures);
    return failures == 0 ? 0 : 1;
}
