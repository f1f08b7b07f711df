namespace EdgeLowRank.Runtime.Layers;

/// <summary>How a layer's weight matrix was produced; recorded in the model for reports.</summary>
public enum FactorizationMethod : uint
{
    /// <summary>Not from a decomposition: a full-rank (dense) matrix, or, on a factorized layer, factors trained
    /// directly from a random start.</summary>
    None = 0,
    /// <summary>Truncated singular value decomposition: factors U√Σ and √ΣVᵀ.</summary>
    Svd = 1,
    /// <summary>CUR decomposition: factors CU and R.</summary>
    Cur = 2,
}
