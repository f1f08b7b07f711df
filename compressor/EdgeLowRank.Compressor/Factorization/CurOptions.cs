namespace EdgeLowRank.Compressor.Factorization;

/// <summary>How CUR picks its columns J and rows I from the singular vectors of W.</summary>
public enum CurSelection
{
    /// <summary>
    /// Q-DEIM (Drmač &amp; Gugercin 2016): column-pivoted QR on the top-k singular vectors; the pivots are
    /// the indices. Well-conditioned selection with the best known error bound; the default.
    /// </summary>
    QDeim,

    /// <summary>
    /// DEIM (Chaturantabut &amp; Sorensen 2010; for CUR Sorensen &amp; Embree 2016): index j is where the
    /// j-th singular vector is worst interpolated by the indices already chosen. Nested by construction.
    /// </summary>
    Deim,

    /// <summary>The indices with the largest leverage scores ℓⱼ = ‖V_k(j,:)‖² (deterministic; Papailiopoulos et al. 2014).</summary>
    TopLeverage,

    /// <summary>Indices sampled without replacement with probability ∝ leverage score (Mahoney &amp; Drineas 2009), seeded.</summary>
    LeverageSampling,
}

/// <summary>Which small core joins C and R.</summary>
public enum CurCore
{
    /// <summary>U = C⁺ W R⁺: the best core for the chosen C and R (an orthogonal projection of W). The default.</summary>
    Projection,

    /// <summary>
    /// U = W(I,J)⁺ (the cross / skeleton approximation). Cheaper to explain but far worse on matrices
    /// that are not exactly low-rank: the intersection W(I,J) is often ill-conditioned and its
    /// pseudo-inverse amplifies everything outside the selected rows and columns. Offered only for
    /// comparison; <see cref="CurDecomposition.ErrorCurve(MathNet.Numerics.LinearAlgebra.Matrix{double}, CurOptions?, int)"/> does not support it.
    /// </summary>
    Cross,
}

/// <summary>Settings of a CUR decomposition.</summary>
/// <param name="Selection">How rows and columns are chosen.</param>
/// <param name="Oversampling">
/// ρ ≥ 1. For target rank r, p(r) ≥ ρ·r rows and columns are selected (rounded up to the next
/// selection block, see <see cref="CurDecomposition"/>), and the core is truncated back to rank r
/// through its SVD, so storage stays r(m+n). ρ = 1 selects exactly r and does not truncate.
/// Oversampling guards against CUR keeping too little energy at low ranks.
/// </param>
/// <param name="Core">Projection core (default) or the inferior cross core.</param>
/// <param name="Seed">Seed of <see cref="CurSelection.LeverageSampling"/>; the same seed gives the same indices.</param>
public sealed record CurOptions(
    CurSelection Selection = CurSelection.QDeim,
    double Oversampling = 2.0,
    CurCore Core = CurCore.Projection,
    int Seed = 0)
{
    /// <summary>Throws when a setting is out of range, naming the setting and the allowed range.</summary>
    internal void Validate()
    {
        if (!(Oversampling >= 1) || double.IsInfinity(Oversampling))
        {
            throw new ArgumentOutOfRangeException(nameof(Oversampling), Oversampling, "CUR oversampling ρ must be a finite number ≥ 1 (1 = no oversampling).");
        }
        if (!Enum.IsDefined(Selection))
        {
            throw new ArgumentOutOfRangeException(nameof(Selection), Selection, "Unknown CUR selection; use QDeim, Deim, TopLeverage or LeverageSampling.");
        }
        if (!Enum.IsDefined(Core))
        {
            throw new ArgumentOutOfRangeException(nameof(Core), Core, "Unknown CUR core; use Projection or Cross.");
        }
    }
}
