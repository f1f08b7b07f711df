using System.Diagnostics;
using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Scoring;
using EdgeLowRank.Samples.DigitKiosk.Imaging;

namespace EdgeLowRank.Samples.DigitKiosk;

/// <summary>
/// Runs a one-channel image classifier on grayscale images. The input and output buffers are made once,
/// so a press costs only the image decode (and --resize's framing) and one allocation-free <see cref="InferenceSession.Run(ReadOnlySpan{float}, Span{float})"/>.
/// </summary>
internal sealed class DigitClassifier
{
    private readonly InferenceSession _session;
    private readonly float[] _input;
    private readonly float[] _output;
    private readonly IReadOnlyList<string> _labels;
    private readonly bool _invert;
    private readonly bool _resize;

    /// <summary>Checks that the model takes one grayscale image and names (or numbers) its classes.</summary>
    /// <param name="session">The model; channels-last input of H×W×1, H×W, or a square vector such as 784.</param>
    /// <param name="invert">Images are dark digits on a light background: flip them to MNIST's light on dark.</param>
    /// <param name="resize">Every image, of any size, has its digit found and framed in the model's input as MNIST's digits
    /// were (<see cref="DigitFraming"/>); without it, an image of another size than the model's is refused.</param>
    /// <exception cref="InvalidDataException">The model's input is not one grayscale image.</exception>
    public DigitClassifier(InferenceSession session, bool invert, bool resize = false)
    {
        _session = session;
        _invert = invert;
        _resize = resize;
        (ImageHeight, ImageWidth) = ImageSize(session);
        _input = new float[session.InputLength];
        _output = new float[session.OutputLength];
        IReadOnlyList<string> labels = session.Model.Metadata.Labels;
        _labels = labels.Count == _output.Length ? labels : [.. Enumerable.Range(0, _output.Length).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))];
    }

    /// <summary>The image width the model expects.</summary>
    public int ImageWidth { get; }

    /// <summary>The image height the model expects.</summary>
    public int ImageHeight { get; }

    /// <summary>Whether images are inverted (--invert) before the model sees them.</summary>
    public bool Inverts => _invert;

    /// <summary>How many classes the model tells apart.</summary>
    public int ClassCount => _output.Length;

    /// <summary>
    /// The mean brightness above which an image, as the model is to see it, is mostly light: MNIST's digits are light
    /// strokes on black (a mean near 0.13), and a photo of ink on paper not inverted reads near 0.8; a trial's such photo
    /// was called an 8 (score 0.48) without a word, a 2 (0.999) with --invert.
    /// </summary>
    public const float MostlyLight = 0.5f;

    /// <summary>Classifies <paramref name="image"/>.</summary>
    /// <exception cref="InvalidDataException">The image is not <see cref="ImageWidth"/>×<see cref="ImageHeight"/> (without
    /// --resize), no digit is found in it (with --resize), or every output is NaN.</exception>
    public Classification Classify(GrayImage image)
    {
        if ((image.Width != ImageWidth || image.Height != ImageHeight) && !_resize)
            throw new InvalidDataException($"the image is {image.Width}×{image.Height}; the model takes {ImageWidth}×{ImageHeight}: "
                + "crop and scale it to that size first, or pass --resize to have the kiosk find the digit and frame it as MNIST's digits were.");
        Ink? ink = null;
        if (_resize)
        {
            // MNIST's polarity first: the framing looks for the ink as the light part.
            GrayImage polar = _invert ? new GrayImage(image.Width, image.Height, [.. image.Pixels.Select(p => 1f - p)]) : image;
            ink = Ink.Find(polar);
            if (ink.Box is null) throw NoDigit(ink);
            DigitFraming.Frame(polar, ink, ImageWidth, ImageHeight).Pixels.CopyTo(_input, 0);
        }
        else
        {
            for (int i = 0; i < _input.Length; i++) _input[i] = _invert ? 1f - image.Pixels[i] : image.Pixels[i];
        }

        long started = Stopwatch.GetTimestamp();
        _session.Run(_input, _output);
        TimeSpan elapsed = Stopwatch.GetElapsedTime(started);

        // The rule elr eval and elr-run use: NaN ranks last, so a NaN in first place is not shown as class 0.
        int best = TopK.Best(_output);
        if (best == TopK.NoClass)
            throw new InvalidDataException("every output of the model is NaN, so it gives no class: its weights or the image hold NaN or infinite values (check the model with elr-run run on a test image).");
        return new Classification(best, _labels[best], _output[best], elapsed, MostlyLightInput: _input.Average() > MostlyLight,
            FramedInk: ink?.Box);
    }

    /// <summary>What an image without ink is told: how little stands out, and the --invert that may be wrong.</summary>
    private InvalidDataException NoDigit(Ink ink) => new(string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"no digit found: nothing stands out from the background (median {ink.Background:F2}, brightest {ink.Brightest:F2}{(_invert ? " after --invert" : "")}; "
        + $"a digit is at least {Ink.MinimumContrast:F2} brighter). Is the digit in the frame and lit? ")
        + (_invert ? "If it is light on a dark background, drop --invert." : "If it is dark on light paper, pass --invert."));

    private static (int Height, int Width) ImageSize(InferenceSession session)
    {
        var shape = session.Model.InputShape;
        int side = (int)Math.Round(Math.Sqrt(shape.ElementCount));
        (int Height, int Width) size = shape.Rank == 3 && shape[2] == 1 || shape.Rank == 2 ? (shape[0], shape[1])
            : shape.Rank == 1 && side * side == shape.ElementCount ? (side, side)
            : (0, 0);
        // A 1×37 "image" (a vector model) would be accepted and then fail on every press.
        if (size.Height >= 2 && size.Width >= 2) return size;
        throw new InvalidDataException($"The model's input is {shape}; DigitKiosk needs one grayscale image (H×W×1, H×W, or a square count such as 784).");
    }
}
