/*
 * Checks libelr.so through its C header, as a C program on the board would use it:
 *
 *     elr_api_check MODEL.elr INPUT.f32 EXPECTED.f32
 *
 * - the golden outputs, one sample at a time (the GEMV kernels), all at once (GEMM), split over three threads, in
 *   passes smaller than the batch (max_batch_size 3), from a model opened from memory, and from two threads sharing
 *   one session;
 * - every bad argument the header names gets its status and a message, leaves *session NULL and the output buffer
 *   untouched; a closed session is refused; damaged model bytes are refused, not run;
 * - integer pixels (elr_session_run_pixels) give the outputs of their floats p / scale bit for bit, by the model's scale
 *   and by given ones, and a byte above the scale is refused by sample and index (on a model that records a scale, as
 *   the golden channel-affine records 16, by that scale with pixel_max 0 too); the model's metadata properties are
 *   enumerated and found, and elr_session_input_pixel_max agrees with its input.pixel-max.
 *
 * An output matches when it is within 1e-5 of the sample's largest expected output (as scripts/lib/golden-models.sh).
 * Prints one line per failed check and a summary; exits 0 only when every check passed.
 * scripts/check-native-api.sh builds it against the published library and runs it natively and under qemu.
 */
#define _XOPEN_SOURCE 700 /* mkdtemp, realpath, symlink */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elr.h"

static int checks, failures;

#define CHECK(condition, ...)                                                  \
    do {                                                                       \
        checks++;                                                              \
        if (!(condition)) {                                                    \
            failures++;                                                        \
            fprintf(stderr, "FAIL line %d: ", __LINE__);                       \
            fprintf(stderr, __VA_ARGS__);                                      \
            fprintf(stderr, " (last error: \"%s\")\n", elr_last_error_message()); \
        }                                                                      \
    } while (0)

typedef struct {
    unsigned char *bytes;
    size_t length;
} blob;

/* A value no run outputs: an output buffer filled with it shows whether a refused call wrote anything. */
#define SENTINEL -12345.0f

static void fill_sentinel(float *output, size_t count)
{
    for (size_t j = 0; j < count; j++) output[j] = SENTINEL;
}

/* Whether every one of count outputs still holds SENTINEL. */
static int untouched(const float *output, size_t count)
{
    for (size_t j = 0; j < count; j++)
        if (output[j] != SENTINEL) return 0;
    return 1;
}

static blob read_file(const char *path)
{
    blob b = {0};
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(2); }
    fseek(f, 0, SEEK_END);
    b.length = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    b.bytes = malloc(b.length ? b.length : 1);
    if (fread(b.bytes, 1, b.length, f) != b.length) { perror(path); exit(2); }
    fclose(f);
    return b;
}

/* The largest error of `count` samples, each relative to its largest expected output. */
static double largest_error(const float *actual, const float *expected, size_t count, size_t outputs)
{
    double worst = 0;
    for (size_t s = 0; s < count; s++) {
        double scale = 0, error = 0;
        for (size_t j = 0; j < outputs; j++) {
            double e = fabs((double)expected[s * outputs + j]);
            if (e > scale) scale = e;
            double d = fabs((double)actual[s * outputs + j] - (double)expected[s * outputs + j]);
            if (d > error || isnan(d)) error = isnan(d) ? INFINITY : d;
        }
        double relative = error / (scale > 0 ? scale : 1);
        if (relative > worst) worst = relative;
    }
    return worst;
}

typedef struct {
    elr_session *session;
    const float *input, *expected;
    size_t samples, in_length, out_length;
    double worst;
    int failed_runs;
} thread_work;

/* Runs every sample, one at a time, 25 times over on a session another thread runs too. */
static void *run_samples(void *argument)
{
    thread_work *w = argument;
    float *output = malloc(w->out_length * sizeof(float));
    for (int round = 0; round < 25; round++) {
        for (size_t s = 0; s < w->samples; s++) {
            if (elr_session_run(w->session, w->input + s * w->in_length, w->in_length, output, w->out_length, 1) != ELR_OK) {
                w->failed_runs++;
                continue;
            }
            double e = largest_error(output, w->expected + s * w->out_length, 1, w->out_length);
            if (e > w->worst) w->worst = e;
        }
    }
    free(output);
    return NULL;
}

