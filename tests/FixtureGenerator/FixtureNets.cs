using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.FixtureGenerator;

/// <summary>The golden networks (tests/fixtures/README.md describes each), weights drawn from
/// fixed seeds with Kaiming-uniform scale so activations stay in a sensible range.</summary>
internal static class FixtureNets
{
    private static readonly string[] Digits = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    public static IEnumerable<NetSpec> All() =>
    [
        LeNet300Dense(), LeNet300Factorized(), TinyOdd(), LeNet5Dense(), LeNet5Factorized(),
        // Since format 1.3: int8 twins, panel tails (tiny-odd), factorized dense and convolution layers.
        Int8Twin.Of(LeNet300Factorized(), "lenet300-factorized-int8"), Int8Twin.Of(TinyOdd(), "tiny-odd-int8"),
        Int8Twin.Of(LeNet5Factorized(), "lenet5-factorized-int8"),
        // Since format 1.4: tanh, sigmoid and average pooling.
        LeNet5Of1998(),
        // Since format 1.5: depthwise convolutions.
        DepthwiseSeparable(),
        // Since format 1.6: residual connections.
        ResidualBlocks(),
        InvertedResiduals(),
        // Since format 1.7: shortcuts with layers of their own (Branch).
        ProjectionShortcuts(),
        // Since format 1.8: paths joined by stacking their channels (Concat), slices and shuffles of channels.
        FireModules(),
        ShuffleUnits(),
        // Since format 1.9: hard swish, hard sigmoid, SiLU and squeeze-and-excitation (ChannelScale).
        SqueezeExcite(),
        // Since format 1.10: integer products, each sample's inputs quantized as the layer runs.
        Int8Twin.Dynamic(Int8Twin.Of(LeNet300Factorized(), "lenet300-factorized-int8"), "lenet300-factorized-dynamic"),
        Int8Twin.Dynamic(Int8Twin.Of(TinyOdd(), "tiny-odd-int8"), "tiny-odd-dynamic"),
        // Since format 1.11: integer convolutions, each image quantized as the layer runs.
        Int8Twin.Dynamic(Int8Twin.Of(LeNet5Factorized(), "lenet5-factorized-int8"), "lenet5-factorized-dynamic"),
        // Format 1.11, no new kind: 1×1 depthwise convolutions, which a session runs as per-channel affine maps.
        ChannelAffine(),
        // Format 1.11, no new kind: metadata that records only the input normalization folded into the first layer.
        FoldedNormalization(),
        // Since format 1.12: the leaky ReLU, its slope stored in the record.
        LeakyRelus(),
        // Since format 1.13: windows padded differently per side, in 88-byte layer records.
        UnevenPadding(),
    ];

    /// <summary>784-300-100-10, ReLU fused into the hidden layers, softmax last.</summary>
    private static NetSpec LeNet300Dense()
    {
        const ulong seed = 300_100_1;
        var rng = new SplitMix64(seed);
        return new NetSpec("lenet300-dense", [784],
            [Dense(rng, 784, 300, relu: true), Dense(rng, 300, 100, relu: true), Dense(rng, 100, 10, relu: false),
             new ElementwiseSpec(LayerKind.Softmax)],
            Metadata("LeNet-300-100, dense", Digits, seed), seed);
    }

    /// <summary>The same shape with layers 1 and 2 factorized (ranks 30 by SVD, 20 by CUR), the last dense.</summary>
    private static NetSpec LeNet300Factorized()
    {
        const ulong seed = 300_100_2;
        var rng = new SplitMix64(seed);
        return new NetSpec("lenet300-factorized", [784],
            [Factorized(rng, 784, 30, 300, relu: true, FactorizationMethod.Svd, bias: true),
             Factorized(rng, 300, 20, 100, relu: true, FactorizationMethod.Cur, bias: true),
             Dense(rng, 100, 10, relu: false), new ElementwiseSpec(LayerKind.Softmax)],
            Metadata("LeNet-300-100, ranks 30/20/full", Digits, seed), seed);
    }

    /// <summary>37×1×1 flattened, 37→19 dense, a separate ReLU, 19→7 factorized at rank 5 without bias;
    /// every size odd, so every panel has a padded tail. Outputs are logits (no softmax).</summary>
    private static NetSpec TinyOdd()
    {
        const ulong seed = 37_19_5_7;
        var rng = new SplitMix64(seed);
        return new NetSpec("tiny-odd", [37, 1, 1],
            [new ElementwiseSpec(LayerKind.Flatten), Dense(rng, 37, 19, relu: false), new ElementwiseSpec(LayerKind.Relu),
             Factorized(rng, 19, 5, 7, relu: false, FactorizationMethod.Svd, bias: false)],
            Metadata("odd shapes: panel tails, separate ReLU, no bias", ["α", "β", "γ", "δ", "ε", "ζ", "η"], seed), seed);
    }

