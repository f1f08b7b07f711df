#!/usr/bin/env python3
"""Classifies the samples of a raw float32 file or of a .npy image array with an .elr model through libelr.so, from
Python's standard library (ctypes) alone: the way to call EdgeLowRank from a Python program on the board.

    python3 classify.py MODEL.elr INPUT [--pixel-max N] [--labels LABELS.npy] [--top K] [--expect EXPECTED.f32]
                        [--threads N] [--library PATH/libelr.so]

INPUT holds the samples one after another in the model's input shape (channels-last for images): raw little-endian
float32 (no header), or a NumPy .npy file (read without NumPy) of float32 (np.save(path, x.astype('<f4'))) or of uint8
integer pixels (np.save(path, x.astype(np.uint8))). Floats are fed as they are; uint8 pixels go through
elr_session_run_pixels, which divides each by the scale the model was trained on (its input.pixel-max: 255 for MNIST,
16 for the UCI digits; 255 when it records none), or by --pixel-max, and refuses a pixel above it; the scale used is
printed first. Prints each sample's top class (its --top K classes), its label as the model names it, and its score.
With --labels (a .npy of one integer class per sample, as `elr data export` writes PART-labels.npy, or an IDX file of
bytes), also each sample's true class, and last the accuracy as `elr-run run --labels` prints it ("accuracy 97.21% (10 of
359 wrong) against LABELS", and for a K of 2 or more below the classes the top-K accuracy). With --expect (raw float32 or
.npy of float32), also compares the outputs with a file of expected ones (within 1e-5 of each sample's largest) and exits
1 when they differ. The library is looked for beside this file, then where the system's loader looks.
"""
import argparse
import ast
import ctypes
import decimal
import math
import os
import platform
import re
import sys
import unicodedata
from array import array

MAX_RANK = 4  # ELR_MAX_RANK
API_VERSION = 3  # ELR_API_VERSION, the header this file follows
TOLERANCE = 1e-5  # --expect: the largest difference allowed, as a share of each sample's largest expected output
BYTE_IMAGES = 255  # the scale elr_session_run_pixels takes when neither --pixel-max nor the model gives one
LARGEST_UNIT_PIXEL = 1.5  # float pixels above it look like integer pixels saved unscaled (elr-run's warning, the same bound)
SMALLEST_UNIT_PIXEL = -0.25  # below it, like standardized pixels: MNIST's reach -0.42, Normalize(0.5, 0.5)'s -1
UINT8 = ("|u1", "<u1", ">u1")  # NumPy's names for uint8 (one byte: no byte order)
# --labels: NumPy's little-endian (or byte-order-free) integer types, as array typecodes of their size and signedness.
INTEGERS = {"|u1": "B", "<u1": "B", "|i1": "b", "<i1": "b", "<u2": "H", "<i2": "h", "<u4": "I", "<i4": "i", "<u8": "Q", "<i8": "q"}
# ELF e_machine values of the architectures a libelr.so may be built for, and the names platform.machine() gives them.
ELF_MACHINES = {62: ("x86-64", ("x86_64", "amd64")), 183: ("arm64 (aarch64)", ("aarch64", "arm64")),
                3: ("x86 (32-bit)", ("i386", "i686")), 40: ("arm (32-bit)", ("armv7l", "armv6l")), 243: ("riscv", ("riscv64",))}


class Options(ctypes.Structure):
    _fields_ = [("max_batch_size", ctypes.c_int32), ("threads", ctypes.c_int32), ("reserved", ctypes.c_int32 * 6)]


class Shape(ctypes.Structure):
    _fields_ = [("rank", ctypes.c_int32), ("dims", ctypes.c_int32 * MAX_RANK)]

    def length(self):
        n = 1
        for d in self.dims[: self.rank]:
            n *= d
        return n


def elf_machine(path):
    """The architecture an ELF file is built for, as (name, platform.machine() names), or None when it is no ELF file."""
    with open(path, "rb") as f:
        head = f.read(20)
    if len(head) < 20 or head[:4] != b"\x7fELF":
        return None
    machine = int.from_bytes(head[18:20], "little" if head[5] == 1 else "big")  # e_machine, in the file's byte order
    return ELF_MACHINES.get(machine, (f"ELF machine {machine}", ()))


