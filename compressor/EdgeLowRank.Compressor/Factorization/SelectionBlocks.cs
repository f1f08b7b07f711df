namespace EdgeLowRank.Compressor.Factorization;

/// <summary>
/// The block boundaries b₀ = 1 &lt; b₁ &lt; … (each about 1.5× the previous, capped at the limit) that
/// make every selection nested and the oversampled error curve cheap. Indices b_{i−1}..b_i − 1 of a
/// selection order are chosen from the top bᵢ singular vectors while keeping the earlier indices,
/// so a prefix of any length is a valid selection and a prefix ending at a boundary is the method
/// run with bᵢ vectors. With oversampling, p(r) is the first boundary ≥ ρr, so all ranks sharing a
/// boundary share one core, and one small eigenproblem per boundary serves all of them.
/// </summary>
internal static class SelectionBlocks
{
    private const double Growth = 1.5;

    /// <summary>The boundaries up to and including <paramref name="limit"/> (empty when limit is 0).</summary>
    public static int[] Boundaries(int limit)
    {
        var boundaries = new List<int>();
        for (int b = 1; limit > 0; b = Math.Max(b + 1, (int)Math.Ceiling(b * Growth)))
        {
            if (b >= limit)
            {
                boundaries.Add(limit);
                break;
            }
            boundaries.Add(b);
        }
        return boundaries.ToArray();
    }

    /// <summary>p(r): how many rows and columns are selected for target rank r (r itself when ρ = 1).</summary>
    public static int SelectedCount(int rank, double oversampling, int limit)
    {
        if (rank == 0)
        {
            return 0;
        }
        if (oversampling == 1)
        {
            return Math.Min(rank, limit);
        }
        return FirstAtLeast((int)Math.Min(limit, Math.Ceiling(oversampling * rank)), limit);
    }

    /// <summary>
    /// The first boundary at or above <paramref name="count"/> (the limit when count passes it): the block a nested order
    /// of <paramref name="count"/> indices ends in, so the depth of singular vectors it is chosen from.
    /// </summary>
    public static int FirstAtLeast(int count, int limit)
    {
        foreach (int b in Boundaries(limit))
        {
            if (b >= count)
            {
                return b;
            }
        }
        return limit;
    }
}
