namespace EdgeLowRank.Compressor.Factorization;

/// <summary>
/// The C step's rank enumeration (learning-compression, Idelbayev &amp; Carreira-Perpiñán 2020): for
/// one layer, argmin over r of λ·C(r) + μ/2·e(r), where e(r) = ‖W − Θ(r)‖_F² comes from
/// <see cref="SvdResult.ErrorCurve"/> or <see cref="CurDecomposition.ErrorCurve(MathNet.Numerics.LinearAlgebra.Matrix{double}, CurOptions?, int)"/>.
/// </summary>
public static class RankSelection
{
    /// <summary>
    /// Ranks r with r(m+n) ≥ mn, i.e. r ≥ mn/(m+n), store no less than the dense matrix: they are
    /// not candidates. The first of them is returned.
    /// </summary>
    public static int DenseThreshold(int rows, int columns) =>
        (int)Math.Ceiling((double)rows * columns / ((double)rows + columns));

    /// <summary>
    /// Returns the cheapest of: every factorized rank r in 0..min(DenseThreshold − 1, curve end), with
    /// objective λ·cost.OfRank(r) + μ/2·errorCurve[r]; and the dense layer, λ·cost.Dense. Ties go to
    /// the smaller rank, then to factorized over dense. O(number of ranks).
    /// </summary>
    public static RankChoice Choose(ReadOnlySpan<double> errorCurve, int rows, int columns, RankCost cost, double lambda, double mu)
    {
        ArgumentNullException.ThrowIfNull(cost);
        if (!(lambda >= 0) || !(mu >= 0) || double.IsInfinity(lambda) || double.IsInfinity(mu))
        {
            throw new ArgumentOutOfRangeException(nameof(lambda), $"λ and μ must be finite and ≥ 0 (got λ = {lambda}, μ = {mu}).");
        }
        if (errorCurve.IsEmpty)
        {
            throw new ArgumentException("The error curve needs at least e(0).", nameof(errorCurve));
        }
        int lastCandidate = Math.Min(DenseThreshold(rows, columns) - 1, errorCurve.Length - 1);
        RankChoice best = RankChoice.Dense(rows, columns, cost, lambda);
        for (int r = lastCandidate; r >= 0; r--)
        {
            double objective = lambda * cost.OfRank(r) + 0.5 * mu * errorCurve[r];
            if (objective <= best.Objective)
            {
                best = new RankChoice(r, KeepDense: false, objective);
            }
        }
        return best;
    }
}
