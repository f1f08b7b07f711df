namespace EdgeLowRank.Compressor.Data;

/// <summary>
/// Seeded, per-class split of sample indices into two disjoint parts. Splitting each class on its
/// own keeps the class balance of both parts, which matters for the small digits set (≈180 a class).
/// </summary>
internal static class StratifiedSplit
{
    /// <summary>How many of a class of <paramref name="count"/> samples are held out: round(count × fraction), halves away from zero.</summary>
    public static int HeldOut(int count, double fraction) => (int)Math.Round(count * fraction, MidpointRounding.AwayFromZero);

    /// <summary>
    /// Returns the kept and held-out indices, each ascending; either may be empty. From each class,
    /// round(count × fraction) samples, chosen by a seeded shuffle, are held out.
    /// </summary>
    public static (int[] Keep, int[] HeldOut) Split(ReadOnlySpan<byte> labels, int classCount, double fraction, ulong seed)
    {
        if (!(fraction > 0 && fraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "The held-out fraction must be strictly between 0 and 1.");
        }

        var byClass = new List<int>[classCount];
        for (int c = 0; c < classCount; c++)
        {
            byClass[c] = [];
        }
        for (int i = 0; i < labels.Length; i++)
        {
            byClass[labels[i]].Add(i);
        }

        var random = new SeededRandom(seed);
        var keep = new List<int>(labels.Length);
        var heldOut = new List<int>();
        foreach (List<int> members in byClass)
        {
            int[] shuffled = [.. members];
            random.Shuffle(shuffled);
            int held = HeldOut(shuffled.Length, fraction);
            heldOut.AddRange(shuffled.AsSpan(0, held));
            keep.AddRange(shuffled.AsSpan(held));
        }
        keep.Sort();
        heldOut.Sort();
        return (keep.ToArray(), heldOut.ToArray());
    }
}
