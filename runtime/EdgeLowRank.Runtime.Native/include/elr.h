/*
 * elr.h: the C API of libelr.so, the EdgeLowRank runtime published with NativeAOT.
 *
 * Load an .elr model (written by the compressor, `elr compress` or `elr train`), ask for its input and output
 * shapes, and run batches of samples: the same runtime and SIMD kernels as `elr-run` (AdvSimd on arm64; AVX2 or
 * AVX-512 on x64), callable from C, C++, or any language with a C foreign-function interface.
 *
 *     elr_session *session = NULL;
 *     if (elr_session_open("lenet5.elr", NULL, &session) != ELR_OK) {
 *         fprintf(stderr, "%s\n", elr_last_error_message());
 *         return 1;
 *     }
 *     elr_shape in, out;
 *     elr_session_input_shape(session, &in);
 *     elr_session_output_shape(session, &out);
 *     ... fill `batch * elr_shape_length(&in)` floats of input ...
 *     elr_status status = elr_session_run(session, input, batch * elr_shape_length(&in),
 *                                         output, batch * elr_shape_length(&out), batch);
 *     elr_session_close(session);
 *
 * Samples are stored one after another; an image is channels-last (height, width, channels), as the model's input
 * shape says. The outputs are the last layer's values (logits for the zoo's classifiers), one sample after another.
 *
 * Integer pixels (a camera's bytes, an 8-bit image) go through elr_session_run_pixels, which divides each by the full
 * scale the model was trained on (elr_session_input_pixel_max: 255 for MNIST's 0-255 images, 16 for the UCI digits'
 * 0-16), so the caller need not know it:
 *
 *     elr_status status = elr_session_run_pixels(session, bytes, batch * elr_shape_length(&in), 0,
 *                                                output, batch * elr_shape_length(&out), batch);
 *
 * Errors: every function that can fail returns an elr_status and never aborts the process on a bad argument or a bad
 * model. Each such call replaces the calling thread's error message (elr_last_error_message), with "" when it
 * succeeds. NULL is refused wherever a pointer is needed, and so is a session that was closed; a pointer to memory
 * that is not what the call says (too short, freed) is undefined behaviour, as in any C library.
 *
 * Threads: elr_session_run may be called on one session from several threads at once; each call uses its own
 * activation memory. With elr_options.threads above 1, one call also uses the session's threads: its batch is split
 * into parts of samples, or, for a batch too small for that (one image), each large layer across the threads.
 * Opening, the queries and closing are thread-safe too, and a session may be closed while other threads are calling
 * into it: elr_session_close refuses their new calls at once (ELR_INVALID_ARGUMENT, "not open"), waits for the calls
 * already inside to return (each whole, as if the close came after it), and only then frees the session. The strings a
 * session handed out (labels, metadata) must not be read once the close has begun.
 *
 * Memory: a session holds the model (memory-mapped from its file, which must not change while the session is open:
 * truncating it ends the process with SIGBUS, copying another model over it gives wrong outputs; replace a model by
 * writing a new file and renaming it over the old one, or open it with elr_session_open_bytes, which copies it) and
 * activation arenas, one per run in progress and one per part of a split run: `threads` of them are made when
 * the session opens, and it keeps as many more as there are CPUs (at least 2) for busier moments; a run that finds
 * none free makes and frees its own. elr_session_run allocates nothing else.
 *
 * Process: the first call starts the library's .NET runtime, which sets SIGPIPE to ignored (writes to a closed pipe
 * then fail with EPIPE: set it back to SIG_DFL after that call if the program relies on it; the library writes to no
 * pipe) and installs a SIGSEGV handler that passes faults outside the runtime to the handler it found (install your own
 * before the first call); SIGINT and SIGTERM handlers are left alone. The runtime's threads do not survive fork(): a
 * child must not call the library after its parent has (it ends with SIGABRT); fork before the first call, or exec in
 * the child (Python's multiprocessing: the 'spawn' or 'forkserver' start method).
 *
 * CPU: the library is compiled for one instruction set (scripts/publish.sh's INSTRUCTION_SET). On a CPU without it, the
 * first call prints "The required instruction sets are not supported by the current CPU" and ends the process, so
 * scripts/publish-pi.sh builds it for armv8.0-a, which every 64-bit Raspberry Pi runs.
 *
 * Language: C99 or later, or C++.
 */
#ifndef ELR_H
#define ELR_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The version of this header's API. elr_api_version() returns the library's; a program should refuse to run with a
 * library whose version differs from the one it was compiled against. The library's ELF SONAME carries it too
 * (libelr.so.3), so a program linked with -lelr does not load a library of another API in the first place.
 * 3 added elr_session_input_pixel_max, elr_session_run_pixels and the elr_session_metadata functions. */
