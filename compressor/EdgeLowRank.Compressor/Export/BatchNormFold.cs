using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Export;

/// <summary>
/// A <see cref="BatchNorm2d"/> folded into the layer before it, as the runtime has no batch norm and ONNX importers fold
/// BatchNormalization into the convolution: in evaluation mode the norm is y = z·s + shift per output channel, with
/// s = γ/√(running variance + ε) and shift = β − running mean·s, so the layer before it computes W' = W·s (each output
/// channel's weights scaled) and b' = b·s + shift = (b − running mean)·s + β (b = 0 when it has no bias).
/// </summary>
internal sealed class BatchNormFold
{
    private readonly float[] _scale, _shift;

    private BatchNormFold(BatchNorm2d norm) => (_scale, _shift) = norm.EvaluationAffine();

    /// <summary>The fold of <paramref name="norm"/> into <paramref name="before"/>, the layer whose output it normalizes.</summary>
    /// <exception cref="NotSupportedException"><paramref name="before"/> is not a dense, convolution, factorized or depthwise
    /// layer (the only ones with weights per output channel to scale).</exception>
    public static BatchNormFold Into(TrainingLayer before, BatchNorm2d norm) =>
        before is Dense or Conv2d or FactorizedLayer or DepthwiseConv2d ? new BatchNormFold(norm) : throw Refusal(norm, before);

    /// <summary>Why <paramref name="norm"/>, after <paramref name="before"/> (null: the network's input), cannot be exported.</summary>
    public static NotSupportedException Refusal(BatchNorm2d norm, TrainingLayer? before) =>
        new($"Batch norm {norm.Name} follows {(before is null ? "the network's input" : $"{before.Name} ({before.GetType().Name})")}: "
            + "the runtime has no batch norm, so the exporter folds each into the dense, convolution, factorized or depthwise layer right before it, "
            + "and cannot fold one after anything else (an Add, a concatenation, a pooling, an activation, another batch norm). Put the batch norm right after such a layer.");

    /// <summary><paramref name="converted"/>, the runtime's layer for the one before the norm, with the norm folded in
    /// (<see cref="LayerEdits.WithAffine"/>, the fold the ONNX import applies to a BatchNormalization node).</summary>
    public Layer Apply(Layer converted) => LayerEdits.WithAffine(converted, _scale, _shift);
}