    /// <summary>Caffe's LeNet-5 on 28×28×1: conv 20@5×5, max-pool 2/2, conv 50@5×5, max-pool 2/2, flatten (4·4·50 = 800),
    /// dense 800→500 (ReLU fused), dense 500→10, softmax. The convolutions have no activation, as in Caffe.</summary>
    private static NetSpec LeNet5Dense()
    {
        const ulong seed = 5_20_50_500_1;
        var rng = new SplitMix64(seed);
        return new NetSpec("lenet5-dense", [28, 28, 1],
            [Conv(rng, 1, 20, 5), new MaxPoolSpec(2, 2), Conv(rng, 20, 50, 5), new MaxPoolSpec(2, 2),
             new ElementwiseSpec(LayerKind.Flatten), Dense(rng, 800, 500, relu: true), Dense(rng, 500, 10, relu: false),
             new ElementwiseSpec(LayerKind.Softmax)],
            Metadata("LeNet-5 (Caffe), dense", Digits, seed), seed);
    }

    /// <summary>LeNet-5 with conv2 factorized at rank 12 (CUR) and dense 800→500 at rank 40 (SVD); conv1 and the last layer dense.</summary>
    private static NetSpec LeNet5Factorized()
    {
        const ulong seed = 5_20_50_500_2;
        var rng = new SplitMix64(seed);
        return new NetSpec("lenet5-factorized", [28, 28, 1],
            [Conv(rng, 1, 20, 5), new MaxPoolSpec(2, 2), FactorizedConv(rng, 20, 12, 50, 5, FactorizationMethod.Cur), new MaxPoolSpec(2, 2),
             new ElementwiseSpec(LayerKind.Flatten), Factorized(rng, 800, 40, 500, relu: true, FactorizationMethod.Svd, bias: true),
             Dense(rng, 500, 10, relu: false), new ElementwiseSpec(LayerKind.Softmax)],
            Metadata("LeNet-5 (Caffe), ranks conv2 12 / fc1 40", Digits, seed), seed);
    }

    /// <summary>LeNet-5 in the common form of LeCun et al. (1998) on 28×28×1: conv 6@5×5 padding 2, tanh, average-pool 2/2,
    /// conv 16@5×5, tanh, average-pool 2/2, flatten (5·5·16 = 400), dense 400→120, tanh, dense 120→84, sigmoid (where the
    /// zoo's network has a tanh, so the golden files hold every 1.4 kind), dense 84→10, softmax.</summary>
    private static NetSpec LeNet5Of1998()
    {
        const ulong seed = 1998_6_16_120_84;
        var rng = new SplitMix64(seed);
        return new NetSpec("lenet5-1998", [28, 28, 1],
            [Conv(rng, 1, 6, 5, padding: 2), new ElementwiseSpec(LayerKind.Tanh), new AvgPoolSpec(2, 2),
             Conv(rng, 6, 16, 5), new ElementwiseSpec(LayerKind.Tanh), new AvgPoolSpec(2, 2),
             new ElementwiseSpec(LayerKind.Flatten), Dense(rng, 400, 120, relu: false), new ElementwiseSpec(LayerKind.Tanh),
             Dense(rng, 120, 84, relu: false), new ElementwiseSpec(LayerKind.Sigmoid), Dense(rng, 84, 10, relu: false),
             new ElementwiseSpec(LayerKind.Softmax)],
            Metadata("LeNet-5 (LeCun 1998 form), tanh, sigmoid and average pooling", Digits, seed), seed);
    }

    /// <summary>A small MobileNet-style network on 28×28×1 whose depthwise convolutions take each way a session runs them
    /// (below <c>Vector&lt;float&gt;.Count</c> channels the block-diagonal dense convolution, else the depthwise kernel): conv
    /// 3@3×3 padding 1 (ReLU fused); depthwise 3×3 over 3 channels (dense on x64 and arm64), padding 1, bias, ReLU fused;
    /// pointwise 1×1 to 6 (ReLU); depthwise 3×3 stride 2 padding 1 over 6 channels (dense with AVX2, the kernel's overlapping
    /// 4-lane vectors on arm64), bias,
    /// ReLU; a factorized pointwise 1×1 6→4→12 and a ReLU layer; depthwise 5×5 stride 2 padding 2 over 12 channels without
    /// bias, followed by a ReLU layer the session fuses into it; flatten (7·7·12 = 588), dense 588→10. Outputs are logits, so
    /// every pixel of every depthwise output moves them (a softmax or a global pooling would flatten their differences).</summary>
    private static NetSpec DepthwiseSeparable()
    {
        const ulong seed = 1_5_3_6_12;
        var rng = new SplitMix64(seed);
        return new NetSpec("depthwise-separable", [28, 28, 1],
            [Conv(rng, 1, 3, 3, padding: 1, relu: true), Depthwise(rng, 3, 3, 1, 1, bias: true, relu: true),
             Conv(rng, 3, 6, 1, relu: true), Depthwise(rng, 6, 3, 2, 1, bias: true, relu: true),
             FactorizedConv(rng, 6, 4, 12, 1, FactorizationMethod.Svd), new ElementwiseSpec(LayerKind.Relu),
             Depthwise(rng, 12, 5, 2, 2, bias: false, relu: false), new ElementwiseSpec(LayerKind.Relu),
             new ElementwiseSpec(LayerKind.Flatten), Dense(rng, 588, 10, relu: false)],
            Metadata("depthwise-separable CNN: depthwise convolutions over 3, 6 and 12 channels", Digits, seed), seed);
    }

