/*
 * Latency of elr_session_run through libelr's C API, measured as elr-run bench measures its own (one clock read on
 * each side of every call, after a warm-up), so the two can be compared on the same model and build:
 *
 *     elr_api_bench MODEL.elr [--batch B] [--runs N] [--threads T]
 *
 * Prints the count, mean and the p50/p90/p99 in microseconds per call. The input is a fixed pseudo-random batch;
 * latency does not depend on the values. Like elr-run bench, it first runs the model for half a second, so clocks and
 * caches settle. scripts/bench-native-api.sh builds it and runs it beside elr-run bench.
 */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "elr.h"

static double now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The q-quantile by linear interpolation between order statistics, as elr-run bench computes it. */
static double quantile(const double *sorted, long count, double q)
{
    double position = q * (double)(count - 1);
    long below = (long)position, above = below + 1 < count ? below + 1 : count - 1;
    return sorted[below] + (sorted[above] - sorted[below]) * (position - (double)below);
}

static long option(int argc, char **argv, const char *name, long fallback)
{
    for (int i = 2; i + 1 < argc; i++)
        if (strcmp(argv[i], name) == 0) {
            char *end;
            long value = strtol(argv[i + 1], &end, 10);
            if (*end != '\0' || value < 1) { fprintf(stderr, "%s needs a positive whole number, not '%s'\n", name, argv[i + 1]); exit(1); }
            return value;
        }
    return fallback;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc % 2 != 0) {
        fprintf(stderr, "usage: %s MODEL.elr [--batch B] [--runs N] [--threads T]\n", argv[0]);
        return 1;
    }
    int32_t batch = (int32_t)option(argc, argv, "--batch", 1);
    long runs = option(argc, argv, "--runs", 20000);
    elr_options options = {0};
    options.max_batch_size = batch;
    options.threads = (int32_t)option(argc, argv, "--threads", 1);

    elr_session *session;
    if (elr_session_open(argv[1], &options, &session) != ELR_OK) {
        fprintf(stderr, "%s\n", elr_last_error_message());
        return 1;
    }
    elr_shape in, out;
    elr_session_input_shape(session, &in);
    elr_session_output_shape(session, &out);
    size_t in_length = (size_t)batch * elr_shape_length(&in), out_length = (size_t)batch * elr_shape_length(&out);
    float *input = malloc(in_length * sizeof(float)), *output = malloc(out_length * sizeof(float));
    unsigned state = 12345;
    for (size_t i = 0; i < in_length; i++) {
        state = state * 1103515245u + 12345u;
        input[i] = (float)(state >> 8) / 16777216.0f;
    }
    double *latency = malloc((size_t)runs * sizeof(double));
    for (double start = now_us(); now_us() - start < 500000;) elr_session_run(session, input, in_length, output, out_length, batch);
    double sum = 0;
    for (long r = 0; r < runs; r++) {
        double start = now_us();
        if (elr_session_run(session, input, in_length, output, out_length, batch) != ELR_OK) {
            fprintf(stderr, "%s\n", elr_last_error_message());
            return 1;
        }
        latency[r] = now_us() - start;
        sum += latency[r];
    }
    qsort(latency, (size_t)runs, sizeof(double), by_value);
    printf("libelr %s  %s  batch %d  threads %d  runs %ld: mean %.2f us  p50 %.2f us  p90 %.2f us  p99 %.2f us\n", elr_version(), argv[1], batch, options.threads, runs,
           sum / (double)runs, quantile(latency, runs, 0.5), quantile(latency, runs, 0.9), quantile(latency, runs, 0.99));
    elr_session_close(session);
    free(latency);
    free(input);
    free(output);
    return 0;
}
