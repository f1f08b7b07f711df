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

/// <summary>The words of <c>elr quantize --dynamic-ops</c>, as the file's metadata and the quantization log record them.</summary>
public static class DynamicOpsWords
{
    /// <summary>"dense", "conv" or "dense,conv".</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ops"/> selects no kind, or one that does not exist.</exception>
    public static string Of(DynamicOps ops) => ops switch
    {
        DynamicOps.Dense => "dense",
        DynamicOps.Convolution => "conv",
        DynamicOps.All => "dense,conv",
        _ => throw new ArgumentOutOfRangeException(nameof(ops), ops, "Expected Dense, Convolution or both."),
    };
}
