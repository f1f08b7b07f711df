using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>
/// The activation a kernel applies as it stores its outputs, which saves a pass over memory: none, ReLU max(x, 0),
/// ReLU6 min(max(x, 0), 6), which a session fuses from a separate Relu6 layer after a convolution (MobileNetV2's ONNX
/// Clip(0, 6)), or the hard swish x·min(max(x + 3, 0), 6) / 6, fused from a HardSwish layer (MobileNetV3's). ReLU is ReLU6
/// with an infinite ceiling; a store takes the minimum only when there is a ceiling (<see cref="Caps"/>), so a ReLU store
/// is the maximum alone, as it was before ReLU6. A hard swish store computes <see cref="HardSwishKernel"/>'s operations in
/// its order, so fusing it changes no bit. A file stores only none or ReLU (<see cref="Activation"/>); the others exist in
/// memory only.
/// </summary>
internal readonly record struct FusedActivation
{
    private FusedActivation(bool clamps, float ceiling, bool hardSwishes = false)
    {
        Clamps = clamps;
        Ceiling = ceiling;
        Caps = clamps && float.IsFinite(ceiling);
        HardSwishes = hardSwishes;
    }

    /// <summary>Whether outputs are clamped to [0, <see cref="Ceiling"/>].</summary>
    public bool Clamps { get; }

    /// <summary>Whether the clamp has a finite ceiling (ReLU6), not only a floor.</summary>
    public bool Caps { get; }

    /// <summary>The largest output when clamping: +∞ for ReLU, 6 for ReLU6.</summary>
    public float Ceiling { get; }

    /// <summary>Whether outputs go through the hard swish (and are not clamped).</summary>
    public bool HardSwishes { get; }

    public static FusedActivation None => new(false, float.PositiveInfinity);

    public static FusedActivation Relu => new(true, float.PositiveInfinity);

    public static FusedActivation Relu6 => new(true, 6f);

    public static FusedActivation HardSwish => new(false, float.PositiveInfinity, hardSwishes: true);

    /// <summary>A layer's own activation as its kernel applies it.</summary>
    public static FusedActivation Of(Activation activation) => activation == Activation.Relu ? Relu : None;

    /// <summary>The activation of one value: the scalar oracles' rule.</summary>
    public float Apply(float x) => HardSwishes ? HardSwishKernel.Of(x) : Clamps ? MathF.Min(MathF.Max(x, 0f), Ceiling) : x;
}