    /// <summary>A small ResNet-style network on 28×28×1 whose Add layers read every place an added activation can live: the
    /// caller's input (a 3×3 convolution of one channel plus the image, ReLU fused into the Add); conv 8@3×3 padding 1 (ReLU),
    /// max-pool 2/2; a basic block (conv 3×3 + ReLU, conv 3×3, Add of the block's input, a ReLU layer fused into the Add,
    /// whose output a later Add reads); a depthwise 3×3 (ReLU) and a factorized 1×1 8→4→8 whose pre-ReLU output an Add reads
    /// (so the session cannot fuse the ReLU layer after it), then an Add of the block's input with its ReLU in the record,
    /// and an Add of that pre-ReLU output; average-pool 2/2, flatten (7·7·8 = 392), dense 392→16 (ReLU), dense 16→16 and
    /// an Add of the dense layer's input, dense 16→10. Outputs are logits.</summary>
    private static NetSpec ResidualBlocks()
    {
        const ulong seed = 1_6_8_16_10;
        var rng = new SplitMix64(seed);
        return new NetSpec("residual-blocks", [28, 28, 1],
            [Conv(rng, 1, 1, 3, padding: 1), new AddSpec(0, Relu: true),                                   // layers 0–1
             Conv(rng, 1, 8, 3, padding: 1, relu: true), new MaxPoolSpec(2, 2),                            // 2–3: activation 4
             Conv(rng, 8, 8, 3, padding: 1, relu: true), Conv(rng, 8, 8, 3, padding: 1),                   // 4–5
             new AddSpec(4, Relu: false), new ElementwiseSpec(LayerKind.Relu),                             // 6–7: activation 8
             Depthwise(rng, 8, 3, 1, 1, bias: true, relu: true), FactorizedConv(rng, 8, 4, 8, 1, FactorizationMethod.Svd), // 8–9: activation 10
             new ElementwiseSpec(LayerKind.Relu), new AddSpec(8, Relu: true), new AddSpec(10, Relu: false), // 10–12
             new AvgPoolSpec(2, 2), new ElementwiseSpec(LayerKind.Flatten),                                // 13–14: activation 15
             Dense(rng, 392, 16, relu: true), Dense(rng, 16, 16, relu: false), new AddSpec(16, Relu: false),     // 15–17
             Dense(rng, 16, 10, relu: false)],
            Metadata("residual CNN: Add layers reading the input, held block inputs and a pre-ReLU activation", Digits, seed), seed);
    }

    /// <summary>Two MobileNet v2 inverted residual blocks on 28×28×1, ReLU6 as a layer of its own: conv 8@3×3 stride 2
    /// padding 1 and ReLU6 (14×14×8); per block, expand 1×1 8→24 and ReLU6, depthwise 3×3 padding 1 over 24 channels and
    /// ReLU6, project 1×1 24→8 with no activation (MobileNet v2's linear bottleneck), Add of the block's input; average-pool
    /// 2/2, flatten (7·7·8 = 392), dense 392→10. Outputs are logits. The first convolution's weights are scaled ×3 so that
    /// some activations pass 6 and every ReLU6 clips at both ends.</summary>
    private static NetSpec InvertedResiduals()
    {
        const ulong seed = 2_8_24_8_10;
        var rng = new SplitMix64(seed);
        ConvSpec stem = Conv(rng, 1, 8, 3, padding: 1);
        var relu6 = new ElementwiseSpec(LayerKind.Relu6);
        LayerSpec[] Block(int input) =>
            [Conv(rng, 8, 24, 1), relu6, Depthwise(rng, 24, 3, 1, 1, bias: true, relu: false), relu6, Conv(rng, 24, 8, 1), new AddSpec(input, Relu: false)];
        return new NetSpec("inverted-residuals", [28, 28, 1],
            [stem with { Stride = 2, Weights = stem.Weights.Select(w => 3 * w).ToArray() }, relu6, // layers 0–1: activation 2
             .. Block(2),                                                                         // 2–7: activation 8
             .. Block(8),                                                                         // 8–13
             new AvgPoolSpec(2, 2), new ElementwiseSpec(LayerKind.Flatten), Dense(rng, 392, 10, relu: false)],
            Metadata("MobileNet v2 inverted residuals: ReLU6, depthwise, linear bottlenecks and Adds", Digits, seed), seed);
    }