static void check_golden(const char *model, blob input_file, blob expected_file)
{
    elr_session *session = NULL;
    CHECK(elr_session_open(model, NULL, &session) == ELR_OK && session != NULL, "open %s", model);
    if (!session) return;
    CHECK(elr_last_error_message()[0] == '\0', "a call that succeeds leaves the message empty");
    elr_shape in, out;
    CHECK(elr_session_input_shape(session, &in) == ELR_OK && in.rank >= 1 && in.rank <= ELR_MAX_RANK, "input shape");
    CHECK(elr_session_output_shape(session, &out) == ELR_OK && out.rank >= 1, "output shape");
    size_t in_length = elr_shape_length(&in), out_length = elr_shape_length(&out);
    size_t samples = input_file.length / sizeof(float) / in_length;
    CHECK(samples > 0 && samples * in_length * sizeof(float) == input_file.length, "the input file holds whole samples of %zu floats", in_length);
    CHECK(expected_file.length == samples * out_length * sizeof(float), "the expected file holds %zu samples of %zu floats", samples, out_length);
    const float *input = (const float *)input_file.bytes, *expected = (const float *)expected_file.bytes;
    float *output = malloc(samples * out_length * sizeof(float));

    for (size_t s = 0; s < samples; s++)
        CHECK(elr_session_run(session, input + s * in_length, in_length, output + s * out_length, out_length, 1) == ELR_OK, "run sample %zu", s);
    double one_at_a_time = largest_error(output, expected, samples, out_length);
    CHECK(one_at_a_time <= 1e-5, "one sample at a time: largest error %.3g", one_at_a_time);

    memset(output, 0, samples * out_length * sizeof(float));
    CHECK(elr_session_run(session, input, samples * in_length, output, samples * out_length, (int32_t)samples) == ELR_OK, "run the batch");
    double batch = largest_error(output, expected, samples, out_length);
    CHECK(batch <= 1e-5, "all %zu samples at once: largest error %.3g", samples, batch);

    /* The batch split over three threads (the LeNet-5 batches are large enough to split). */
    elr_options three_threads = ELR_OPTIONS_INIT;
    three_threads.threads = 3;
    elr_session *split = NULL;
    CHECK(elr_session_open(model, &three_threads, &split) == ELR_OK && split != NULL, "open with 3 threads");
    if (split) {
        memset(output, 0, samples * out_length * sizeof(float));
        CHECK(elr_session_run(split, input, samples * in_length, output, samples * out_length, (int32_t)samples) == ELR_OK, "run the batch on 3 threads");
        double three = largest_error(output, expected, samples, out_length);
        CHECK(three <= 1e-5, "all %zu samples on 3 threads: largest error %.3g", samples, three);
        elr_session_close(split);
    }

    /* Two threads on one session. */
    thread_work work[2];
    pthread_t threads[2];
    for (int t = 0; t < 2; t++) {
        work[t] = (thread_work){session, input, expected, samples, in_length, out_length, 0, 0};
        pthread_create(&threads[t], NULL, run_samples, &work[t]);
    }
    for (int t = 0; t < 2; t++) {
        pthread_join(threads[t], NULL);
        CHECK(work[t].failed_runs == 0 && work[t].worst <= 1e-5, "thread %d: %d failed runs, largest error %.3g", t, work[t].failed_runs, work[t].worst);
    }

    /* Bad arguments: a status, a message naming the function, and the output left alone. */
    fill_sentinel(output, out_length);
    CHECK(elr_session_run(session, input, in_length - 1, output, out_length, 1) == ELR_INVALID_ARGUMENT, "a short input is refused");
    CHECK(strstr(elr_last_error_message(), "elr_session_run: input_length") != NULL, "the message names the function and the parameter");
    CHECK(elr_session_run(session, input, in_length, output, out_length + 1, 1) == ELR_INVALID_ARGUMENT, "a long output is refused");
    CHECK(elr_session_run(session, input, 0, output, 0, 0) == ELR_INVALID_ARGUMENT, "batch 0 is refused");
    CHECK(elr_session_run(session, NULL, in_length, output, out_length, 1) == ELR_INVALID_ARGUMENT, "NULL input is refused");
    CHECK(elr_session_run(session, input, in_length, NULL, out_length, 1) == ELR_INVALID_ARGUMENT, "NULL output is refused");
    CHECK(elr_session_run(NULL, input, in_length, output, out_length, 1) == ELR_INVALID_ARGUMENT, "a NULL session is refused");
    CHECK(untouched(output, out_length), "a refused run writes no output");
    float *shared = malloc((in_length > out_length ? in_length : out_length) * sizeof(float));
    memcpy(shared, input, in_length * sizeof(float));
    CHECK(elr_session_run(session, shared, in_length, shared, out_length, 1) == ELR_INVALID_ARGUMENT, "output over input is refused");
    free(shared);
    CHECK(elr_session_input_shape(session, NULL) == ELR_INVALID_ARGUMENT, "a NULL shape is refused");
    const char *label = "";
    CHECK(elr_session_label(session, 0, &label) == ELR_OK && label != NULL && label[0] != '\0', "the golden models name their classes");
    CHECK(elr_session_label(session, (int32_t)out_length, &label) == ELR_INVALID_ARGUMENT && label == NULL, "a label beyond the outputs is refused");
    CHECK(elr_session_output_shape(NULL, &out) == ELR_INVALID_ARGUMENT, "a shape of a NULL session is refused");
    elr_session_close(session);
    CHECK(elr_session_run(session, input, in_length, output, out_length, 1) == ELR_INVALID_ARGUMENT, "a closed session is refused");
    CHECK(strstr(elr_last_error_message(), "is not open") != NULL, "the message says the session is not open");
    elr_session_close(session); /* closing it again does nothing */

    /* Passes smaller than the batch, and a model opened from memory. */
    blob model_file = read_file(model);
    elr_options passes_of_3 = ELR_OPTIONS_INIT;
    passes_of_3.max_batch_size = 3;
    CHECK(elr_session_open_bytes(model_file.bytes, model_file.length, &passes_of_3, &session) == ELR_OK && session, "open from memory");
    if (session) {
        memset(output, 0, samples * out_length * sizeof(float));
        CHECK(elr_session_run(session, input, samples * in_length, output, samples * out_length, (int32_t)samples) == ELR_OK, "run in passes of 3");
        double passes = largest_error(output, expected, samples, out_length);
        CHECK(passes <= 1e-5, "from memory, in passes of 3: largest error %.3g", passes);
        elr_session_close(session);
    }

    /* Damaged models are refused, whatever the damage. */
    session = (elr_session *)&session;
    CHECK(elr_session_open_bytes(model_file.bytes, model_file.length / 2, NULL, &session) == ELR_INVALID_MODEL && session == NULL, "a truncated model is refused and *session is NULL");
    CHECK(strstr(elr_last_error_message(), "invalid model") != NULL, "the message says the model is invalid");
    model_file.bytes[model_file.length / 2] ^= 0x40;
    CHECK(elr_session_open_bytes(model_file.bytes, model_file.length, NULL, &session) == ELR_INVALID_MODEL, "a model with a flipped bit is refused");
    free(model_file.bytes);
    free(output);
}