def open_library(path):
    """ctypes.CDLL(path), with a message that says why when the file exists: the loader says "cannot open shared object
    file: No such file or directory" for a library built for another architecture, which sends one looking for the file."""
    try:
        return ctypes.CDLL(path)
    except OSError as e:
        if not os.path.isfile(path):
            raise
        host = platform.machine()
        kind = elf_machine(path)
        if kind is None:
            raise OSError(f"{path} exists but is not an ELF shared library ({e})") from None
        name, machines = kind
        if host.lower() not in machines:
            raise OSError(f"{path} exists but is built for {name}, and this Python runs on {host}: use the libelr.so "
                          f"published for this machine (scripts/publish.sh --project runtime/EdgeLowRank.Runtime.Native "
                          f"linux-x64 on a PC, linux-arm64 for a Pi), or run this script on the board") from None
        raise


def load_library(path):
    lib = open_library(path)
    lib.elr_api_version.restype = ctypes.c_int32
    lib.elr_last_error_message.restype = ctypes.c_char_p
    lib.elr_session_open.argtypes = [ctypes.c_char_p, ctypes.POINTER(Options), ctypes.POINTER(ctypes.c_void_p)]
    lib.elr_session_input_shape.argtypes = [ctypes.c_void_p, ctypes.POINTER(Shape)]
    lib.elr_session_output_shape.argtypes = [ctypes.c_void_p, ctypes.POINTER(Shape)]
    lib.elr_session_label.argtypes = [ctypes.c_void_p, ctypes.c_int32, ctypes.POINTER(ctypes.c_char_p)]
    lib.elr_session_run.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int32]
    lib.elr_session_input_pixel_max.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_int32)]
    lib.elr_session_run_pixels.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int32, ctypes.c_void_p,
                                           ctypes.c_size_t, ctypes.c_int32]
    lib.elr_session_metadata.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_char_p)]
    lib.elr_session_close.argtypes = [ctypes.c_void_p]
    for name in ("elr_session_open", "elr_session_input_shape", "elr_session_output_shape", "elr_session_label", "elr_session_run",
                 "elr_session_input_pixel_max", "elr_session_run_pixels", "elr_session_metadata"):
        getattr(lib, name).restype = ctypes.c_int  # elr_status
    if lib.elr_api_version() != API_VERSION:
        sys.exit(f"{path} has API version {lib.elr_api_version()}; this script follows version {API_VERSION}")
    return lib


def npy_header(path, data):
    """The header of a NumPy .npy file (format versions 1 to 3) as a dict, and where its data begins; a header that is
    not a dict of a 'descr' string and a 'shape' tuple of whole numbers is refused in one line, as elr-run refuses it."""
    size = 2 if data[6:7] == b"\x01" else 4  # the header's length: u16 in version 1, u32 in 2 and 3
    start = 8 + size
    end = start + int.from_bytes(data[8:start], "little")
    if len(data) < end:
        sys.exit(f"{path} is not a usable .npy file: it was cut short ({len(data)} bytes, where its header ends at byte {end})")
    try:
        header = ast.literal_eval(data[start:end].decode("latin1"))
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        header = None
    shape = header.get("shape") if isinstance(header, dict) else None
    if not (isinstance(header, dict) and isinstance(header.get("descr"), str) and isinstance(shape, tuple)
            and all(type(d) is int and d >= 0 for d in shape)):
        sys.exit(f"{path} is not a usable .npy file: its header is not a dict with a 'descr' string and a 'shape' tuple of "
                 "whole numbers; write it with np.save")
    return header, end


def npy_data(path, header, payload, item_size):
    """The data of a .npy file, checked to hold as many bytes as its shape declares of items of `item_size` bytes."""
    count = item_size
    for d in header.get("shape", ()):
        count *= d
    if len(payload) != count:
        sys.exit(f"{path}: its .npy header gives shape {header.get('shape')} of {header.get('descr')} ({count} bytes), but it "
                 f"holds {len(payload)} bytes after it")
    return payload


def npy_payload(path, data, types):
    """The element type and bytes of a NumPy .npy file (C order) whose type is one of `types`: little-endian float32
    ("<f4"), or uint8 too where UINT8 is given."""
    header, start = npy_header(path, data)
    descr = header.get("descr")
    if descr not in types or header.get("fortran_order"):
        pixels = "" if UINT8[0] not in types else (" or uint8 integer pixels, which libelr divides by the model's scale "
                                                   "(np.save(path, np.ascontiguousarray(x, dtype=np.uint8)))")
        sys.exit(f"{path} is a .npy array of {descr}{' in Fortran order' if header.get('fortran_order') else ''}; "
                 f"classify.py reads float32 in C order (np.save(path, np.ascontiguousarray(x, dtype='<f4'))){pixels}")
    return descr, npy_data(path, header, data[start:], 4 if descr == "<f4" else 1)


