namespace EdgeLowRank.Compressor.Compression;

/// <summary>The C step's outcome for one layer: the chosen rank, Θ_l and, when low-rank, its two factors.</summary>
/// <param name="Rank">The rank; min(m, n) when the layer stays dense.</param>
/// <param name="KeepDense">True when the layer stays dense: no admissible rank beats it, or the options hold it dense (the classifier, --keep-dense).</param>
/// <param name="Theta">Θ_l, row-major m×n (for a dense layer the C step's target itself, so its error is 0).</param>
/// <param name="Left">The m×r factor, row-major (SVD: U√Σ; CUR: C·U), or null for a dense layer.</param>
/// <param name="Right">The r×n factor, row-major (SVD: √ΣVᵀ; CUR: the row side), or null for a dense layer.</param>
/// <param name="AtCheapestAdmissible">Whether the choice costs the least of every rank the rank guard admits and the dense
/// layer, so that no larger λ would choose otherwise; null for a layer the options hold dense, or one read from a checkpoint.</param>
public sealed record LayerDecision(int Rank, bool KeepDense, float[] Theta, float[]? Left, float[]? Right, bool? AtCheapestAdmissible = null);