    /// <summary>ResNet's projection shortcuts on 28×28×1: a stem as torchvision's ResNet has it, conv 8@3×3 padding 1 with
    /// a bias shifted by −1 and no ReLU (so that some windows on the edge hold only negative values, where a zero padding
    /// would win) and max-pool 3×3 stride 2 padding 1 (since format 1.7), 14×14×8; a downsampling basic block as torchvision runs it (conv 16@3×3 stride 2 (ReLU), conv 16@3×3, then a Branch back to the block's input,
    /// its 1×1 stride-2 projection and the Add of the main path, ReLU), 7×7×16; a block that widens to 24 channels with the
    /// projection first (1×1 conv, Branch back to the block's input, conv 24@3×3 (ReLU), a CUR-factorized 3×3 conv (rank 6),
    /// Add of the projection, ReLU); a Branch back to the model's input, a 1×1 stride-4 convolution of it and an Add of the
    /// block's output; global average pooling (7/7), flatten, dense 24→10. Outputs are logits.</summary>
    private static NetSpec ProjectionShortcuts()
    {
        const ulong seed = 1_7_16_24_10;
        var rng = new SplitMix64(seed);
        ConvSpec Strided(ConvSpec conv, int stride) => conv with { Stride = stride };
        ConvSpec Shifted(ConvSpec conv, float shift) => conv with { Bias = conv.Bias.Select(b => b + shift).ToArray() };
        FactorizedConvSpec main = FactorizedConv(rng, 24, 6, 24, 3, FactorizationMethod.Cur);
        return new NetSpec("projection-shortcuts", [28, 28, 1],
            [Shifted(Conv(rng, 1, 8, 3, padding: 1), -1), new MaxPoolSpec(3, 2, WindowPadding.Even(1)),            // layers 0–1: activation 2
             Strided(Conv(rng, 8, 16, 3, padding: 1, relu: true), 2), Conv(rng, 16, 16, 3, padding: 1),  // 2–3: activation 4
             new BranchSpec(2), Strided(Conv(rng, 8, 16, 1), 2), new AddSpec(4, Relu: true),             // 4–6: activation 7
             Conv(rng, 16, 24, 1), new BranchSpec(7),                                                     // 7–8: activation 8 held
             Conv(rng, 16, 24, 3, padding: 1, relu: true), main with { Pads = WindowPadding.Even(1) }, new AddSpec(8, Relu: true), // 9–11
             new BranchSpec(0), Strided(Conv(rng, 1, 24, 1), 4), new AddSpec(12, Relu: false),           // 12–14
             new AvgPoolSpec(7, 7), new ElementwiseSpec(LayerKind.Flatten), Dense(rng, 24, 10, relu: false)],
            Metadata("ResNet projection shortcuts: Branch layers back to a block's input and to the model's input", Digits, seed), seed);
    }

    /// <summary>SqueezeNet's Fire modules on 28×28×1: a stem conv 12@3×3 padding 1 (ReLU) and max-pool 3×3 stride 2,
    /// 13×13×12; a Fire module as torchvision runs it (squeeze 1×1 to 4 (ReLU), expand 1×1 to 8 (ReLU), a Branch back to
    /// the squeeze's output, expand 3×3 padding 1 to 8 (ReLU), the Concat of the expand 1×1 output first), 13×13×16; a Fire
    /// module that runs its CUR-factorized expand 3×3 (rank 3, then a ReLU layer) first and joins with the input's channels
    /// first, so the stack is still [expand 1×1, expand 3×3]; a Concat of the stem's pooled output after its input (a
    /// dense skip), 13×13×28; SqueezeNet's classifier, conv 10@1×1 (ReLU) and global average pooling (13/13), flatten.
    /// Outputs are the pooled scores.</summary>
    private static NetSpec FireModules()
    {
        const ulong seed = 1_8_12_16_28;
        var rng = new SplitMix64(seed);
        FactorizedConvSpec expand3 = FactorizedConv(rng, 4, 3, 8, 3, FactorizationMethod.Cur) with { Pads = WindowPadding.Even(1) };
        return new NetSpec("fire-modules", [28, 28, 1],
            [Conv(rng, 1, 12, 3, padding: 1, relu: true), new MaxPoolSpec(3, 2),                               // layers 0–1: activation 2
             Conv(rng, 12, 4, 1, relu: true), Conv(rng, 4, 8, 1, relu: true), new BranchSpec(3),                // 2–4: activations 3, 4
             Conv(rng, 4, 8, 3, padding: 1, relu: true), new ConcatSpec(4),                                     // 5–6: activation 7
             Conv(rng, 16, 4, 1, relu: true), expand3, new ElementwiseSpec(LayerKind.Relu), new BranchSpec(8), // 7–10: activations 8, 10
             Conv(rng, 4, 8, 1, relu: true), new ConcatSpec(10, InputFirst: true),                              // 11–12: activation 13
             new ConcatSpec(2, InputFirst: true),                                                               // 13: 13×13×28
             Conv(rng, 28, 10, 1, relu: true), new AvgPoolSpec(13, 13), new ElementwiseSpec(LayerKind.Flatten)],
            Metadata("SqueezeNet Fire modules: Branch layers back to a squeeze's output and Concat layers in both orders", Digits, seed), seed);
    }

