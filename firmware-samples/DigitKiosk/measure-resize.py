#!/usr/bin/env python3
"""Measures how well the kiosk's --resize serves a model on photos of digits: the first N MNIST test digits are rendered
as photos of ink on paper (a dark digit on off-white paper with uneven light, noise and three specks of dust, in a 240×180
frame) and classified by the kiosk itself, one simulated button press each, with --invert --resize. MNIST's clean 28×28
digits are run too, as they are and with --resize. Run it with two builds of the kiosk to compare their --resize:

    ELR_DATA=/tmp/elrcache /usr/bin/python3 firmware-samples/DigitKiosk/measure-resize.py --model digits.elr \\
        --kiosk "dotnet firmware-samples/DigitKiosk/bin/Release/net10.0/digit-kiosk.dll"

Needs numpy (Debian: apt-get install python3-numpy, for /usr/bin/python3). Prints one line per setting. Writes nothing
but a temporary folder, removed at the end.
"""
import argparse, os, shlex, subprocess, sys, tempfile
import numpy as np

WIDTH, HEIGHT = 240, 180


def mnist(count):
    data = os.path.join(os.environ.get('ELR_DATA', os.path.expanduser('~/.cache/edgelowrank')), 'mnist')
    images = np.fromfile(os.path.join(data, 't10k-images-idx3-ubyte'), np.uint8, offset=16)[:784 * count].reshape(count, 28, 28)
    labels = np.fromfile(os.path.join(data, 't10k-labels-idx1-ubyte'), np.uint8, offset=8)[:count]
    return images, labels


def upscale(digit, size):
    """Bilinear resampling of a 28×28 digit (0..1) to size×size, sample centres aligned as image libraries do."""
    source = (np.arange(size) + 0.5) * 28 / size - 0.5
    low = np.clip(np.floor(source).astype(int), 0, 27)
    high = np.clip(low + 1, 0, 27)
    weight = np.clip(source - low, 0, 1)
    rows = digit[low] * (1 - weight)[:, None] + digit[high] * weight[:, None]
    return rows[:, low] * (1 - weight)[None, :] + rows[:, high] * weight[None, :]


def photo(digit, rng, scale, centred):
    """A dark digit drawn at `scale` times MNIST's size on paper in a WIDTH×HEIGHT frame, as 8-bit gray."""
    paper, ink = rng.uniform(0.75, 0.95), rng.uniform(0.05, 0.25)
    size = int(round(28 * scale))
    patch = upscale(digit / 255.0, size)
    if centred:   # within 5% of the frame's size of its centre
        left = int(round((WIDTH - size) / 2 + rng.uniform(-0.05, 0.05) * WIDTH))
        top = int(round((HEIGHT - size) / 2 + rng.uniform(-0.05, 0.05) * HEIGHT))
    else:         # anywhere the digit's 28×28 box fits
        left, top = int(rng.integers(0, WIDTH - size + 1)), int(rng.integers(0, HEIGHT - size + 1))
    left, top = min(max(left, 0), WIDTH - size), min(max(top, 0), HEIGHT - size)
    # Paper lit unevenly: up to ±0.04 across the frame, in a random direction.
    y, x = np.mgrid[0:HEIGHT, 0:WIDTH]
    angle = rng.uniform(0, 2 * np.pi)
    canvas = paper + 0.04 * ((x / WIDTH - 0.5) * np.cos(angle) + (y / HEIGHT - 0.5) * np.sin(angle)) * 2
    region = canvas[top:top + size, left:left + size]
    canvas[top:top + size, left:left + size] = region - (region - ink) * patch
    for _ in range(3):   # dust: 2×2 dark specks anywhere
        sx, sy = int(rng.integers(0, WIDTH - 2)), int(rng.integers(0, HEIGHT - 2))
        canvas[sy:sy + 2, sx:sx + 2] = ink
    canvas += rng.normal(0, 0.02, canvas.shape)
    return (np.clip(canvas, 0, 1) * 255).round().astype(np.uint8)


def pgm(pixels):
    return b'P5 %d %d 255\n' % (pixels.shape[1], pixels.shape[0]) + pixels.tobytes()


def accuracy(kiosk, model, images, labels, flags, folder):
    """Classifies each image with one simulated press of one kiosk process; returns (right, errors, first error)."""
    process = subprocess.Popen(kiosk + ['--model', model, '--images', folder, '--simulate'] + flags, stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True, bufsize=1)
    process.stdout.readline()   # the banner
    right, errors, first_error = 0, 0, None
    for image, label in zip(images, labels):
        with open(os.path.join(folder, 'next.part'), 'wb') as f:   # a name the kiosk does not watch, renamed when whole
            f.write(image)
        os.replace(os.path.join(folder, 'next.part'), os.path.join(folder, 'photo.pgm'))
        process.stdin.write('\n')
        process.stdin.flush()
        while True:
            line = process.stdout.readline()
            if not line:
                sys.exit(f'the kiosk ended early (exit {process.wait()})')
            if ' -> ' in line:
                right += int(line.split(' -> ')[1].split()[0]) == label
                break
            if line.startswith('error:'):
                errors += 1
                first_error = first_error or line.strip()
                break
    process.stdin.write('q\n')
    process.stdin.close()
    process.wait()
    return right, errors, first_error


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--model', required=True)
    parser.add_argument('--kiosk', default='dotnet firmware-samples/DigitKiosk/bin/Release/net10.0/digit-kiosk.dll',
                        help='the command that runs the kiosk (default: %(default)s)')
    parser.add_argument('--count', type=int, default=1000)
    parser.add_argument('--seed', type=int, default=1)
    args = parser.parse_args()
    digits, labels = mnist(args.count)
    kiosk = shlex.split(args.kiosk)
    # (name, the digit's 28×28 box drawn this many times larger, placed near the centre, the kiosk's options for each run)
    settings = [
        ('clean MNIST 28×28', None, None, [], ['--resize']),
        ('filling the frame', (5.0, 6.2), True, ['--invert', '--resize']),
        ('small, near the centre', (2.5, 4.0), True, ['--invert', '--resize']),
        ('small, anywhere', (2.5, 4.0), False, ['--invert', '--resize']),
    ]
    print(f'{args.count} MNIST test digits, photos {WIDTH}×{HEIGHT} (seed {args.seed}), model {args.model}, kiosk {args.kiosk}')
    with tempfile.TemporaryDirectory() as folder:
        for name, scale, centred, *fits in settings:
            rng = np.random.default_rng(args.seed)
            images = [pgm(d) if scale is None else pgm(photo(d, rng, rng.uniform(*scale), centred)) for d in digits]
            for flags in fits:
                right, errors, first_error = accuracy(kiosk, args.model, images, labels, flags, folder)
                shown = ' '.join(flags) or '(none)'
                note = f', {errors} errors (first: {first_error})' if errors else ''
                print(f'{name:24} {shown:24} {100 * right / len(images):6.1f}% right{note}', flush=True)


if __name__ == '__main__':
    main()
