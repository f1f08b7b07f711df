namespace EdgeLowRank.Compressor.Export;

/// <summary>Which kinds of matrix layer <see cref="ActivationQuantization.Dynamic"/> makes multiply in integers
/// (<c>elr quantize --dynamic-ops</c>, as ONNX Runtime's quantize_dynamic takes op_types_to_quantize); the layers of a kind left
/// out stay weight-only. Integer convolutions can be slower than f32 ones on a CPU without VNNI, where integer dense layers
/// are still faster, so a user may want the dense layers alone.</summary>
[Flags]
public enum DynamicOps
{
    /// <summary>Dense and FactorizedDense layers (<c>dense</c>).</summary>
    Dense = 1,

    /// <summary>Conv2d and FactorizedConv2d layers (<c>conv</c>); depthwise convolutions stay weight-only whatever the selection.</summary>
    Convolution = 2,

    /// <summary>Every matrix layer (<c>dense,conv</c>, the default).</summary>
    All = Dense | Convolution,
}
