namespace EdgeLowRank.Runtime.Layers;

/// <summary>An activation applied to a layer's output inside the same kernel (fused), saving one pass over memory.</summary>
public enum Activation : uint
{
    /// <summary>The identity: the output is the affine result.</summary>
    None = 0,
    /// <summary>max(0, x).</summary>
    Relu = 1,
}
