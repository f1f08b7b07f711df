using EdgeLowRank.Runtime.Layers;
using static EdgeLowRank.Onnx.OnnxProto;

namespace EdgeLowRank.Onnx.Tests;

/// <summary>torchvision's ResNet-18 as torch.onnx.export writes it (each block's main path, then its <c>downsample</c>
/// reading the block's input, then the Add and the Relu), or with the downsample first, with the layers the import should
/// make: each a kind and, for a Branch or an Add, the activation it continues from or adds (else −1).</summary>
internal static class ResNetGraphs
{
    /// <summary>After the stem: layer1–layer4 of 2 BasicBlocks each, of <paramref name="widths"/> channels from
    /// <paramref name="channels"/>, the first block of layers 2–4 of stride 2 with a downsample (a 1×1 Conv of stride 2 and
    /// a BatchNormalization); a batch normalization after every Conv (a node, or with <paramref name="folded"/> in the
    /// Conv's bias); then GlobalAveragePool, Flatten and fc (a Gemm with transposed weights) to <paramref name="classes"/>.
    /// The Convs' weights are scaled as He's initialization, so the activations keep their size through 20 Convs.</summary>
    public static void StagesAndHead(GraphBuilder g, long channels, long[] widths, int classes, bool folded, bool downsampleFirst,
        List<(LayerKind Kind, int Source)> expected)
    {
        for (int stage = 1; stage <= 4; stage++)
            for (int b = 0; b < 2; b++)
            {
                long width = widths[stage - 1], stride = stage > 1 && b == 0 ? 2 : 1;
                BasicBlock(g, $"layer{stage}.{b}", channels, width, stride, folded, downsampleFirst, expected);
                channels = width;
            }
        g.Then("GlobalAveragePool").Then("Flatten", Int("axis", 1))
            .Then("Gemm", [g.Weights("fc.weight", [classes, channels]), g.Weights("fc.bias", [classes])], Int("transB", 1));
        expected.AddRange([(LayerKind.AvgPool2d, -1), (LayerKind.Flatten, -1), (LayerKind.Dense, -1)]);
    }

    /// <summary>A layer's kind and, for a Branch or an Add, the activation it continues from or adds (else −1).</summary>
    public static (LayerKind Kind, int Source) Signature(Layer layer) =>
        (layer.Kind, layer switch { BranchLayer b => b.Source, AddLayer a => a.Source, _ => -1 });

    /// <summary>torchvision's BasicBlock: out = relu(bn1(conv1(x))); out = bn2(conv2(out)); identity = downsample(x) where the
    /// block changes its width or stride, else x; relu(out + identity). Adds the layers the import should make, with the
    /// activation each Branch continues from and each Add adds, to <paramref name="expected"/>.</summary>
    internal static void BasicBlock(GraphBuilder g, string name, long inputs, long width, long stride, bool folded, bool downsampleFirst,
        List<(LayerKind Kind, int Source)> expected)
    {
        string x = g.Current;
        int blockInput = expected.Count;   // x's activation
        bool projection = stride != 1 || inputs != width;
        string Downsample() => g.From(x).ConvBn(name + ".downsample", [width, inputs, 1, 1], relu: false, folded, stride: stride, heScaled: true).Current;

        string? shortcut = null;
        if (projection && downsampleFirst)
        {
            shortcut = Downsample();
            expected.AddRange([(LayerKind.Conv2d, -1), (LayerKind.Branch, blockInput)]);
        }
        string main = g.From(x).ConvBn(name + ".conv1", [width, inputs, 3, 3], relu: true, folded, stride: stride, heScaled: true)
            .ConvBn(name + ".conv2", [width, width, 3, 3], relu: false, folded, heScaled: true).Current;
        expected.AddRange([(LayerKind.Conv2d, -1), (LayerKind.Conv2d, -1)]);
        int mainEnd = expected.Count;
        if (projection && !downsampleFirst)
        {
            shortcut = Downsample();
            expected.AddRange([(LayerKind.Branch, blockInput), (LayerKind.Conv2d, -1)]);
        }
        // out += identity: the main path's output first.
        g.From(main).Residual(shortcut ?? x).Then("Relu");
        expected.Add((LayerKind.Add, !projection ? blockInput : downsampleFirst ? blockInput + 1 : mainEnd));
    }
}