#define ELR_API_VERSION 3

/* The most dimensions a sample's shape may have. */
#define ELR_MAX_RANK 4

/* What a call did. 1-3 are the exit codes elr-run uses for the same failures. */
typedef enum elr_status {
    ELR_OK = 0,
    /* A null pointer, a batch size below 1, a buffer length that does not match the batch and the model, an index out of
     * range, a pixel above the full scale, or a model path that is not UTF-8. */
    ELR_INVALID_ARGUMENT = 1,
    /* The file or bytes are not a valid .elr model, or the model needs a newer runtime than this library. */
    ELR_INVALID_MODEL = 2,
    /* The model file cannot be read: missing, a folder, empty, a pipe or device, or not readable. */
    ELR_FILE_ERROR = 3,
    /* The session's memory or threads could not be allocated (a smaller max_batch_size or fewer threads need less). */
    ELR_OUT_OF_MEMORY = 4,
    /* A bug in libelr. Please report it with the model and the call that caused it. */
    ELR_INTERNAL_ERROR = 5
} elr_status;

/* A loaded model, ready to run. Opaque. */
typedef struct elr_session elr_session;

/* How a session runs. Initialize it with ELR_OPTIONS_INIT (elr_options options = ELR_OPTIONS_INIT;) and set what you
 * need: every 0 is the default, and a NULL options pointer is every default. Options a later version adds take the
 * reserved words, where 0 keeps meaning the default, so a program built against this header works with that library
 * unchanged. */
typedef struct elr_options {
    /* The largest batch run in one pass, which sizes the activation memory (larger batches are split into passes).
     * 0: 64, or the most the model's buffers hold when that is less. */
    int32_t max_batch_size;
    /* Threads one elr_session_run uses, at most 256: the calling thread and threads - 1 worker threads the session keeps
     * until it is closed. A batch large enough (a million multiply-adds per thread or more, two samples a part) is split
     * into parts of samples; a smaller one (one image) has each layer's matrix product of 500,000 multiply-adds or more
     * split by output columns (or by rows, for a convolution with more pixels than output channels), and its other large
     * layers by output rows, elements, pixels or channels. Outputs are the same, bit for bit, either way. Calls on several threads at once share
     * those workers. 0 or 1: every run on its caller alone. */
    int32_t threads;
    /* Must be 0: room for later options. */
    int32_t reserved[6];
} elr_options;

/* Every option 0 (the defaults), for C and C++ alike. C's {0} is the same in C, but C++ compilers warn about it under
 * -Wextra (-Wmissing-field-initializers, an error with -Werror): this names every member, and changes with them. */
#define ELR_OPTIONS_INIT { 0, 0, { 0 } }

/* The shape of one sample, outermost dimension first; dims[rank..] are 0. */
typedef struct elr_shape {
    int32_t rank;
    int32_t dims[ELR_MAX_RANK];
} elr_shape;

/* The number of floats in one sample of this shape. */
static inline size_t elr_shape_length(const elr_shape *shape)
{
    size_t length = 1;
    for (int32_t i = 0; i < shape->rank; i++) length *= (size_t)shape->dims[i];
    return length;
}

/* The status's name, such as "ELR_INVALID_MODEL" ("ELR_UNKNOWN_STATUS" for a value not listed above), for logs. */
const char *elr_status_name(elr_status status);

/* ELR_API_VERSION of the library that was loaded. */
int32_t elr_api_version(void);

/* The library's release, such as "0.1.0"; the string lives as long as the process. */
const char *elr_version(void);

/* The message of the calling thread's last call that returns an elr_status: what failed, where, and what to do; ""
 * when it succeeded. UTF-8. The string stays valid until that thread's next such call. */
const char *elr_last_error_message(void);

/* Opens the .elr file at model_path with options (NULL: the defaults). The path is UTF-8: one holding a byte that is
 * not (a Latin-1 name's é, 0xE9) is refused with ELR_INVALID_ARGUMENT, naming the byte and its offset; rename such a
 * file, or read it yourself and open its bytes with elr_session_open_bytes. On success *session is the new session, to be closed with elr_session_close; on failure it is set to
 * NULL. */
elr_status elr_session_open(const char *model_path, const elr_options *options, elr_session **session);

/* Opens a model held in memory (length bytes of an .elr file), for example one embedded in a program. The bytes are
 * copied, so the caller may free them once this returns. Otherwise as elr_session_open. */
elr_status elr_session_open_bytes(const void *model_bytes, size_t length, const elr_options *options, elr_session **session);

/* The shape of one input sample and of one output sample. */
elr_status elr_session_input_shape(const elr_session *session, elr_shape *shape);
elr_status elr_session_output_shape(const elr_session *session, elr_shape *shape);