/* elr_session_run_pixels on `samples` samples of bytes: the outputs of elr_session_run on the floats p / scale, bit for
 * bit, for the model's scale and given ones; a byte above the scale refused by sample and index with the output left
 * alone; bad arguments refused. elr_session_input_pixel_max agrees with the model's "input.pixel-max" property. */
static void check_pixels(const char *model, size_t samples)
{
    elr_session *session = NULL;
    CHECK(elr_session_open(model, NULL, &session) == ELR_OK && session != NULL, "open %s", model);
    if (!session) return;
    elr_shape in, out;
    elr_session_input_shape(session, &in);
    elr_session_output_shape(session, &out);
    size_t in_length = elr_shape_length(&in), out_length = elr_shape_length(&out), count = samples * in_length;

    int32_t recorded = -1;
    const char *property = NULL;
    CHECK(elr_session_input_pixel_max(session, &recorded) == ELR_OK && recorded >= 0, "the pixel scale: %d", recorded);
    CHECK(elr_session_metadata(session, "input.pixel-max", &property) == ELR_OK, "the input.pixel-max property");
    CHECK(recorded == (property ? atoi(property) : 0), "elr_session_input_pixel_max gives %d, the property is \"%s\"", recorded, property ? property : "(none)");
    CHECK(elr_session_input_pixel_max(NULL, &recorded) == ELR_INVALID_ARGUMENT, "a pixel scale of a NULL session is refused");
    CHECK(elr_session_input_pixel_max(session, NULL) == ELR_INVALID_ARGUMENT, "a NULL pixel_max pointer is refused");

    uint8_t *pixels = malloc(count);
    float *floats = malloc(count * sizeof(float));
    float *expected = malloc(samples * out_length * sizeof(float)), *output = malloc(samples * out_length * sizeof(float));
    const int32_t scales[] = {0, 16, 255, 1000};
    for (size_t k = 0; k < sizeof scales / sizeof scales[0]; k++) {
        int32_t pixel_max = scales[k], scale = pixel_max > 0 ? pixel_max : recorded > 0 ? recorded : 255;
        for (size_t i = 0; i < count; i++) {
            pixels[i] = (uint8_t)((i * 37 + k) % ((scale < 255 ? scale : 255) + 1));
            floats[i] = (float)pixels[i] / (float)scale;
        }
        CHECK(elr_session_run(session, floats, count, expected, samples * out_length, (int32_t)samples) == ELR_OK, "run the floats of scale %d", scale);
        memset(output, 0, samples * out_length * sizeof(float));
        CHECK(elr_session_run_pixels(session, pixels, count, pixel_max, output, samples * out_length, (int32_t)samples) == ELR_OK,
              "run %zu samples of pixels, pixel_max %d", samples, pixel_max);
        CHECK(memcmp(output, expected, samples * out_length * sizeof(float)) == 0, "pixels by pixel_max %d give the outputs of the floats p / %d, bit for bit", pixel_max, scale);
    }

    /* On a model that records a scale below 255 (the golden channel-affine records 16), pixel_max 0 took it in the loop
       above, bit for bit; a byte one above it, in the last sample, is refused by that scale, and no output written. */
    char named[96];
    if (recorded > 0 && recorded < 255) {
        memset(pixels, 0, count);
        pixels[count - 1] = (uint8_t)(recorded + 1);
        fill_sentinel(output, samples * out_length);
        CHECK(elr_session_run_pixels(session, pixels, count, 0, output, samples * out_length, (int32_t)samples) == ELR_INVALID_ARGUMENT,
              "a byte of %d is refused by the model's scale %d (pixel_max 0)", recorded + 1, recorded);
        snprintf(named, sizeof named, "is %d, above the full scale %d (the model's input.pixel-max)", recorded + 1, recorded);
        CHECK(strstr(elr_last_error_message(), named) != NULL, "the message names the byte and the model's scale: \"%s\"", named);
        CHECK(untouched(output, samples * out_length), "a pixel run refused by the model's scale writes no output");
    }

    /* A byte above the scale: refused, named, and no output written. */
    memset(pixels, 0, count);
    size_t at = (samples > 1 ? in_length : 0) + 2;
    pixels[at] = 17;
    fill_sentinel(output, samples * out_length);
    CHECK(elr_session_run_pixels(session, pixels, count, 16, output, samples * out_length, (int32_t)samples) == ELR_INVALID_ARGUMENT, "a byte above pixel_max is refused");
    snprintf(named, sizeof named, "(sample %zu, index 2) is 17, above the full scale 16 (pixel_max 16;", samples > 1 ? (size_t)1 : (size_t)0);
    CHECK(strstr(elr_last_error_message(), named) != NULL, "the message names the sample, the index, the byte and the scale: \"%s\"", named);
    CHECK(elr_session_run_pixels(session, pixels, count, 16, output, samples * out_length, 0) == ELR_INVALID_ARGUMENT, "batch 0 is refused");
    CHECK(elr_session_run_pixels(session, pixels, count - 1, 16, output, samples * out_length, (int32_t)samples) == ELR_INVALID_ARGUMENT, "short pixels are refused");
    CHECK(strstr(elr_last_error_message(), "elr_session_run_pixels: pixels_length") != NULL, "the message names the function and the parameter");
    CHECK(elr_session_run_pixels(session, pixels, count, 16, output, samples * out_length + 1, (int32_t)samples) == ELR_INVALID_ARGUMENT, "a long output is refused");
    CHECK(elr_session_run_pixels(session, NULL, count, 16, output, samples * out_length, (int32_t)samples) == ELR_INVALID_ARGUMENT, "NULL pixels are refused");
    CHECK(elr_session_run_pixels(session, pixels, count, 16, NULL, samples * out_length, (int32_t)samples) == ELR_INVALID_ARGUMENT, "NULL output is refused");
    CHECK(elr_session_run_pixels(session, pixels, count, -1, output, samples * out_length, (int32_t)samples) == ELR_INVALID_ARGUMENT, "a negative pixel_max is refused");
    CHECK(elr_session_run_pixels(NULL, pixels, count, 16, output, samples * out_length, (int32_t)samples) == ELR_INVALID_ARGUMENT, "a NULL session is refused");
    CHECK(untouched(output, samples * out_length), "a refused pixel run writes no output");
    float *shared = malloc(count + samples * out_length * sizeof(float));
    memset(shared, 0, count + samples * out_length * sizeof(float));
    CHECK(elr_session_run_pixels(session, (const uint8_t *)shared, count, 0, shared, samples * out_length, (int32_t)samples) == ELR_INVALID_ARGUMENT,
          "output over pixels is refused");
    free(shared);
    CHECK(elr_session_run_pixels(session, pixels, count, 255, output, samples * out_length, (int32_t)samples) == ELR_OK, "the same bytes by pixel_max 255 run");
    free(pixels);
    free(floats);
    free(expected);
    free(output);
    elr_session_close(session);
}

