using System.Buffers.Binary;
using System.Numerics.Tensors;
using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.IO;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Cli.Inputs;

/// <summary>
/// Reads a batch of samples from a file: NumPy .npy (f32, f64 or u8), IDX (u8 or f32, as in MNIST) or raw
/// little-endian f32. 8-bit pixels are scaled to [0, 1] by the model's <see cref="PixelScale"/>, as the compressor trained on them. A .npy or IDX file carries its
/// shape, and the shape must be samples of the model's size: the same number of values laid out otherwise (98 8×8
/// images read as one 28×28 image, say) is refused, as a raw file cannot be.
/// </summary>
internal static class InputFile
{
    /// <summary>Reads all samples of <paramref name="sampleLength"/> values each.</summary>
    /// <param name="path">The file.</param>
    /// <param name="sampleLength">Values per sample.</param>
    /// <param name="what">What a sample is, for messages: "the model's input" or "the model's output".</param>
    /// <param name="image">The model's input image (height × width × channels), when the samples are images: a .npy of
    /// channels-first images, as PyTorch keeps them, is then refused rather than read as pixels in the wrong order.</param>
    /// <param name="pixels">How the model's integer pixels become its input, when the samples are its input; null for outputs,
    /// whose bytes are scaled by 255.</param>
    public static float[] Read(string path, int sampleLength, string what, TensorShape? image = null, PixelScale? pixels = null)
    {
        RequireReadableWhole(path);
        byte[] bytes = File.ReadAllBytes(path);
        // Read as raw floats, a model gave NaN inputs and, when its length fit the model, a run that passed.
        if (bytes.AsSpan().StartsWith(FormatConstants.Magic))
            throw new CliException($"{path} starts as an .elr model does: it is a model, not samples of {what}. Give a file of samples here "
                + "(.npy, IDX or raw little-endian f32), and the model as the first argument.", ExitCodes.BadInput);
        bool idx = IdxFile.LooksLikeIdx(bytes);
        // MNIST's files are named *-ubyte: read as raw floats, a damaged one gave a puzzling count of values instead.
        if (!idx && (path.EndsWith("-ubyte", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".idx", StringComparison.OrdinalIgnoreCase)))
            throw new CliException($"{path} is named as an IDX file but does not start like one (00 00, type 08 or 0D, 1 to 4 dimensions); give an IDX file of bytes or floats, or rename a raw float32 file.", ExitCodes.BadInput);
        FileValues file =
            path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase) ? NpyFile.Parse(bytes, path)
            : idx ? IdxFile.Read(bytes, path)
            : new(RawFloats(bytes, path), default, null);
        long[]? shape = file.Shape;
        if (file.Length == 0)
            throw new CliException($"{path} holds no samples{(shape is null ? "" : $": its shape is ({string.Join(", ", shape)})")}; " +
                $"give at least one sample of {Values(sampleLength)} ({what}).", ExitCodes.BadInput);
        if (file.Length % sampleLength != 0)
            throw new CliException(
                $"{path} {(shape is null ? "holds" : $"has shape ({string.Join(", ", shape)}):")} {Values(file.Length)}, which is not a whole number of samples of {Values(sampleLength)} ({what}). " +
                "Check that the file was made for this model.", ExitCodes.BadInput);
        if (shape is not null && !IsSamplesOf(shape, sampleLength))
            throw new CliException(
                $"{path} has shape ({string.Join(", ", shape)}), which is not samples of {Values(sampleLength)} ({what}): " +
                $"give it shape (N, …) with the dimensions after N multiplying to {sampleLength}, or one sample of that size.", ExitCodes.BadInput);
        if (shape is not null && image is TensorShape hwc && ChannelsFirst(shape, hwc))
            throw new CliException(
                $"{path} has shape ({string.Join(", ", shape)}): images of {hwc[2]} channels first, as PyTorch keeps them, where the model takes "
                + $"{hwc[0]}×{hwc[1]}×{hwc[2]} images channels-last (height, width, channels). Save them with np.transpose(x, (0, 2, 3, 1)).", ExitCodes.BadInput);
        if (file.Floats is not float[] values)
            return ScaleBytes(file.Bytes.Span, path, pixels ?? new PixelScale(byte.MaxValue, false, false, "(the scale of byte images)"), pixels is not null);
        if (pixels is { Given: true })
            Console.Error.WriteLine($"elr-run: warning: --pixel-max scales uint8 input only; {path} holds floats, which are taken as they are.");
        else if (pixels is { Recorded: true } || pixels?.Normalization is not null) WarnOfOutOfRangeFloats(values, path, pixels);
        return values;
    }

    /// <summary>Refuses a file of 2 GiB or more, which no array holds (the framework's own error is a resource key in
    /// NativeAOT builds: "IO_FileTooLong2GB").</summary>
    public static void RequireReadableWhole(string path)
    {
        long length = new FileInfo(path).Length;
        if (length > Array.MaxLength)
            throw new CliException($"{path} is {length:N0} bytes; elr-run reads an input whole, so it must be under 2 GiB: split it into files of fewer samples.", ExitCodes.BadInput);
    }

    /// <summary>The byte pixels divided by the full scale (by the runtime's <see cref="IntegerPixels"/>, as libelr divides them),
    /// after refusing bytes above it: pixels of another scale (0–255 images for a model of 0–16 ones) would give confident
    /// nonsense.</summary>
    /// <param name="bytes">The pixels, at least one.</param>
    /// <param name="path">The file, for messages.</param>
    /// <param name="pixels">The full scale.</param>
    /// <param name="images">Whether the bytes are the model's input images (not --expect's outputs), which a small largest byte makes suspect.</param>
    private static float[] ScaleBytes(ReadOnlySpan<byte> bytes, string path, PixelScale pixels, bool images)
    {
        float largest = TensorPrimitives.Max(bytes);
        if (largest > pixels.FullScale)
            throw new CliException($"{path} holds byte pixels up to {largest:0}, above the full scale {pixels.FullScale} {pixels.Source}: they would be fed "
                + $"as values above 1. Give pixels 0–{pixels.FullScale}, float32 pixels in 0–1, or --pixel-max 255 if these are 0–255 images.", ExitCodes.BadInput);
        if (images && !pixels.Given && pixels.Unreadable is string recorded)
            Console.Error.WriteLine($"elr-run: warning: the model's {ModelMetadata.InputPixelMaxProperty} is \"{UserFailure.Printable(recorded)}\", not a whole "
                + $"number from 1 to 65,535, so {path}'s byte pixels are read as 0–255 images; give --pixel-max with the full scale the model was trained on.");
        // Bytes far below a full scale of 255 are more likely the UCI digits' 0–16: read by 255 they are near-black images
        // (a user trial: 17% accuracy on MNIST written as 0–16 bytes, without a word).
        if (images && pixels.FullScale == byte.MaxValue && !pixels.Given && largest <= PixelScale.LargestSmallScalePixel)
            Console.Error.WriteLine($"elr-run: warning: {path} holds byte pixels up to {largest:0} only, read as 0–255 images {pixels.Source}, "
                + $"so no value reaches {(largest + 1) / 255:0.###}; if {largest:0} or so is their full scale, give --pixel-max with it (16 for the UCI digits' 0–16 pixels).");
        float[] values = GC.AllocateUninitializedArray<float>(bytes.Length);
        IntegerPixels.Divide(bytes, values, pixels.FullScale);
        return values;
    }

    /// <summary>Float input to a model of 0–1 pixels (one that records its scale: trained or measured by elr on 0–1 pixels)
    /// far outside 0–1 is other images to it: integer pixels saved unscaled (the digits' 0–16 as float32: 95% accuracy
    /// instead of 99%), or pixels standardized as PyTorch's Normalize does, which the model already does inside (an
    /// import folds --input-mean/--input-std into its first layer; (x − 0.5)/0.5 took LeNet-300-100 from 98.21% to 68.54%).
    /// A model that records only its normalization (imported with --input-mean/--input-std but no data set or --pixel-max)
    /// is warned of standardized pixels alone: its pixels' range is not recorded, but unnormalized pixels are not negative.
    /// It runs, with a warning.</summary>
    private static void WarnOfOutOfRangeFloats(float[] values, string path, PixelScale pixels)
    {
        float largest = float.NegativeInfinity, smallest = float.PositiveInfinity;
        foreach (float v in values)
        {
            if (!float.IsFinite(v)) continue; // NaN and infinities are left to the run's own warning
            if (v > largest) largest = v;
            if (v < smallest) smallest = v;
        }
        string trained = pixels.Recorded
            ? $"the model takes pixels in 0–1, as it was trained (its integer pixels 0–{pixels.FullScale} divided by {pixels.FullScale} {pixels.Source})"
            : $"the model normalizes its input itself ({ModelMetadata.InputNormalizationProperty}: {pixels.Normalization})";
        if (smallest < PixelScale.SmallestUnitPixel)
            Console.Error.WriteLine($"elr-run: warning: {path} holds float pixels from {smallest:G4} to {largest:G4}, but {trained}: "
                + "give the pixels before any normalization (mean and std), which the model applies itself.");
        else if (pixels.Recorded && largest > PixelScale.LargestUnitPixel)
            Console.Error.WriteLine($"elr-run: warning: {path} holds float pixels up to {largest:G4}, but {trained}: divide them by their own full scale "
                + $"(255 for 0–255 images), or save them as uint8 0–{pixels.FullScale} for elr-run to scale.");
    }

    /// <summary>Whether <paramref name="shape"/> is (N, C, H, W) for the model's H×W×C, C ≠ W: the same values per sample in
    /// another order, which the count check cannot tell.</summary>
    private static bool ChannelsFirst(long[] shape, TensorShape image) =>
        image.Rank == 3 && image[2] > 1 && image[2] != image[1] && shape.Length == 4
        && shape[1] == image[2] && shape[2] == image[0] && shape[3] == image[1];

    private static string Values(long count) => count == 1 ? "1 value" : $"{count} values";

    /// <summary>One sample of the whole shape, or a first dimension of samples followed by one sample's dimensions.</summary>
    private static bool IsSamplesOf(long[] shape, int sampleLength)
    {
        long all = shape.Aggregate(1L, (a, b) => a * b);
        return all == sampleLength || (shape.Length >= 2 && shape.Skip(1).Aggregate(1L, (a, b) => a * b) == sampleLength);
    }

    private static float[] RawFloats(byte[] bytes, string path)
    {
        if (bytes.Length % sizeof(float) != 0)
            throw new CliException($"{path} is {bytes.Length} bytes, not a whole number of f32 values; raw input must be little-endian f32 (or use .npy / IDX).", ExitCodes.BadInput);
        var values = new float[bytes.Length / sizeof(float)];
        for (int i = 0; i < values.Length; i++)
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * sizeof(float)));
        return values;
    }
}