/* The name of output class `index` as the model records it (UTF-8, such as "7" or "Pullover"): *label points to it
 * for as long as the session is open, or is NULL when the model records no name for that class. index must be 0 to
 * the output shape's length - 1. A name holding a NUL character, which a C string would cut short, is refused with
 * ELR_INVALID_MODEL (and *label NULL); the session still runs. */
elr_status elr_session_label(const elr_session *session, int32_t index, const char **label);

/* Runs batch_size samples. input holds input_length floats, which must be batch_size times the input shape's length;
 * output receives output_length floats, which must be batch_size times the output shape's length. output must not
 * overlap input (refused with ELR_INVALID_ARGUMENT: a batch runs in passes, and a later pass would read inputs an
 * earlier one's outputs overwrote). On failure output is left as it was. Inputs are not checked for NaN or infinity:
 * they run, and give NaN outputs with ELR_OK (as ONNX Runtime's Run). */
elr_status elr_session_run(elr_session *session, const float *input, size_t input_length,
                           float *output, size_t output_length, int32_t batch_size);

/* The full scale of the integer pixels the model was trained on: *pixel_max is the pixel value fed as 1 (255 for
 * 0-255 images such as MNIST's, 16 for the UCI digits' 0-16), as the model records it (metadata "input.pixel-max",
 * written by `elr train`), or 0 when it records none (or no whole number 1 to 65535): a model trained on floats as
 * they are, or made elsewhere, whose integer scale is then the caller's to know (elr-run and elr_session_run_pixels
 * take 255). Errors: ELR_INVALID_ARGUMENT for a NULL or closed session or a NULL pixel_max. */
elr_status elr_session_input_pixel_max(const elr_session *session, int32_t *pixel_max);

/* Runs batch_size samples of integer pixels, each byte p fed as the float p / scale, where scale is pixel_max when it
 * is above 0, else the model's (elr_session_input_pixel_max), else 255. pixels holds pixels_length bytes, which must
 * be batch_size times the input shape's length, laid out as elr_session_run's floats (channels-last); output and
 * output_length are elr_session_run's. The outputs are, bit for bit, those of elr_session_run given the floats
 * (float)p / (float)scale. A byte above the scale (a 0-255 image for a model of 0-16 pixels, whose outputs would be
 * confident nonsense) is refused with ELR_INVALID_ARGUMENT and a message naming the sample, the index in it, the byte,
 * the scale and where the scale came from; pass the pixels' own full scale as pixel_max if they are right. pixel_max
 * must be 0 to 65535. On failure output is left as it was.
 * All the bytes are checked before the first output is written; output must not overlap pixels (refused, as
 * elr_session_run refuses output over input).
 * Memory: the floats are converted one pass (max_batch_size samples) at a time into a buffer of one pass that the
 * session keeps (made on the first such call; one per concurrent call, as its activation arenas), so no batch
 * allocates after the first call; a larger batch is cut into passes as elr_session_run cuts it, which is why its
 * outputs are the same bit for bit. Threads: as elr_session_run. */
elr_status elr_session_run_pixels(elr_session *session, const uint8_t *pixels, size_t pixels_length, int32_t pixel_max,
                                  float *output, size_t output_length, int32_t batch_size);

/* The model's metadata property `key` (UTF-8, such as "model", "train.epochs" or "input.pixel-max": the properties
 * `elr inspect` lists under a model): *value points to its UTF-8 value for as long as the session is open, or is NULL
 * when the model records no such property (as ONNX Runtime's custom metadata map lookup). Errors, after which *value
 * is NULL: ELR_INVALID_ARGUMENT for a NULL or closed session or a NULL key (and for a NULL value pointer, with nothing
 * written); ELR_INVALID_MODEL for a value holding a NUL character, which a C string would cut short (the session still
 * runs). */
elr_status elr_session_metadata(const elr_session *session, const char *key, const char **value);

/* The number of metadata properties the model records, 0 or more. */
elr_status elr_session_metadata_count(const elr_session *session, int32_t *count);

/* The key of metadata property `index`, 0 to elr_session_metadata_count's count - 1, in byte order of the keys: *key
 * points to it (UTF-8) for as long as the session is open. An index outside that range is refused with
 * ELR_INVALID_ARGUMENT (*key NULL); a key holding a NUL character with ELR_INVALID_MODEL. */
elr_status elr_session_metadata_key(const elr_session *session, int32_t index, const char **key);

/* Frees the session: its model and memory. NULL, and a session already closed, are allowed and do nothing. Calls on
 * the session from other threads either return before the memory is freed (close waits for them) or are refused as not
 * open; none touches freed memory. */
void elr_session_close(elr_session *session);

#ifdef __cplusplus
}
#endif

#endif /* ELR_H */
