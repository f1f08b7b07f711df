using System.Globalization;

namespace EdgeLowRank.Compressor.Data;

/// <summary>
/// Labeled images in memory: <see cref="Count"/> samples of one <see cref="SampleShape"/>
/// (channels-last), pixels as float32 in [0, 1], one byte label per sample in 0..ClassCount−1.
/// Immutable once built; subsets copy their samples so each part owns contiguous memory,
/// which is what the trainer's batches want.
/// </summary>
public sealed class Dataset
{
    private readonly float[] _pixels;
    private readonly byte[] _labels;

    /// <summary>
    /// Creates a data set that takes ownership of <paramref name="pixels"/> and
    /// <paramref name="labels"/> (they must not be changed afterwards).
    /// </summary>
    /// <param name="name">A name for messages and reports, e.g. "mnist/train".</param>
    /// <param name="sampleShape">The shape of every sample.</param>
    /// <param name="pixels">Count × sampleShape.Size values in [0, 1], sample after sample.</param>
    /// <param name="labels">One label per sample, each below the number of class names.</param>
    /// <param name="classNames">The name of each class, indexed by label.</param>
    public Dataset(string name, SampleShape sampleShape, float[] pixels, byte[] labels, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(classNames);
        if (classNames.Count is < 1 or > 256)
        {
            throw new ArgumentException($"{classNames.Count} class names; byte labels allow 1 to 256.", nameof(classNames));
        }
        if ((long)labels.Length * sampleShape.Size != pixels.Length)
        {
            throw new ArgumentException(
                $"{pixels.Length} pixel values do not make {labels.Length} samples of {sampleShape}.", nameof(pixels));
        }
        int badLabel = labels.AsSpan().IndexOfAnyInRange((byte)classNames.Count, byte.MaxValue);
        if (badLabel >= 0)
        {
            throw new ArgumentException(
                $"label {labels[badLabel]} of sample {badLabel} is not below the class count {classNames.Count}.", nameof(labels));
        }

        Name = name;
        SampleShape = sampleShape;
        ClassNames = classNames.ToArray();
        _pixels = pixels;
        _labels = labels;
    }

    /// <summary>A name for messages and reports, e.g. "mnist/train".</summary>
    public string Name { get; }

    /// <summary>The shape of every sample (height, width, channels).</summary>
    public SampleShape SampleShape { get; }

    /// <summary>Number of samples.</summary>
    public int Count => _labels.Length;

    /// <summary>Number of classes; labels are 0..ClassCount−1.</summary>
    public int ClassCount => ClassNames.Count;

    /// <summary>The name of each class, indexed by label.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>All pixels, sample after sample, each sample <c>SampleShape.Size</c> values in [0, 1].</summary>
    public ReadOnlyMemory<float> Pixels => _pixels;

    /// <summary>All labels, one per sample.</summary>
    public ReadOnlyMemory<byte> Labels => _labels;

    /// <summary>The range of the pixels where they are float pixels of a user's folder that look like 0–255 ones
    /// (<see cref="UnscaledFloatPixels.Suspect"/>, the condition of the load's warning); null otherwise. Kept so that a
    /// divergence on them can name this cause (<see cref="UnscaledFloatPixels.DivergenceCause"/>), and carried to subsets.</summary>
    internal FloatPixelRange? UnscaledPixels { get; init; }

