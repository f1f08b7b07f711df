namespace EdgeLowRank.Compressor.Factorization;

/// <summary>C(r), the compression cost of a layer at rank r, and the cost of keeping it dense.</summary>
/// <param name="OfRank">C(r) for a factorized layer of rank r.</param>
/// <param name="Dense">The cost of the dense m×n layer (error 0).</param>
public sealed record RankCost(Func<int, double> OfRank, double Dense)
{
    /// <summary>Storage: r(m+n) numbers factorized, mn dense.</summary>
    public static RankCost Storage(int rows, int columns) =>
        new(r => (double)r * (rows + columns), (double)rows * columns);

    /// <summary>
    /// Multiply–adds per input: r(m+n)·pixels factorized, mn·pixels dense; <paramref name="outputPixels"/>
    /// is 1 for a dense layer and the output height × width for a convolution.
    /// </summary>
    public static RankCost Flops(int rows, int columns, long outputPixels) =>
        new(r => (double)r * (rows + columns) * outputPixels, (double)rows * columns * outputPixels);
}

/// <summary>The outcome of the C step's enumeration for one layer.</summary>
/// <param name="Rank">The chosen rank; min(m,n) when the layer stays dense.</param>
/// <param name="KeepDense">True when the layer stays dense: no rank below mn/(m+n) beats it, or it is held dense (<see cref="Dense"/>).</param>
/// <param name="Objective">λ·C + μ/2·e at the choice.</param>
public readonly record struct RankChoice(int Rank, bool KeepDense, double Objective)
{
    /// <summary>The dense m×n layer: rank min(m, n), objective λ·C(dense) (its error is 0).</summary>
    public static RankChoice Dense(int rows, int columns, RankCost cost, double lambda) => new(Math.Min(rows, columns), KeepDense: true, lambda * cost.Dense);
}
