namespace EdgeLowRank.Compressor.Factorization;

/// <summary>
/// Nested index orders for CUR: the first p entries are the p rows (or columns) selected for any p.
/// Input is a set of singular vectors stored as rows (row t = the t-th vector, of length
/// <c>length</c>); the output is <c>count</c> distinct indices in 0..length−1.
/// </summary>
internal static class SelectionOrder
{
    /// <summary>Below this squared residual a candidate adds no new direction (the vectors have unit norm).</summary>
    internal const double NegligibleSquaredResidual = 1e-20;

    /// <summary>Depth of singular vectors the order of <paramref name="count"/> indices needs: the first block boundary ≥ count.</summary>
    public static int RequiredDepth(CurSelection method, int count, int limit) =>
        method == CurSelection.Deim ? count : SelectionBlocks.FirstAtLeast(count, limit);

    /// <summary>
    /// The first <paramref name="count"/> indices of the nested order. <paramref name="limit"/> is
    /// min(m, n) of the matrix: it fixes the block boundaries, so a shorter order is always a prefix of
    /// a longer one for the same matrix and seed.
    /// </summary>
    public static int[] Compute(CurSelection method, double[] vectorRows, int length, int count, int limit, int seed) => method switch
    {
        CurSelection.QDeim => NestedPivotedQr.Compute(vectorRows, length, count, limit),
        CurSelection.Deim => Deim(vectorRows, length, count),
        CurSelection.TopLeverage => BlockedLeverage(vectorRows, length, count, limit, random: null),
        CurSelection.LeverageSampling => BlockedLeverage(vectorRows, length, count, limit, new Random(seed)),
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown CUR selection."),
    };

    /// <summary>The index of the largest value among those not yet picked.</summary>
    internal static int ArgMaxUnpicked(double[] values, bool[] picked)
    {
        int best = -1;
        for (int j = 0; j < values.Length; j++)
        {
            if (!picked[j] && (best < 0 || values[j] > values[best]))
            {
                best = j;
            }
        }
        return best;
    }

    /// <summary>
    /// DEIM as Gaussian elimination with partial pivoting on the vectors: after eliminating the
    /// earlier pivots, vector j holds exactly its DEIM interpolation residual, and its largest entry is
    /// the next index. length·count²/2 flops instead of a fresh interpolation solve per step.
    /// </summary>
    private static int[] Deim(double[] vectorRows, int length, int count)
    {
        var work = vectorRows.AsSpan(0, count * length).ToArray();
        var picked = new bool[length];
        var order = new int[count];
        for (int j = 0; j < count; j++)
        {
            Span<double> vector = work.AsSpan(j * length, length);
            int pivot = -1;
            for (int i = 0; i < length; i++)
            {
                if (!picked[i] && (pivot < 0 || Math.Abs(vector[i]) > Math.Abs(vector[pivot])))
                {
                    pivot = i;
                }
            }
            picked[pivot] = true;
            order[j] = pivot;
            double pivotValue = vector[pivot];
            if (pivotValue * pivotValue <= NegligibleSquaredResidual)
            {
                continue;
            }
            for (int t = j + 1; t < count; t++)
            {
                Span<double> later = work.AsSpan(t * length, length);
                DenseKernels.AddScaled(later, -later[pivot] / pivotValue, vector);
            }
        }
        return order;
    }

    /// <summary>
    /// Leverage scores at depth b (ℓⱼ = Σ_{t&lt;b} v_t[j]²), block by block: the top scores among the
    /// indices not yet chosen, or, with <paramref name="random"/>, draws without replacement ∝ ℓⱼ.
    /// </summary>
    private static int[] BlockedLeverage(double[] vectorRows, int length, int count, int limit, Random? random)
    {
        var order = new List<int>(count);
        var picked = new bool[length];
        var scores = new double[length];
        int scoredDepth = 0;
        foreach (int depth in SelectionBlocks.Boundaries(limit))
        {
            if (order.Count >= count)
            {
                break;
            }
            for (; scoredDepth < depth; scoredDepth++)
            {
                ReadOnlySpan<double> vector = vectorRows.AsSpan(scoredDepth * length, length);
                for (int j = 0; j < length; j++)
                {
                    scores[j] += vector[j] * vector[j];
                }
            }
            int target = Math.Min(depth, count);
            while (order.Count < target)
            {
                int next = random is null ? ArgMaxUnpicked(scores, picked) : Draw(scores, picked, random);
                picked[next] = true;
                order.Add(next);
            }
        }
        return order.ToArray();
    }

    private static int Draw(double[] weights, bool[] picked, Random random)
    {
        double total = 0;
        for (int j = 0; j < weights.Length; j++)
        {
            total += picked[j] ? 0 : weights[j];
        }
        if (total <= 0)
        {
            // No leverage left outside the chosen set: the first free index.
            return Array.IndexOf(picked, false);
        }
        double target = random.NextDouble() * total;
        int last = -1;
        for (int j = 0; j < weights.Length; j++)
        {
            if (picked[j] || weights[j] <= 0)
            {
                continue;
            }
            last = j;
            target -= weights[j];
            if (target < 0)
            {
                return j;
            }
        }
        return last;
    }
}