def read_labels(path, samples, classes):
    """The true class of each of `samples` samples, from a .npy of integers or an IDX file of bytes (MNIST's
    t10k-labels-idx1-ubyte), refused with the reason (and the way out) when they cannot be the model's classes: as
    `elr-run run --labels` reads them."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] == b"\x00\x00\x08\x01":  # IDX: unsigned bytes, one dimension
        labels = list(data[8:])
        if len(labels) != int.from_bytes(data[4:8], "big"):
            sys.exit(f"{path} is not a valid IDX file: its header gives {int.from_bytes(data[4:8], 'big')} labels but "
                     f"{len(labels)} bytes follow it")
    elif data[:6] == b"\x93NUMPY":
        header, start = npy_header(path, data)
        descr, shape = header.get("descr"), tuple(header.get("shape", ()))
        if descr not in INTEGERS:
            one_hot = ", and one-hot rows as y.argmax(axis=1)" if len(shape) == 2 else ""
            sys.exit(f"{path} holds {descr} values; labels are integers (uint8, int32, int64, …): save them with "
                     f"y.astype(np.int64){one_hot}")
        if len(shape) > 1 and shape[1] > 1:
            sys.exit(f"{path} has shape {shape}; labels are one integer per sample, shape (N,): one-hot rows become labels "
                     "with y.argmax(axis=1)")
        values = array(INTEGERS[descr])
        values.frombytes(npy_data(path, header, data[start:], values.itemsize))
        if sys.byteorder != "little":
            values.byteswap()
        labels = list(values)
    else:
        sys.exit(f"--labels {path}: give a .npy of integer labels (np.save('labels.npy', y), or elr data export's "
                 "PART-labels.npy) or an IDX file of bytes")
    if len(labels) != samples:
        sys.exit(f"{path} holds {len(labels):,} labels but the input holds {samples:,} samples; give one label per sample, "
                 "in the input's order")
    for i, label in enumerate(labels):
        if not 0 <= label < classes:
            sys.exit(f"{path}: label {label} at index {i} is not a class of the model, which has {classes} outputs "
                     f"(0 to {classes - 1})")
    return labels


def ranked(scores, k):
    """The `k` best classes of one sample's scores, best first: ties to the lower class, NaN below every number (a sample
    whose outputs are all NaN has no class), as elr-run ranks them."""
    # NaNs compare equal to one another here (neither is below), so the stable sort keeps them in class order too.
    return sorted(range(len(scores)), key=lambda c: (math.isnan(scores[c]), -scores[c]))[:k]


def percent(wrong, samples):
    """elr-run's accuracy, 100 × right / samples with two decimals, formatted as .NET formats it: the value's 15
    significant digits, then a midpoint rounded away from zero (2.675, below it in binary, gives 2.68 there, 2.67 in
    Python's own formatting)."""
    digits = decimal.Decimal(f"{100.0 * (samples - wrong) / samples:.15g}")
    return f"{digits.quantize(decimal.Decimal('0.01'), decimal.ROUND_HALF_UP)}%"


def read_input(path):
    """The samples of a file: ("uint8", bytearray) for a .npy file of uint8, else ("float32", array of floats)."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:6] == b"\x93NUMPY":
        descr, payload = npy_payload(path, data, ("<f4",) + UINT8)
        if descr in UINT8:
            return "uint8", bytearray(payload)
    return "float32", read_floats(path, data)


def read_floats(path, data=None):
    """The float32 values of a raw little-endian file, or of a .npy file of float32 (recognized by its magic, not its
    name); `data` is the file's bytes when they were read already."""
    if data is None:
        with open(path, "rb") as f:
            data = f.read()
    if data[:6] == b"\x93NUMPY":
        data = npy_payload(path, data, ("<f4",))[1]
    if len(data) % 4:
        sys.exit(f"{path} is {len(data)} bytes, not a whole number of float32 values (4 bytes each); classify.py reads "
                 "raw little-endian float32 with no header, or a .npy file of float32 or uint8")
    values = array("f")
    values.frombytes(data)
    if sys.byteorder != "little":
        values.byteswap()
    return values


def largest_error(actual, expected):
    """The largest difference over the largest |expected|; a NaN on either side counts as infinite."""
    worst = max((abs(a - b) if a == a and b == b else float("inf")) for a, b in zip(actual, expected))
    return worst / max(1e-30, max(abs(v) for v in expected))


def pixel_scale(lib, session, given):
    """The scale elr_session_run_pixels divides by for --pixel-max `given`, and where it comes from: "16 (the model's
    input.pixel-max)"."""
    recorded = ctypes.c_int32()
    check(lib, lib.elr_session_input_pixel_max(session, ctypes.byref(recorded)))
    if given:
        return f"{given} (--pixel-max; the model records {recorded.value or 'none'})"
    if recorded.value:
        return f"{recorded.value} (the model's input.pixel-max)"
    return f"{BYTE_IMAGES} (the scale of byte images; the model records none)"


def warn(message):
    print(f"classify.py: warning: {message}", file=sys.stderr)


def warn_of_non_finite(what, values, sample_length, cause):
    """NaN or infinite values make every score meaningless without failing anything, so they are pointed out, as elr-run does."""
    bad = [i for i, v in enumerate(values) if not math.isfinite(v)]
    if bad:
        warn(f"{len(bad):,} of {len(values):,} {what} values are NaN or infinite (the first in sample {bad[0] // sample_length}); {cause}")


def warn_of_out_of_range_floats(lib, session, path, inputs):
    """Float pixels far outside 0–1 are other images to a model of 0–1 pixels, as elr-run warns: integer pixels saved
    unscaled (the digits' 0–16 as float32: 93.59% instead of 97.21% for the digits MLP), or pixels standardized as
    PyTorch's Normalize does, which the model already does itself. A model that records its pixel scale takes 0–1; one
    that records only its normalization (imported with --input-mean/--input-std) takes unnormalized pixels, never negative."""
    recorded, normalization = ctypes.c_int32(), ctypes.c_char_p()
    check(lib, lib.elr_session_input_pixel_max(session, ctypes.byref(recorded)))
    check(lib, lib.elr_session_metadata(session, b"import.input-normalization", ctypes.byref(normalization)))
    finite = [v for v in inputs if math.isfinite(v)]
    if not finite or (not recorded.value and normalization.value is None):
        return
    smallest, largest = min(finite), max(finite)
    scale = recorded.value
    trained = (f"the model takes pixels in 0–1, as it was trained (its integer pixels 0–{scale} divided by {scale} (the model's "
               "input.pixel-max))" if scale else
               f"the model normalizes its input itself (import.input-normalization: {normalization.value.decode()})")
    if smallest < SMALLEST_UNIT_PIXEL:
        warn(f"{path} holds float pixels from {smallest:.4g} to {largest:.4g}, but {trained}: give the pixels before any "
             "normalization (mean and std), which the model applies itself")
    elif scale and largest > LARGEST_UNIT_PIXEL:
        warn(f"{path} holds float pixels up to {largest:.4g}, but {trained}: divide them by their own full scale (255 for 0–255 "
             f"images), or save them as uint8 0–{scale} for classify.py to scale")


# Shown as \\xNN besides control characters, as elr-run shows them: line and paragraph separators, and the bidirectional
# formatting characters, which reorder the text around them on screen.
REORDERING = {0x2028, 0x2029, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}


def printable(text):
    """Control characters as \\xNN, as elr-run prints a model's labels: a label of ESC ] 0; ... BEL set a terminal's title."""
    return "".join(f"\\x{ord(c):02X}" if unicodedata.category(c) == "Cc" or ord(c) in REORDERING else c for c in text)


def check(lib, status):
    """Raises with libelr's own message when a call did not return ELR_OK."""
    if status != 0:
        raise RuntimeError(lib.elr_last_error_message().decode())


def main():
    # The docstring's first paragraph, whose first line alone stops mid-sentence.
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument("model")
    parser.add_argument("input")
    parser.add_argument("--pixel-max", type=int, default=0,
                        help="the full scale of uint8 pixels (0: the model's input.pixel-max, else 255)")
    parser.add_argument("--labels", help="a .npy of one integer class per sample (elr data export's PART-labels.npy): "
                        "print each sample's true class and the accuracy")
    parser.add_argument("--top", type=int, default=1, help="classes printed per sample; with --labels, also the k of the "
                        "top-k accuracy (1: the top class only)")
    parser.add_argument("--expect")
    parser.add_argument("--threads", type=int, default=0, help="threads one run uses (0: one)")
    parser.add_argument("--library", help="default: libelr.so beside this file, else where the system's loader looks")
    args = parser.parse_args()
    if args.top < 1:
        parser.error(f"--top must be at least 1, not {args.top}")
    beside = os.path.join(os.path.dirname(os.path.abspath(__file__)), "libelr.so")
    lib = load_library(args.library or (beside if os.path.exists(beside) else "libelr.so"))

    session = ctypes.c_void_p()
    options = Options(max_batch_size=0, threads=args.threads)
    check(lib, lib.elr_session_open(os.fsencode(args.model), ctypes.byref(options), ctypes.byref(session)))
    try:
        shape_in, shape_out = Shape(), Shape()
        check(lib, lib.elr_session_input_shape(session, ctypes.byref(shape_in)))
        check(lib, lib.elr_session_output_shape(session, ctypes.byref(shape_out)))
        kind, inputs = read_input(args.input)
        batch, rest = divmod(len(inputs), shape_in.length())
        if batch == 0 or rest:
            dims = "×".join(str(d) for d in shape_in.dims[: shape_in.rank])
            sys.exit(f"{args.input} holds {len(inputs)} {kind} values, not a whole number of samples of {shape_in.length()} "
                     f"(the model's input shape {dims}); classify.py reads raw little-endian float32 with no header, or a "
                     ".npy file of float32 or uint8: a file of another type or with a header of its own reads as wrong numbers")
        # Read before the run, so wrong labels are refused before any output is printed.
        truth = read_labels(args.labels, batch, shape_out.length()) if args.labels else None
        outputs = array("f", bytes(4 * batch * shape_out.length()))
        if kind == "uint8":
            print(f"pixels fed as p / {pixel_scale(lib, session, args.pixel_max)}")
            pixels = (ctypes.c_uint8 * len(inputs)).from_buffer(inputs)
            try:
                check(lib, lib.elr_session_run_pixels(session, pixels, len(inputs), args.pixel_max, outputs.buffer_info()[0],
                                                      len(outputs), batch))
            except RuntimeError as e:
                # libelr names its C argument; here the scale is this script's option.
                raise RuntimeError(re.sub(r"(?<!\w)pixel_max", "--pixel-max", str(e))) from None
        else:
            if args.pixel_max:
                warn(f"--pixel-max scales uint8 input only; {args.input} holds floats, which are taken as they are")
            else:
                warn_of_out_of_range_floats(lib, session, args.input, inputs)
            warn_of_non_finite("input", inputs, shape_in.length(), "check the input file")
            check(lib, lib.elr_session_run(session, inputs.buffer_info()[0], len(inputs), outputs.buffer_info()[0], len(outputs), batch))
        warn_of_non_finite("output", outputs, shape_out.length(),
                           "the model's weights or the inputs hold NaN or infinite values, or the outputs overflow float32")
        labels = []
        for c in range(shape_out.length()):
            label = ctypes.c_char_p()
            check(lib, lib.elr_session_label(session, c, ctypes.byref(label)))
            labels.append(printable(label.value.decode()) if label.value is not None else str(c))
    finally:
        lib.elr_session_close(session)

    n = shape_out.length()
    k = min(args.top, n)
    samples = [outputs[i * n:(i + 1) * n] for i in range(batch)]
    wrong = wrong_at_k = 0
    for i, scores in enumerate(samples):
        best = ranked(scores, k)
        line = "  ".join(f"class {c}, {labels[c]} (score {scores[c]:.4f})" for c in best)
        if math.isnan(scores[best[0]]):
            line = "no class (every output is NaN)"
        if truth is not None:
            label = truth[i]
            is_wrong = math.isnan(scores[best[0]]) or best[0] != label
            wrong += is_wrong
            wrong_at_k += math.isnan(scores[label]) or label not in best
            line += f"  label {labels[label]}{', wrong' if is_wrong else ''}"
        print(f"sample {i}: {line}")
    if truth is not None:
        print(f"accuracy {percent(wrong, batch)} ({wrong:,} of {batch:,} wrong) against {args.labels}")
        if 1 < k < n:  # a k of every class puts every label among the best
            print(f"top-{k} accuracy {percent(wrong_at_k, batch)} ({wrong_at_k:,} of {batch:,} with the label outside the best {k})")
    if args.expect:
        expected = read_floats(args.expect)
        if len(expected) != len(outputs):
            sys.exit(f"{args.expect} holds {len(expected)} floats; the model gave {len(outputs)}")
        worst = max(largest_error(s, expected[i * n:(i + 1) * n]) for i, s in enumerate(samples))
        if worst <= TOLERANCE:
            print(f"outputs match {args.expect}: largest error {worst:.3g} of the sample's largest expected output "
                  f"(tolerance {TOLERANCE:g})")
            return 0
        print(f"classify.py: mismatch: the outputs differ from {args.expect}: largest error {worst:.3g} of the sample's "
              f"largest expected output, above the tolerance {TOLERANCE:g} (other weights, inputs or scaling than the "
              "expected outputs were made with?)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:
        # The reader of the output stopped early (classify.py ... | head): not an error worth a message. Python would
        # report the pipe again while flushing stdout at exit, so stdout goes to the null device first.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    except (RuntimeError, OSError) as e:
        sys.exit(f"classify.py: {e}")
