using EdgeLowRank.Compressor.Factorization;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Compression;

/// <summary>
/// The error of every candidate rank of one C-step target A = W − λ_l/μ, and the means to build Θ at
/// the chosen rank from the same decomposition (one SVD, or one CUR selection, per layer and step).
/// </summary>
internal sealed class LayerCurve
{
    private readonly Func<int, LowRankFactors> _factorize;

    private LayerCurve(double[] errors, Func<int, LowRankFactors> factorize)
    {
        Errors = errors;
        _factorize = factorize;
    }

    /// <summary>e(r) = ‖A − Θ(r)‖² for r = 0..MaxCandidateRank.</summary>
    public double[] Errors { get; }

    /// <summary>Θ at <paramref name="rank"/>.</summary>
    public LowRankFactors Factorize(int rank) => _factorize(rank);

    /// <summary>Decomposes A of <paramref name="layer"/> with <paramref name="options"/>' method, up to the dense threshold.</summary>
    public static LayerCurve Build(CompressibleLayer layer, double[] target, LcOptions options)
    {
        int m = layer.Rows, n = layer.Columns, highest = layer.MaxCandidateRank;
        if (options.Method == FactorizationMethod.Svd)
        {
            SvdResult svd = TruncatedSvd.Compute(target, m, n, highest);
            return new LayerCurve(svd.ErrorCurve()[..(highest + 1)], svd.Truncate);
        }
        CurEnumeration cur = CurDecomposition.Enumerate(target, m, n, options.Cur, highest);
        return new LayerCurve(cur.ErrorCurve, rank => cur.Factorize(rank).Factors);
    }
}
