namespace EdgeLowRank.Compressor.Factorization;

/// <summary>
/// One matrix's CUR error curve together with the means to build the approximation at any rank of
/// it from the same selection and bases (see <see cref="CurDecomposition.Enumerate(double[], int, int, CurOptions, int)"/>):
/// <see cref="Factorize"/> at rank r returns exactly the Θ whose error <see cref="ErrorCurve"/> reports at r.
/// </summary>
public sealed class CurEnumeration
{
    private readonly Func<int, CurResult> _factorize;

    internal CurEnumeration(double[] errorCurve, Func<int, CurResult> factorize)
    {
        ErrorCurve = errorCurve;
        _factorize = factorize;
    }

    /// <summary>e(r) = ‖W − Θ(r)‖_F² for r = 0..MaxRank.</summary>
    public double[] ErrorCurve { get; }

    /// <summary>The highest rank enumerated.</summary>
    public int MaxRank => ErrorCurve.Length - 1;

    /// <summary>The CUR approximation at <paramref name="rank"/> (0..<see cref="MaxRank"/>).</summary>
    public CurResult Factorize(int rank)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rank, MaxRank);
        return _factorize(rank);
    }
}
