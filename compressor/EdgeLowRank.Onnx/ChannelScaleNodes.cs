using EdgeLowRank.Runtime.Layers;
using Onnx;

namespace EdgeLowRank.Onnx;

/// <summary>
/// A squeeze-and-excitation block's Mul read as the runtime's <see cref="ChannelScaleLayer"/> (format 1.9). The block's
/// input x (activation j, an image N×C×H×W) is pooled to N×C×1×1, sent through two 1×1 Convs and a gate (HardSigmoid in
/// MobileNetV3, Sigmoid in EfficientNet), and the Mul multiplies x by the gate, which ONNX broadcasts over the height and
/// width; torch.onnx.export writes Mul(gate, x). The gate is the chain's tensor (its path starts from x, which the chain
/// was at, so no Branch), and x an earlier activation the layer reads, as an Add reads its source: ChannelScale ← j. A
/// vector's features may be scaled so too, by a gate of one value per feature; a vector gate Unsqueezed to N×C×1×1
/// (as the export writes one) scales an image's channels.
/// </summary>
internal static class ChannelScaleNodes
{
    /// <summary>What the runtime takes as a product of two computed tensors, for messages.</summary>
    public const string Scales = "the runtime multiplies two computed tensors only as x·σ(x) (SiLU: a Sigmoid whose output only that Mul reads), "
        + "x·HardSigmoid(x) with alpha 1/6 and beta 0.5 (hardswish), or as a squeeze-and-excitation gate: an earlier activation (batch × C × H × W, "
        + "or batch × C) times the chain's tensor, one value per channel (batch × C × 1 × 1, or batch × C), computed from it";

    /// <summary>Whether <paramref name="node"/> is a Mul of two computed tensors (a Mul of a constant is a normalization).</summary>
    public static bool Reads(NodeProto node, GraphWeights weights) =>
        node.OpType == "Mul" && node.Input.Count(i => i.Length > 0 && !weights.IsWeight(i)) >= 2;

    /// <summary>The layer for the Mul <paramref name="node"/>, whose chain input, the gate, is <paramref name="current"/>
    /// (activation <paramref name="layerIndex"/> of <paramref name="gate"/>); <paramref name="gateAsImage"/> when ONNX holds
    /// that vector as N×C×1×1 (after an Unsqueeze), and <paramref name="layoutKept"/> when its elements are in the runtime's
    /// order.</summary>
    /// <exception cref="OnnxImportException">Anything but an earlier activation times a gate of one value per channel.</exception>
    public static ChannelScaleLayer Read(NodeProto node, NodeAttributes a, string current, int layerIndex, TensorShape gate, bool gateAsImage, bool layoutKept,
        ResidualNodes joins)
    {
        a.AllowOnly();
        a.Require(node.Input.Count == 2, $"it multiplies {node.Input.Count} tensors; {Scales}.");
        string source = node.Input[0] == current ? node.Input[1] : node.Input[0];
        a.Require(source != current, $"it multiplies '{current}' by itself; {Scales}.");
        a.Require(layoutKept, $"its input '{current}' is a flattened channels-first image or an image transposed to channels-last, whose order is not "
            + "the runtime's; compute the gate from a pooled image (GlobalAveragePool, Conv 1×1) or from a vector a Gemm or MatMul made.");
        (int index, TensorShape scaled) = joins.Joined(source, Scales, a);
        a.Require(index < layerIndex, $"'{source}' and '{current}' are one activation (only nodes that make no runtime layer between them); {Scales}.");
        int channels = scaled[scaled.Rank - 1];
        bool image = ChannelsFirst.IsImage(scaled);
        // ONNX broadcasts from the last dimension: an image's gate must be N×C×1×1, a vector's N×C.
        bool fits = image ? gate == new TensorShape(1, 1, channels) || gateAsImage && gate == new TensorShape(channels)
            : gate == new TensorShape(channels) && !gateAsImage;
        string gateShape = gateAsImage ? $"batch × {gate[0]} × 1 × 1" : ResidualNodes.Describe(gate);
        a.Require(fits, $"it multiplies '{source}' ({ResidualNodes.Describe(scaled)}) by '{current}' ({gateShape}); {Scales}: the gate must be "
            + $"{(image ? $"batch × {channels} × 1 × 1" : $"batch × {channels}")}. An element-wise product of two images, or one ONNX broadcasts otherwise, "
            + "has no runtime layer.");
        return new ChannelScaleLayer(index);
    }
}