    /// <summary>ShuffleNet v2's units on 28×28×1, as torchvision runs them with their batch norms folded into biases: a stem
    /// conv 8@3×3 stride 2 padding 1 (ReLU), 14×14×8; a downsampling unit (branch 1: depthwise 3×3 stride 2, conv 1×1
    /// (ReLU); a Branch back to the unit's input; branch 2: conv 1×1 (ReLU), depthwise 3×3 stride 2, conv 1×1 (ReLU);
    /// the Concat of branch 1 first; a shuffle of 2 groups), 7×7×16; a basic unit (the second half of the channels
    /// through conv 1×1 (ReLU), depthwise 3×3, an SVD-factorized conv 1×1 (rank 4, ReLU); a Branch back to the unit's
    /// input; its first half; the Concat with it first; a shuffle of 2 groups); conv 12@1×1 (ReLU), global average pooling
    /// (7/7), flatten, dense 12→10. Outputs are logits.</summary>
    private static NetSpec ShuffleUnits()
    {
        const ulong seed = 1_8_8_16_12;
        var rng = new SplitMix64(seed);
        ConvSpec Strided(ConvSpec conv, int stride) => conv with { Stride = stride };
        FactorizedConvSpec project = FactorizedConv(rng, 8, 4, 8, 1, FactorizationMethod.Svd) with { Relu = true };
        return new NetSpec("shuffle-units", [28, 28, 1],
            [Strided(Conv(rng, 1, 8, 3, padding: 1, relu: true), 2),                                                       // layer 0: activation 1
             Depthwise(rng, 8, 3, 2, 1, bias: true, relu: false), Conv(rng, 8, 8, 1, relu: true), new BranchSpec(1),        // 1–3: activation 3 held
             Conv(rng, 8, 8, 1, relu: true), Depthwise(rng, 8, 3, 2, 1, bias: true, relu: false), Conv(rng, 8, 8, 1, relu: true), // 4–6
             new ConcatSpec(3), new ChannelShuffleSpec(2),                                                                 // 7–8: activation 9
             new ChannelSliceSpec(8, 8), Conv(rng, 8, 8, 1, relu: true), Depthwise(rng, 8, 3, 1, 1, bias: true, relu: false), project, // 9–12
             new BranchSpec(9), new ChannelSliceSpec(0, 8), new ConcatSpec(13, InputFirst: true), new ChannelShuffleSpec(2), // 13–16
             Conv(rng, 16, 12, 1, relu: true), new AvgPoolSpec(7, 7), new ElementwiseSpec(LayerKind.Flatten), Dense(rng, 12, 10, relu: false)],
            Metadata("ShuffleNet v2 units: channel slices, Concats and channel shuffles", Digits, seed), seed);
    }

    /// <summary>MobileNetV3's and EfficientNet's blocks on 28×28×1, batch norms folded: a stem conv 8@3×3 stride 2 padding 1
    /// and a hard swish, 14×14×8; a MobileNetV3 block (expand 1×1 to 16 and hard swish, depthwise 3×3 padding 1 and hard
    /// swish; squeeze-and-excitation: global average pooling, conv 1×1 to 4 (ReLU), conv 1×1 to 16, PyTorch's hard sigmoid
    /// (1/6, 1/2), the ChannelScale of the depthwise output; project 1×1 to 8; the Add of the block's input); an EfficientNet
    /// MBConv block (expand 1×1 to 24 and SiLU, depthwise 3×3 stride 2 padding 1 and SiLU, 7×7×24; squeeze-and-excitation
    /// with a SiLU and a sigmoid gate; an SVD-factorized project 1×1 to 12 (rank 4)); global average pooling (7/7),
    /// flatten, dense 12→16, hard swish, dense 16→10, as MobileNetV3's classifier. Outputs are logits. The stem's weights
    /// are scaled ×2 so that the hard swishes see values past both kinks (±3).</summary>
    private static NetSpec SqueezeExcite()
    {
        const ulong seed = 1_9_16_24_12;
        var rng = new SplitMix64(seed);
        var hardSwish = new ElementwiseSpec(LayerKind.HardSwish);
        var silu = new ElementwiseSpec(LayerKind.Silu);
        ConvSpec stem = Conv(rng, 1, 8, 3, padding: 1);
        FactorizedConvSpec project = FactorizedConv(rng, 24, 4, 12, 1, FactorizationMethod.Svd);
        return new NetSpec("squeeze-excite", [28, 28, 1],
            [stem with { Stride = 2, Weights = stem.Weights.Select(w => 2 * w).ToArray() }, hardSwish,           // layers 0–1: activation 2
             Conv(rng, 8, 16, 1), hardSwish, Depthwise(rng, 16, 3, 1, 1, bias: true, relu: false), hardSwish,     // 2–5: activation 6
             new AvgPoolSpec(14, 14), Conv(rng, 16, 4, 1, relu: true), Conv(rng, 4, 16, 1),                       // 6–8
             new HardSigmoidSpec(1f / 6, 0.5f), new ChannelScaleSpec(6), Conv(rng, 16, 8, 1), new AddSpec(2, Relu: false), // 9–12: activation 13
             Conv(rng, 8, 24, 1), silu, Depthwise(rng, 24, 3, 2, 1, bias: true, relu: false), silu,               // 13–16: activation 17
             new AvgPoolSpec(7, 7), Conv(rng, 24, 6, 1), silu, Conv(rng, 6, 24, 1),                               // 17–20
             new ElementwiseSpec(LayerKind.Sigmoid), new ChannelScaleSpec(17), project,                            // 21–23
             new AvgPoolSpec(7, 7), new ElementwiseSpec(LayerKind.Flatten), Dense(rng, 12, 16, relu: false), hardSwish, Dense(rng, 16, 10, relu: false)],
            Metadata("MobileNetV3 and EfficientNet blocks: hard swish, hard sigmoid, SiLU and squeeze-and-excitation", Digits, seed), seed);
    }

