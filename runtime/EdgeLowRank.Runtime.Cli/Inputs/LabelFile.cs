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
    /// them may leave labels unused, as --expect may), each a class of the model's <paramref name="classes"/> outputs.</summary>
    public static long[] Read(string path, int samples, int run, int classes)
    {
        long[] labels = Integers(path);
        bool limited = run < samples;
        if (labels.Length != samples && !(limited && labels.Length >= run))
            throw new CliException($"{path} holds {labels.Length:N0} labels but {(limited ? $"{run:N0} samples are run" : $"the input holds {samples:N0} samples")}; "
                + "give one label per sample, in the input's order"
                // Fewer labels than samples, as for the first part of a test set: scoring that part is what --limit does.
                + (labels.Length < run ? $", or --limit {labels.Length:N0} to run and score the first {labels.Length:N0} samples." : "."), ExitCodes.BadInput);
        for (int i = 0; i < labels.Length; i++)
            if (labels[i] < 0 || labels[i] >= classes)
                throw new CliException($"{path}: label {labels[i]} at index {i} is not a class of the model, which has {classes} outputs (0 to {classes - 1}).", ExitCodes.BadInput);
        return labels;
    }

    /// <summary>The labels of a .npy of integers or an IDX file of bytes (MNIST's t10k-labels-idx1-ubyte).</summary>
    private static long[] Integers(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        if (IdxFile.LooksLikeIdx(bytes))
        {
            FileValues idx = IdxFile.Read(bytes, path);
            if (idx.Floats is not null) throw new CliException($"{path} is an IDX file of floats; labels are integers (an IDX file of bytes, or a .npy of integers).", ExitCodes.BadInput);
            var labels = new long[idx.Bytes.Length];
            ReadOnlySpan<byte> classes = idx.Bytes.Span;
            for (int i = 0; i < labels.Length; i++) labels[i] = classes[i];
            return labels;
        }
        if (!path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
            throw new CliException($"--labels {path}: give a .npy of integer labels (np.save('labels.npy', y), or elr data export's PART-labels.npy) or an IDX file of bytes.", ExitCodes.Usage);
        NpyArray array;
        try
        {
            array = NpyArray.Parse(bytes, path);
        }
        catch (NpyFormatException e)
        {
            throw new CliException(e.Message, ExitCodes.BadInput);
        }
        if (!array.IsInteger)
            throw new CliException($"{path} holds {NpyHeader.Descr(array.DataType)} values; labels are integers (uint8, int32, int64, …): save them with y.astype(np.int64)"
                + $"{(array.Shape.Count == 2 ? ", and one-hot rows as y.argmax(axis=1)" : "")}.", ExitCodes.BadInput);
        if (array.Shape.Count > 1 && array.Shape[1] > 1)
            throw new CliException($"{path} has shape ({string.Join(", ", array.Shape)}); labels are one integer per sample, shape (N,): one-hot rows become labels with y.argmax(axis=1).", ExitCodes.BadInput);
        return array.ToInt64s();
    }
}