/* The model's metadata properties: counted, each key enumerated and found, an absent key NULL, an index past them refused. */
static void check_metadata(const char *model)
{
    elr_session *session = NULL;
    CHECK(elr_session_open(model, NULL, &session) == ELR_OK && session != NULL, "open %s", model);
    if (!session) return;
    int32_t count = -1;
    CHECK(elr_session_metadata_count(session, &count) == ELR_OK && count > 0, "the golden models record properties: %d", count);
    const char *previous = "";
    for (int32_t i = 0; i < count; i++) {
        const char *key = NULL, *value = NULL;
        CHECK(elr_session_metadata_key(session, i, &key) == ELR_OK && key != NULL, "key %d", i);
        if (!key) continue;
        CHECK(strcmp(previous, key) < 0, "keys in byte order: \"%s\" after \"%s\"", key, previous);
        CHECK(elr_session_metadata(session, key, &value) == ELR_OK && value != NULL, "the value of \"%s\"", key);
        previous = key;
    }
    const char *value = "", *key = "";
    CHECK(elr_session_metadata(session, "description", &value) == ELR_OK && value != NULL && value[0] != '\0', "the golden models describe themselves");
    CHECK(elr_session_metadata(session, "no such key", &value) == ELR_OK && value == NULL, "an absent property is NULL");
    CHECK(elr_session_metadata_key(session, count, &key) == ELR_INVALID_ARGUMENT && key == NULL, "a key past the last is refused, *key NULL");
    CHECK(elr_session_metadata(session, NULL, &value) == ELR_INVALID_ARGUMENT, "a NULL key is refused");
    CHECK(elr_session_metadata(NULL, "description", &value) == ELR_INVALID_ARGUMENT && value == NULL, "a NULL session is refused, *value NULL");
    CHECK(elr_session_metadata_count(session, NULL) == ELR_INVALID_ARGUMENT, "a NULL count pointer is refused");
    elr_session_close(session);
}