    /// <summary>Leaky ReLUs on 28×28×1: conv 6@3×3 stride 2 (13×13×6, 1,014 floats a sample: a partial vector at both widths)
    /// and PyTorch's default slope 0.01; conv 8@3×3 stride 2 (6×6×8) and a slope of 0.2; flatten (288), dense 288→16 and a
    /// slope of −0.5 (ONNX's LeakyRelu takes any, and a negative one turns the sign of what ReLU would drop); dense 16→10.
    /// Random weights with biases leave about half of each activation negative, so every slope moves the logits.</summary>
    private static NetSpec LeakyRelus()
    {
        const ulong seed = 1_12_6_8_16;
        var rng = new SplitMix64(seed);
        ConvSpec first = Conv(rng, 1, 6, 3), second = Conv(rng, 6, 8, 3);
        return new NetSpec("leaky-relu", [28, 28, 1],
            [first with { Stride = 2 }, new LeakyReluSpec(0.01f), second with { Stride = 2 }, new LeakyReluSpec(0.2f),
             new ElementwiseSpec(LayerKind.Flatten), Dense(rng, 288, 16, relu: false), new LeakyReluSpec(-0.5f), Dense(rng, 16, 10, relu: false)],
            Metadata("leaky ReLUs of slopes 0.01, 0.2 and -0.5", Digits, seed), seed);
    }

    /// <summary>Windows padded differently per side (format 1.13), as other frameworks pad them, on 28×28×1: conv 12@3×3
    /// stride 2 (ReLU) padded (top 0, left 0, bottom 1, right 1), TensorFlow's SAME over an even side, 14×14×12; depthwise
    /// 3×3 stride 2 (bias, ReLU) padded (1, 0, 1, 2), SAME after Keras' ZeroPadding2D(((1, 0), (0, 1))) folded into it, so
    /// that the top differs from the left and the bottom from the right, 7×7×12 (the depthwise loop on AVX2's 8 lanes, its
    /// 3×3 interior rows starting at a left padding unlike the top, and the block-diagonal convolution on AVX-512's 16); an
    /// SVD-factorized conv 4×4 to rank 6 then 16 channels padded (1, 1, 2, 2), PyTorch's padding='same' with an even kernel,
    /// 7×7×16; max-pool 2/2 padded (0, 0, 1, 1), Keras' MaxPooling2D SAME over the odd side, whose last windows hold one row
    /// or column of the image, 4×4×16; flatten (256), dense 256→10. A side taken for another moves the logits or the
    /// shapes.</summary>
    private static NetSpec UnevenPadding()
    {
        const ulong seed = 1_13_0_0_1_1;
        var rng = new SplitMix64(seed);
        var same = new WindowPadding(0, 0, 1, 1);
        ConvSpec stem = Conv(rng, 1, 12, 3, relu: true);
        DepthwiseSpec depthwise = Depthwise(rng, 12, 3, 2, 0, bias: true, relu: true);
        FactorizedConvSpec wide = FactorizedConv(rng, 12, 6, 16, 4, FactorizationMethod.Svd);
        return new NetSpec("uneven-padding", [28, 28, 1],
            [stem with { Stride = 2, Pads = same }, depthwise with { Pads = new WindowPadding(1, 0, 1, 2) }, wide with { Pads = new WindowPadding(1, 1, 2, 2) },
             new MaxPoolSpec(2, 2, same), new ElementwiseSpec(LayerKind.Flatten), Dense(rng, 4 * 4 * 16, 10, relu: false)],
            Metadata("windows padded per side: TensorFlow's SAME at stride 2, a Keras ZeroPadding2D folded in, PyTorch's 'same' with a 4×4 kernel, Keras' SAME pooling", Digits, seed), seed);
    }