    /// <summary>The pixels of sample <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> Sample(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        int size = SampleShape.Size;
        return _pixels.AsSpan(index * size, size);
    }

    /// <summary>A new data set of the samples at <paramref name="indices"/>, in that order (copied).</summary>
    public Dataset Subset(IReadOnlyList<int> indices, string name)
    {
        ArgumentNullException.ThrowIfNull(indices);
        int size = SampleShape.Size;
        var pixels = new float[checked(indices.Count * size)];
        var labels = new byte[indices.Count];
        for (int i = 0; i < indices.Count; i++)
        {
            Sample(indices[i]).CopyTo(pixels.AsSpan(i * size, size));
            labels[i] = _labels[indices[i]];
        }
        return new Dataset(name, SampleShape, pixels, labels, ClassNames) { UnscaledPixels = UnscaledPixels };
    }

    /// <summary>
    /// Why <see cref="SplitValidation"/> with <paramref name="validationFraction"/> would leave a class out of a part (the
    /// share, rounded per class, holds out none of a class's samples, or all of them), or null when every class that has
    /// samples has them on both sides. A class missing from validation would make its score silent on that class, and one
    /// missing from training cannot be learned. This is stricter than scikit-learn's stratified split, which refuses only a
    /// class of one sample and a part smaller than the number of classes. It counts labels and copies nothing, so a
    /// command can check a user's share before it prints or trains anything.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The fraction is not in (0, 1).</exception>
    public string? HoldOutProblem(double validationFraction)
    {
        if (!(validationFraction > 0 && validationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "The held-out fraction must be strictly between 0 and 1.");
        if (Count == 0) return $"{Name} has no samples to hold out from.";
        var perClass = new int[ClassCount];
        foreach (byte label in _labels) perClass[label]++;
        // Rounding is per class, so a small class can lose its held-out part (or its training part) while the total
        // looks fine. round(n·f) is 0 for n·f < ½ and n for n·f ≥ n − ½, so the smallest class is the first to fail
        // either way: checking it checks them all.
        int rarest = Enumerable.Range(0, ClassCount).Where(c => perClass[c] > 0).MinBy(c => perClass[c]);
        int smallest = perClass[rarest];
        if (smallest == 1)
            return $"{Name} has a single sample of class '{ClassNames[rarest]}', which cannot be both held out and trained on: no share splits it.";
        int held = StratifiedSplit.HeldOut(smallest, validationFraction);
        if (held > 0 && held < smallest) return null;
        string holding = $"holding out {Invariant(validationFraction)} of each class of {Name} ({Count:N0} samples)";
        string which = $"class '{ClassNames[rarest]}' ({smallest:N0} samples)";
        return held == 0
            ? $"{holding} holds out none of {which}; give a share of at least {Invariant(LeastShareHoldingOne(smallest))}."
            : $"{holding} leaves none of {which} to train on; give a smaller share.";
    }

    private static string Invariant(double value) => value.ToString("0.##########", CultureInfo.InvariantCulture);

    /// <summary>The least share with two significant digits that holds out one of <paramref name="count"/> samples:
    /// about ½/n. Candidates are stepped in the second digit as the decimals a user types (0.00005 is the double nearest
    /// to it, a hair above), not as k·10⁻ᵈ in floating point, which for n = 10,000 lands just below the tie and would
    /// make 0.000051 look like the least.</summary>
    private static double LeastShareHoldingOne(int count)
    {
        int scale = 1 - (int)Math.Floor(Math.Log10(0.5 / count));
        decimal unit = new(1, 0, 0, false, (byte)scale);
        long steps = (long)Math.Ceiling(0.5 / count * Math.Pow(10, scale));
        while (steps > 1 && StratifiedSplit.HeldOut(count, (double)((steps - 1) * unit)) >= 1) steps--;
        while (StratifiedSplit.HeldOut(count, (double)(steps * unit)) < 1) steps++;
        return (double)(steps * unit);
    }

    /// <summary>
    /// Splits off a validation part: from every class, a seeded random
    /// <paramref name="validationFraction"/> of its samples (rounded) goes to validation, the rest
    /// to training. Both parts keep the original order. The same seed always gives the same split,
    /// on every machine and .NET version (see <see cref="SeededRandom"/>).
    /// </summary>
    /// <param name="validationFraction">Share of each class held out, strictly between 0 and 1.</param>
    /// <param name="seed">Selects the split.</param>
    /// <exception cref="ArgumentOutOfRangeException">The fraction is not in (0, 1).</exception>
    /// <exception cref="DatasetException">The fraction, rounded per class, leaves a class out of a part (a user's share such as 0.0001).</exception>
    public (Dataset Train, Dataset Validation) SplitValidation(double validationFraction, ulong seed)
    {
        if (HoldOutProblem(validationFraction) is string problem) throw new DatasetException(problem);
        (int[] keep, int[] heldOut) = StratifiedSplit.Split(_labels, ClassCount, validationFraction, seed);
        return (Subset(keep, $"{Name}:train"), Subset(heldOut, $"{Name}:validation"));
    }
}
