using EdgeLowRank.Runtime.IO;

namespace EdgeLowRank.Runtime.Cli.Inputs;

/// <summary>
/// `elr-run run --labels`: the true class of each input sample, from a .npy of integers (as `elr data export` and NumPy
/// write them) or an IDX file of bytes, checked against the input and the model; <see cref="Scoring.LabelScore"/> scores
/// the outputs against them.
/// </summary>
internal static class LabelFile
{
    /// <summary>One label per sample run (<paramref name="run"/> of the input's <paramref name="samples"/>: a --limit below
    /// them may leave labels unused, as --expect may), each a class of the model's <paramref name="classes"/> outputs. The
    /// header is read and the count checked first, and the labels then read only when they are as many as needed: a file
    /// was read whole before any check (886 MB for 100 MB of labels to one sample).</summary>
    public static long[] Read(string path, int samples, int run, int classes)
    {
        long[] labels = Integers(path, count => RequireCount(path, count, samples, run));
        for (int i = 0; i < labels.Length; i++)
            if (labels[i] < 0 || labels[i] >= classes)
                throw new CliException($"{path}: label {labels[i]} at index {i} is not a class of the model, which has {classes} outputs (0 to {classes - 1}).", ExitCodes.BadInput);
        return labels;
    }

    private static void RequireCount(string path, long count, int samples, int run)
    {
        bool limited = run < samples;
        if (count != samples && !(limited && count >= run))
            throw new CliException($"{path} holds {count:N0} labels but {(limited ? $"{run:N0} samples are run" : $"the input holds {samples:N0} samples")}; "
                + "give one label per sample, in the input's order"
                // Fewer labels than samples, as for the first part of a test set: scoring that part is what --limit does.
                + (count < run ? $", or --limit {count:N0} to run and score the first {count:N0} samples." : "."), ExitCodes.BadInput);
    }

    /// <summary>The labels of a .npy of integers or an IDX file of bytes (MNIST's t10k-labels-idx1-ubyte), after
    /// <paramref name="requireCount"/> accepts the count their header gives.</summary>
    private static long[] Integers(string path, Action<long> requireCount)
    {
        InputFile.RequireReadableWhole(path);
        var start = new byte[IdxFile.LongestHeader];
        long length;
        using (FileStream stream = File.OpenRead(path))
        {
            length = stream.Length;
            start = start[..stream.ReadAtLeast(start, start.Length, throwOnEndOfStream: false)];
        }
        if (IdxFile.LooksLikeIdx(start))
        {
            (long[] shape, _, int width) = IdxFile.ReadHeader(start, length, path);
            if (width != 1) throw new CliException($"{path} is an IDX file of floats; labels are integers (an IDX file of bytes, or a .npy of integers).", ExitCodes.BadInput);
            requireCount(shape.Aggregate(1L, (a, b) => a * b));
            FileValues idx = IdxFile.Read(File.ReadAllBytes(path), path);
            var labels = new long[idx.Bytes.Length];
            ReadOnlySpan<byte> classes = idx.Bytes.Span;
            for (int i = 0; i < labels.Length; i++) labels[i] = classes[i];
            return labels;
        }
        if (!path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
            throw new CliException($"--labels {path}: give a .npy of integer labels (np.save('labels.npy', y), or elr data export's PART-labels.npy) or an IDX file of bytes.", ExitCodes.Usage);
        try
        {
            NpyHeader header = NpyHeader.Read(path);
            if (!header.IsInteger)
                throw new CliException($"{path} holds {NpyHeader.Descr(header.DataType)} values; labels are integers (uint8, int32, int64, …): save them with y.astype(np.int64)"
                    + $"{(header.Shape.Count == 2 ? ", and one-hot rows as y.argmax(axis=1)" : "")}.", ExitCodes.BadInput);
            if (header.Shape.Count > 1 && header.Shape[1] > 1)
                throw new CliException($"{path} has shape ({string.Join(", ", header.Shape)}); labels are one integer per sample, shape (N,): one-hot rows become labels with y.argmax(axis=1).", ExitCodes.BadInput);
            requireCount(header.Count);
            return NpyArray.Read(path).ToInt64s();
        }
        catch (NpyFormatException e)
        {
            throw new CliException(e.Message, ExitCodes.BadInput);
        }
    }
}