    /// <summary>1×1, stride-1, unpadded depthwise convolutions, which a session runs as per-channel affine maps
    /// (<c>ChannelAffineKernel</c>, which treats the pixels as one run of floats and pads its last, partial vector), so that the
    /// arm64 emulation checks run that kernel on AdvSimd's 4 lanes as the tests run it on AVX2's 8: on 28×28×1, the input
    /// normalization <c>elr import-onnx</c> keeps before a layer that cannot absorb it (w = 1/0.3081, b = −0.1307/0.3081, as
    /// MNIST's transforms.Normalize; 1 channel, fewer than either width's lanes, 784 floats a sample, no partial vector); conv
    /// 3@3×3 stride 2, 13×13×3; a 1×1 depthwise over 3 channels without bias, its filters scaled ×3 so that the ReLU6 layer the
    /// session fuses into it clips above 6 as well as below 0 (fewer channels than either width's lanes; 507 floats a sample, so
    /// a partial vector on both); conv 1×1 to 11 (ReLU); a 1×1
    /// depthwise over 11 channels with bias and ReLU (more channels than either width's lanes, so the fused multiply-add; 1,859
    /// floats a sample, a partial vector on both, and at batch 4 on AVX2's 8 lanes); flatten (1,859), dense
    /// 1,859→10, its weights scaled by 1/4 so that the logits stay within a few units (the ×3 and the normalization's gain make
    /// them large otherwise). No pooling: every output of every 1×1 layer moves the logits, the last pixel's channels too, where
    /// the partial vectors fall (a 2/2 pooling of the 13×13 image dropped them, and a bug planted in the kernel's last vector
    /// went unseen).</summary>
    private static NetSpec ChannelAffine()
    {
        const ulong seed = 1_11_1_3_11;
        var rng = new SplitMix64(seed);
        ConvSpec stem = Conv(rng, 1, 3, 3);
        DepthwiseSpec clipped = Depthwise(rng, 3, 1, 1, 0, bias: false, relu: false);
        ConvSpec widen = Conv(rng, 3, 11, 1, relu: true);
        DepthwiseSpec inner = Depthwise(rng, 11, 1, 1, 0, bias: true, relu: true);
        DenseSpec classifier = Dense(rng, 13 * 13 * 11, 10, relu: false);
        return new NetSpec("channel-affine", [28, 28, 1],
            [new DepthwiseSpec(1, 1, 1, default, [1 / 0.3081f], [-0.1307f / 0.3081f], Relu: false),
             stem with { Stride = 2 },
             clipped with { Filters = clipped.Filters.Select(w => 3 * w).ToArray() }, new ElementwiseSpec(LayerKind.Relu6),
             widen, inner,
             new ElementwiseSpec(LayerKind.Flatten), classifier with { Weights = classifier.Weights.Select(w => w / 4).ToArray() }],
            WithPixelMax(Metadata("1×1 depthwise convolutions (per-channel affine maps) over 1, 3 and 11 channels: an input normalization and two inner layers", Digits, seed), 16), seed);
    }

    /// <summary>A model as `elr import-onnx --input-mean 0.1307 --input-std 0.3081` writes it from a network trained on MNIST
    /// standardized by transforms.Normalize, with neither a data set nor --pixel-max: the normalization folded into the first
    /// layer (a 3×3 stride-2 unpadded convolution, which takes it exactly: w / 0.3081, b − Σw · 0.1307 / 0.3081), recorded as
    /// import.input-normalization, and no input.pixel-max. The one golden model that records a normalization and no scale, so
    /// that the checks of classify.py and elr-run see their warning of standardized float pixels given to such a model (and
    /// none for pixels in 0–1). On 28×28×1: conv 4@3×3 stride 2 (ReLU), 13×13×4; flatten (676); dense 676→10.</summary>
    private static NetSpec FoldedNormalization()
    {
        const float mean = 0.1307f, std = 0.3081f;
        const ulong seed = 1_11_0_1307;
        var rng = new SplitMix64(seed);
        ConvSpec trained = Conv(rng, 1, 4, 3, relu: true);
        DenseSpec classifier = Dense(rng, 13 * 13 * 4, 10, relu: false);
        // Weights row-major (k·k·c_in) × c_out: output channel o's weights are every 4th from o.
        float[] bias = [.. Enumerable.Range(0, 4).Select(o =>
            trained.Bias[o] - Enumerable.Range(0, 9).Sum(i => trained.Weights[i * 4 + o]) * mean / std)];
        // As the import's InputNormalization writes one mean and one std (the generator does not reference the importer).
        string normalization = FormattableString.Invariant($"(x - {mean}) / {std}");
        ModelMetadata metadata = Metadata("an import's input normalization folded into its first layer, recorded and no pixel scale", Digits, seed);
        return new NetSpec("folded-normalization", [28, 28, 1],
            [trained with { Stride = 2, Weights = [.. trained.Weights.Select(w => w / std)], Bias = bias },
             new ElementwiseSpec(LayerKind.Flatten), classifier],
            metadata with
            {
                Properties = new Dictionary<string, string>(metadata.Properties)
                {
                    [ModelMetadata.InputNormalizationProperty] = $"{normalization}, folded into the first layer; the model takes unnormalized inputs",
                },
            }, seed);
    }