static void check_opening(const char *model)
{
    elr_session *session = (elr_session *)&session;
    elr_options negative = ELR_OPTIONS_INIT, too_many_threads = ELR_OPTIONS_INIT;
    negative.max_batch_size = -1;
    too_many_threads.threads = 257;
    CHECK(elr_session_open("no/such/model.elr", NULL, &session) == ELR_FILE_ERROR && session == NULL, "a missing file");
    CHECK(strstr(elr_last_error_message(), "does not exist") != NULL, "the message says the file does not exist");
    CHECK(elr_session_open("/", NULL, &session) == ELR_FILE_ERROR, "a folder");
    CHECK(elr_session_open("/dev/null", NULL, &session) == ELR_FILE_ERROR, "an empty device");
    CHECK(elr_session_open(NULL, NULL, &session) == ELR_INVALID_ARGUMENT, "a NULL path");
    CHECK(elr_session_open(model, NULL, NULL) == ELR_INVALID_ARGUMENT, "a NULL session pointer");
    CHECK(elr_session_open(model, &negative, &session) == ELR_INVALID_ARGUMENT && session == NULL, "a negative max_batch_size");
    CHECK(elr_session_open(model, &too_many_threads, &session) == ELR_INVALID_ARGUMENT && session == NULL, "257 threads");
    elr_options dirty = ELR_OPTIONS_INIT;
    dirty.reserved[0] = 7;
    CHECK(elr_session_open(model, &dirty, &session) == ELR_INVALID_ARGUMENT && session == NULL, "a reserved word not 0");
    CHECK(sizeof(elr_options) == 32, "elr_options is 32 bytes, not %zu", sizeof(elr_options));
    CHECK(elr_session_open_bytes(NULL, 10, NULL, &session) == ELR_INVALID_ARGUMENT, "NULL bytes");
    elr_session_close(NULL);

    /* A path that is not UTF-8 (Latin-1's é, 0xE9) is refused by its byte, though it names the model (through a link):
       decoded leniently it became U+FFFD and named a file that does not exist. */
    char folder[] = "/tmp/elr_api_check.XXXXXX", path[64], named[96];
    char *target = realpath(model, NULL);
    int made = target != NULL && mkdtemp(folder) != NULL;
    /* Checked, not skipped: a failure here would otherwise leave the UTF-8 check out without a word. */
    CHECK(made, "the model's real path and a temporary folder for the non-UTF-8 link (%s)", target ? folder : model);
    if (made) {
        snprintf(path, sizeof path, "%s/latin\xe9.elr", folder);
        CHECK(symlink(target, path) == 0, "link %s to the model", path);
        CHECK(elr_session_open(path, NULL, &session) == ELR_INVALID_ARGUMENT && session == NULL, "a path that is not UTF-8");
        snprintf(named, sizeof named, "model_path is not valid UTF-8: byte 0xE9 at offset %zu", strlen(folder) + 6);
        CHECK(strstr(elr_last_error_message(), named) != NULL, "the message names the byte and its offset: \"%s\"", named);
        unlink(path);
        rmdir(folder);
    }
    free(target);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s MODEL.elr INPUT.f32 EXPECTED.f32\n", argv[0]);
        return 2;
    }
    /* The first call into the library is elr_session_open, as in the README: the call that starts the runtime must be
       able to be any function. (elr_session_open first ended the process once: its frame's stack cookie was read before
       the runtime that sets it had started.) */
    elr_options first = ELR_OPTIONS_INIT;
    elr_session *session = NULL;
    CHECK(elr_session_open(argv[1], &first, &session) == ELR_OK && session != NULL, "elr_session_open as the first call");
    elr_session_close(session);
    CHECK(elr_api_version() == ELR_API_VERSION, "the library's API version %d is the header's %d", elr_api_version(), ELR_API_VERSION);
    CHECK(elr_version()[0] >= '0' && elr_version()[0] <= '9', "a release number: \"%s\"", elr_version());
    CHECK(strcmp(elr_status_name(ELR_INVALID_MODEL), "ELR_INVALID_MODEL") == 0, "a status's name: %s", elr_status_name(ELR_INVALID_MODEL));
    CHECK(strcmp(elr_status_name((elr_status)99), "ELR_UNKNOWN_STATUS") == 0, "an unknown status's name: %s", elr_status_name((elr_status)99));
    check_opening(argv[1]);
    check_golden(argv[1], read_file(argv[2]), read_file(argv[3]));
    check_pixels(argv[1], 3);
    check_pixels(argv[1], 1);
    check_metadata(argv[1]);
    printf("%d of %d checks passed (libelr %s)\n", checks - failures, checks, elr_version());
    return failures == 0 ? 0 : 1;
}