    /// <summary><paramref name="metadata"/> recording <paramref name="pixelMax"/> as input.pixel-max, as `elr train` records
    /// its data set's scale: the one golden model that records one (16, the UCI digits', not 255), so the checks of
    /// elr_session_run_pixels and classify.py over every golden model see a recorded scale used, and bytes above it refused.</summary>
    private static ModelMetadata WithPixelMax(ModelMetadata metadata, int pixelMax) => metadata with
    {
        Properties = new Dictionary<string, string>(metadata.Properties)
        {
            [ModelMetadata.InputPixelMaxProperty] = pixelMax.ToString(System.Globalization.CultureInfo.InvariantCulture),
        },
    };

    /// <summary>A k×k stride-1 convolution, zero-padded by <paramref name="padding"/>; Kaiming-uniform over fan_in = k·k·c_in.</summary>
    private static ConvSpec Conv(SplitMix64 rng, int inputChannels, int outputChannels, int kernel, int padding = 0, bool relu = false)
    {
        int fanIn = kernel * kernel * inputChannels;
        return new(inputChannels, outputChannels, kernel, 1, WindowPadding.Even(padding), rng.Symmetric(fanIn * outputChannels, Math.Sqrt(6.0 / fanIn)),
            rng.Symmetric(outputChannels, 1 / Math.Sqrt(fanIn)), relu);
    }

    /// <summary>A depthwise k×k convolution, Kaiming-uniform over fan_in = k·k (one channel per filter).</summary>
    private static DepthwiseSpec Depthwise(SplitMix64 rng, int channels, int kernel, int stride, int padding, bool bias, bool relu)
    {
        int fanIn = kernel * kernel;
        return new(channels, kernel, stride, WindowPadding.Even(padding), rng.Symmetric(fanIn * channels, Math.Sqrt(6.0 / fanIn)),
            bias ? rng.Symmetric(channels, 1 / Math.Sqrt(fanIn)) : [], relu);
    }

    /// <summary>As <see cref="Factorized"/>, for a k×k stride-1 unpadded convolution (fan_in = k·k·c_in), with bias, no activation.</summary>
    private static FactorizedConvSpec FactorizedConv(SplitMix64 rng, int inputChannels, int rank, int outputChannels, int kernel, FactorizationMethod method)
    {
        int fanIn = kernel * kernel * inputChannels;
        return new(inputChannels, rank, outputChannels, kernel, 1, default, rng.Symmetric(fanIn * rank, Math.Sqrt(3.0 / fanIn)),
            rng.Symmetric(rank * outputChannels, Math.Sqrt(6.0 / rank)), rng.Symmetric(outputChannels, 1 / Math.Sqrt(fanIn)), Relu: false, method);
    }

    /// <summary>Kaiming-uniform weights (bound √(6/fan_in), for ReLU nets) and a bias bound of 1/√fan_in.</summary>
    private static DenseSpec Dense(SplitMix64 rng, int inputs, int outputs, bool relu) =>
        new(inputs, outputs, rng.Symmetric(inputs * outputs, Math.Sqrt(6.0 / inputs)), rng.Symmetric(outputs, 1 / Math.Sqrt(inputs)), relu);

    /// <summary>The first factor preserves variance (√(3/fan_in), no activation follows it); the second is Kaiming.</summary>
    private static FactorizedSpec Factorized(SplitMix64 rng, int inputs, int rank, int outputs, bool relu, FactorizationMethod method, bool bias) =>
        new(inputs, rank, outputs, rng.Symmetric(inputs * rank, Math.Sqrt(3.0 / inputs)), rng.Symmetric(rank * outputs, Math.Sqrt(6.0 / rank)),
            bias ? rng.Symmetric(outputs, 1 / Math.Sqrt(inputs)) : [], relu, method);

    private static ModelMetadata Metadata(string description, string[] labels, ulong seed) => new()
    {
        Producer = "EdgeLowRank.FixtureGenerator",
        ProducerVersion = "1.0",
        Labels = labels,
        Properties = new Dictionary<string, string>
        {
            ["description"] = description,
            ["seed"] = seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["weights"] = "random (SplitMix64, Kaiming-uniform); not trained",
        },
    };
}
