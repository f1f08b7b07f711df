using System.Numerics.Tensors;
using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Models;

/// <summary>
/// The reference architectures by name. Each is built for one input shape and rejects another with
/// a message naming what it expects, so a model never silently trains on the wrong data set.
/// </summary>
public static class ModelZoo
{
    /// <summary>One architecture.</summary>
    /// <param name="Name">What --model takes.</param>
    /// <param name="Description">One line for the help and docs.</param>
    /// <param name="Input">The sample shape it is built for.</param>
    /// <param name="Layers">Its layers for a number of classes.</param>
    /// <param name="HeInitialization">Whether the weights of every layer a ReLU (or a hard swish, or SiLU) follows start He-uniform, U(±√(6/fan_in)), not
    /// U(±1/√fan_in): with PyTorch's default each such layer keeps about a sixth of its input's second moment, which a network
    /// as deep as mobilenet-mini (seven of them, no batch normalization) cannot lose and still train.</param>
    private sealed record Entry(string Name, string Description, SampleShape Input, Func<int, TrainingLayer[]> Layers, bool HeInitialization = false);

    private static readonly Entry[] Entries =
    [
        new("lenet300", "LeNet-300-100: 784-300-100-10 with ReLU, for MNIST-sized inputs", new SampleShape(28, 28, 1), classes =>
        [
            new Flatten("flatten"),
            new Dense("fc1", 784, 300), new Relu("relu1"),
            new Dense("fc2", 300, 100), new Relu("relu2"),
            new Dense("fc3", 100, classes),
        ]),
        new("lenet5", "LeNet-5, Caffe form: conv 20@5×5, max-pool 2, conv 50@5×5, max-pool 2, dense 500, ReLU, dense 10", new SampleShape(28, 28, 1), classes =>
        [
            new Conv2d("conv1", 1, 20, new ConvolutionGeometry(5)), new MaxPool2d("pool1", 2, 2),
            new Conv2d("conv2", 20, 50, new ConvolutionGeometry(5)), new MaxPool2d("pool2", 2, 2),
            new Flatten("flatten"),
            new Dense("fc1", 4 * 4 * 50, 500), new Relu("relu1"),
            new Dense("fc2", 500, classes),
        ]),
        new("lenet5-1998", "LeNet-5 in the common form of LeCun et al. (1998): conv 6@5×5 (padding 2), tanh, average-pool 2, conv 16@5×5, tanh, average-pool 2, dense 120, tanh, dense 84, tanh, dense 10",
            new SampleShape(28, 28, 1), classes =>
        [
            new Conv2d("conv1", 1, 6, new ConvolutionGeometry(5, 1, 2)), new Tanh("tanh1"), new AvgPool2d("pool1", 2, 2),
            new Conv2d("conv2", 6, 16, new ConvolutionGeometry(5)), new Tanh("tanh2"), new AvgPool2d("pool2", 2, 2),
            new Flatten("flatten"),
            new Dense("fc1", 5 * 5 * 16, 120), new Tanh("tanh3"),
            new Dense("fc2", 120, 84), new Tanh("tanh4"),
            new Dense("fc3", 84, classes),
        ]),
        // Each 3×3 depthwise convolution stays dense (k·k·c filters are no matrix); the 1×1 convolutions after them are
        // c_out × c_in matrices, and hold most of the weights, so the LC loop has something to factorize.
        new("mobilenet-mini", "A MobileNet-v1-style depthwise-separable CNN: conv 16@3×3 (padding 1), then three blocks of a 3×3 depthwise "
            + "convolution (stride 2, 2, 1; padding 1) and a 1×1 convolution to 32, 64, 128 channels, each followed by ReLU; global "
            + "average-pool 7, dense 10", new SampleShape(28, 28, 1), classes =>
        [
            new Conv2d("conv1", 1, 16, new ConvolutionGeometry(3, 1, 1)), new Relu("relu1"),
            new DepthwiseConv2d("dw1", 16, new ConvolutionGeometry(3, 2, 1)), new Relu("relu2"),
            new Conv2d("conv2", 16, 32, new ConvolutionGeometry(1)), new Relu("relu3"),
            new DepthwiseConv2d("dw2", 32, new ConvolutionGeometry(3, 2, 1)), new Relu("relu4"),
            new Conv2d("conv3", 32, 64, new ConvolutionGeometry(1)), new Relu("relu5"),
            new DepthwiseConv2d("dw3", 64, new ConvolutionGeometry(3, 1, 1)), new Relu("relu6"),
            new Conv2d("conv4", 64, 128, new ConvolutionGeometry(1)), new Relu("relu7"),
            new AvgPool2d("pool1", 7, 7),
            new Flatten("flatten"),
            new Dense("fc1", 128, classes),
        ], HeInitialization: true),
        // Each block is conv 3×3, ReLU, conv 3×3, then the sum with the block's input and a ReLU (ResNet's basic block without
        // batch normalization). The zoo's He initialization scales only layers a Relu layer follows, so each block's second
        // convolution (followed by the Add) keeps PyTorch's smaller default and the block starts close to the identity, as
        // ResNets that zero the last normalization of each block do (Goyal et al., 2017).
        new("resnet-mini", "A ResNet-style CNN: conv 16@3×3 (padding 1), ReLU, max-pool 2; two residual blocks at 14×14×16; 1×1 conv to 32, "
            + "ReLU, max-pool 2; one residual block at 7×7×32; global average-pool 7, dense 10. A block is conv 3×3, ReLU, conv 3×3 "
            + "(padding 1), the sum with the block's input, ReLU", new SampleShape(28, 28, 1), classes =>
        [
            new Conv2d("conv1", 1, 16, new ConvolutionGeometry(3, 1, 1)), new Relu("relu1"),
            new MaxPool2d("pool1", 2, 2),                                                   // activation 3: block 1's input
            new Conv2d("conv2", 16, 16, new ConvolutionGeometry(3, 1, 1)), new Relu("relu2"),
            new Conv2d("conv3", 16, 16, new ConvolutionGeometry(3, 1, 1)),
            new ResidualAdd("add1", source: 3, fusedRelu: true),                            // activation 7: block 2's input
            new Conv2d("conv4", 16, 16, new ConvolutionGeometry(3, 1, 1)), new Relu("relu3"),
            new Conv2d("conv5", 16, 16, new ConvolutionGeometry(3, 1, 1)),
            new ResidualAdd("add2", source: 7, fusedRelu: true),
            new Conv2d("conv6", 16, 32, new ConvolutionGeometry(1)), new Relu("relu4"),
            new MaxPool2d("pool2", 2, 2),                                                   // activation 14: block 3's input
            new Conv2d("conv7", 32, 32, new ConvolutionGeometry(3, 1, 1)), new Relu("relu5"),
            new Conv2d("conv8", 32, 32, new ConvolutionGeometry(3, 1, 1)),
            new ResidualAdd("add3", source: 14, fusedRelu: true),
            new AvgPool2d("pool3", 7, 7),
            new Flatten("flatten"),
            new Dense("fc1", 32, classes),
        ], HeInitialization: true),
        // resnet-mini's stage transition (1×1 conv, ReLU, max-pool) made ResNet's downsampling basic block: the main path
        // convolves with stride 2 to 32 channels, and the shortcut, a 1×1 stride-2 projection of the block's input, runs after it
        // behind a ShortcutBranch, then the Add joins them. One block at 14×14 instead of resnet-mini's two keeps thirty epochs
        // near resnet-mini's time (the downsampling block costs 0.70 million MACs a sample, a 14×14 block 0.90 million).
        // He-uniform where a ReLU layer follows, as in resnet-mini: conv5 and the projection keep PyTorch's default.
        new("resnet-proj", "A ResNet-style CNN with a projection shortcut: conv 16@3×3 (padding 1), ReLU, max-pool 2; one residual block at "
            + "14×14×16; a downsampling block to 7×7×32 (conv 3×3 stride 2, ReLU, conv 3×3, plus a 1×1 stride-2 projection of the block's "
            + "input, ReLU); one residual block at 7×7×32; global average-pool 7, dense 10", new SampleShape(28, 28, 1), classes =>
        [
            new Conv2d("conv1", 1, 16, new ConvolutionGeometry(3, 1, 1)), new Relu("relu1"),
            new MaxPool2d("pool1", 2, 2),                                                   // activation 3: block 1's input
            new Conv2d("conv2", 16, 16, new ConvolutionGeometry(3, 1, 1)), new Relu("relu2"),
            new Conv2d("conv3", 16, 16, new ConvolutionGeometry(3, 1, 1)),
            new ResidualAdd("add1", source: 3, fusedRelu: true),                            // activation 7: the downsampling block's input
            new Conv2d("conv4", 16, 32, new ConvolutionGeometry(3, 2, 1)), new Relu("relu3"),
            new Conv2d("conv5", 32, 32, new ConvolutionGeometry(3, 1, 1)),                  // activation 10: the main path's output
            new ShortcutBranch("branch1", source: 7),
            new Conv2d("conv6", 16, 32, new ConvolutionGeometry(1, 2)),                     // the projection
            new ResidualAdd("add2", source: 10, fusedRelu: true),                           // activation 13: block 3's input
            new Conv2d("conv7", 32, 32, new ConvolutionGeometry(3, 1, 1)), new Relu("relu4"),
            new Conv2d("conv8", 32, 32, new ConvolutionGeometry(3, 1, 1)),
            new ResidualAdd("add3", source: 13, fusedRelu: true),
            new AvgPool2d("pool2", 7, 7),
            new Flatten("flatten"),
            new Dense("fc1", 32, classes),
        ], HeInitialization: true),
        // resnet-mini with batch norm as ResNets have it: every convolution without a bias (the norm's β replaces it) and
        // followed by a BatchNorm2d, before the ReLU or the Add. PyTorch's default initialization throughout: the norms
        // rescale each layer's output, so the zoo's He gain (which would scale a norm's γ, the first parameter before a ReLU)
        // is off. The exporter folds every norm into its convolution.
        new("resnet-mini-bn", "resnet-mini with batch normalization after every convolution (the convolutions without bias), "
            + "folded into them at export", new SampleShape(28, 28, 1), classes =>
        [
            ConvNoBias("conv1", 1, 16, new ConvolutionGeometry(3, 1, 1)), new BatchNorm2d("bn1", 16), new Relu("relu1"),
            new MaxPool2d("pool1", 2, 2),                                                   // activation 4: block 1's input
            ConvNoBias("conv2", 16, 16, new ConvolutionGeometry(3, 1, 1)), new BatchNorm2d("bn2", 16), new Relu("relu2"),
            ConvNoBias("conv3", 16, 16, new ConvolutionGeometry(3, 1, 1)), new BatchNorm2d("bn3", 16),
            new ResidualAdd("add1", source: 4, fusedRelu: true),                            // activation 10: block 2's input
            ConvNoBias("conv4", 16, 16, new ConvolutionGeometry(3, 1, 1)), new BatchNorm2d("bn4", 16), new Relu("relu3"),
            ConvNoBias("conv5", 16, 16, new ConvolutionGeometry(3, 1, 1)), new BatchNorm2d("bn5", 16),
            new ResidualAdd("add2", source: 10, fusedRelu: true),
            ConvNoBias("conv6", 16, 32, new ConvolutionGeometry(1)), new BatchNorm2d("bn6", 32), new Relu("relu4"),
            new MaxPool2d("pool2", 2, 2),                                                   // activation 20: block 3's input
            ConvNoBias("conv7", 32, 32, new ConvolutionGeometry(3, 1, 1)), new BatchNorm2d("bn7", 32), new Relu("relu5"),
            ConvNoBias("conv8", 32, 32, new ConvolutionGeometry(3, 1, 1)), new BatchNorm2d("bn8", 32),
            new ResidualAdd("add3", source: 20, fusedRelu: true),
            new AvgPool2d("pool3", 7, 7),
            new Flatten("flatten"),
            new Dense("fc1", 32, classes),
        ]),
        // SqueezeNet's Fire modules (Iandola et al., 2016) at MNIST's scale: each squeezes to a few channels with a 1×1
        // convolution, then expands with a 1×1 and a 3×3 convolution side by side, whose outputs a ChannelConcat stacks (1×1
        // first, as SqueezeNet's torch.cat does). The 3×3 expands hold most of the weights (16×72 and 32×144 matrices), so the
        // C step has something to factorize; a squeeze's or 1×1 expand's matrix (8×16 to 32×16) has little to save.
        // About 1.2 million MACs a sample, half of LeNet-5's. Every convolution is followed by a ReLU, so all start He-uniform.
        new("squeeze-mini", "A SqueezeNet-style CNN: conv 16@3×3 (padding 1), ReLU, max-pool 2; two Fire modules at 14×14 (squeeze 1×1 to 8, "
            + "expand 1×1 and 3×3 to 16 each, concatenated: 32 channels), max-pool 2; one Fire module at 7×7 (squeeze to 16, expand to 32 + 32); "
            + "global average-pool 7, dense 10. Every convolution is followed by a ReLU", new SampleShape(28, 28, 1), classes =>
        [
            new Conv2d("conv1", 1, 16, new ConvolutionGeometry(3, 1, 1)), new Relu("relu1"),
            new MaxPool2d("pool1", 2, 2),                                                   // activation 3: fire 1's input
            .. Fire(input: 3, module: 1, inputs: 16, squeeze: 8, expand: 16),               // activation 11: 14×14×32
            .. Fire(input: 11, module: 2, inputs: 32, squeeze: 8, expand: 16),
            new MaxPool2d("pool2", 2, 2),                                                   // activation 20: 7×7×32
            .. Fire(input: 20, module: 3, inputs: 32, squeeze: 16, expand: 32),             // activation 28: 7×7×64
            new AvgPool2d("pool3", 7, 7),
            new Flatten("flatten"),
            new Dense("fc1", 64, classes),
        ], HeInitialization: true),
        // ShuffleNet v2's units (Ma et al., 2018) at MNIST's scale, without batch normalization. The downsampling unit runs two
        // paths on its whole input, each ending at stride 2 with half the output channels, and stacks them; a basic unit passes
        // its first half of the channels through and runs a 1×1, depthwise 3×3, 1×1 path on the second, as torchvision's
        // InvertedResidual does with x.chunk(2, dim=1). A ChannelShuffle of 2 groups after each stack mixes the two halves for
        // the next unit. The 1×1 convolutions (32×16 to 32×32 matrices) and the final 128×64 one are what the C step can
        // factorize; the depthwise filters stay dense. As in ShuffleNet v2 a ReLU follows each 1×1 convolution but no depthwise
        // one, so the depthwise layers keep PyTorch's default initialization and the 1×1 ones start He-uniform.
        // 17,258 parameters, 0.94 million MACs a sample (`elr inspect`).
        new("shuffle-mini", "A ShuffleNet-v2-style CNN: conv 16@3×3 (padding 1), ReLU, max-pool 2; a downsampling unit to 7×7×64 (depthwise "
            + "3×3 stride 2, 1×1 conv to 32, beside 1×1 conv to 32, depthwise 3×3 stride 2, 1×1 conv; stacked and shuffled); two basic units "
            + "(half the channels through 1×1 conv, depthwise 3×3, 1×1 conv, stacked with the other half and shuffled); 1×1 conv to 128; "
            + "global average-pool 7, dense 10. Every 1×1 convolution is followed by a ReLU", new SampleShape(28, 28, 1), classes =>
        [
            new Conv2d("conv1", 1, 16, new ConvolutionGeometry(3, 1, 1)), new Relu("relu1"),
            new MaxPool2d("pool1", 2, 2),                                                   // activation 3: the downsampling unit's input
            new DepthwiseConv2d("dw1", 16, new ConvolutionGeometry(3, 2, 1)),
            new Conv2d("conv2", 16, 32, new ConvolutionGeometry(1)), new Relu("relu2"),     // activation 6: the first path's output
            new ShortcutBranch("branch1", source: 3),
            new Conv2d("conv3", 16, 32, new ConvolutionGeometry(1)), new Relu("relu3"),
            new DepthwiseConv2d("dw2", 32, new ConvolutionGeometry(3, 2, 1)),
            new Conv2d("conv4", 32, 32, new ConvolutionGeometry(1)), new Relu("relu4"),
            new ChannelConcat("concat1", source: 6),
            new ChannelShuffle("shuffle1", 2),                                              // activation 14: 7×7×64
            .. ShuffleUnit(input: 14, unit: 1, channels: 64),                               // activation 24
            .. ShuffleUnit(input: 24, unit: 2, channels: 64),                               // activation 34
            new Conv2d("conv9", 64, 128, new ConvolutionGeometry(1)), new Relu("relu9"),
            new AvgPool2d("pool2", 7, 7),
            new Flatten("flatten"),
            new Dense("fc1", 128, classes),
        ], HeInitialization: true),
        // MobileNetV3's pieces (Howard et al., 2019) at MNIST's scale, without batch normalization: a strided stem with the hard
        // swish; inverted residual blocks (1×1 expand, depthwise 3×3, linear 1×1 projection, a residual Add where the shape
        // stays), the first with ReLU, the other two with the hard swish and squeeze-and-excitation (global average, 1×1 to a
        // quarter of the channels, ReLU, 1×1 back, the hard sigmoid gate, the ChannelScale of the depthwise output); a last 1×1
        // to 96 with the hard swish, global average, a dense head with the hard swish, dense to the classes. The SE's 1×1
        // convolutions work on a 1×1 image: 64×16 to 24×96 matrices the C step may factorize like the others; the depthwise
        // filters stay dense. 34,178 parameters, 1.12 million MACs a sample (`elr inspect`), under half of LeNet-5's.
        new("mnv3-mini", "A MobileNetV3-style CNN: conv 16@3×3 stride 2, hard swish; an inverted residual block at 14×14×16 (1×1 to 48, "
            + "depthwise 3×3, ReLU after each, 1×1 back, the block's input added); a block to 7×7×24 (1×1 to 64, depthwise 3×3 stride 2, hard "
            + "swish after each, squeeze-and-excitation with a hard sigmoid gate, 1×1 to 24); a block at 7×7×24 (1×1 to 96, depthwise 3×3, "
            + "hard swish, squeeze-and-excitation, 1×1 back, the input added); 1×1 to 96, hard swish; global average-pool 7, dense 128, "
            + "hard swish, dense 10", new SampleShape(28, 28, 1), classes =>
        [
            new Conv2d("conv1", 1, 16, new ConvolutionGeometry(3, 2, 1)), new HardSwish("hswish1"),  // activation 2: 14×14×16
            new Conv2d("conv2", 16, 48, new ConvolutionGeometry(1)), new Relu("relu1"),
            new DepthwiseConv2d("dw1", 48, new ConvolutionGeometry(3, 1, 1)), new Relu("relu2"),
            new Conv2d("conv3", 48, 16, new ConvolutionGeometry(1)),
            new ResidualAdd("add1", source: 2),                                                     // activation 8
            new Conv2d("conv4", 16, 64, new ConvolutionGeometry(1)), new HardSwish("hswish2"),
            new DepthwiseConv2d("dw2", 64, new ConvolutionGeometry(3, 2, 1)), new HardSwish("hswish3"), // activation 12: 7×7×64
            .. SqueezeExcite(scaled: 12, block: 1, side: 7, channels: 64, squeeze: 16, conv: 5, new Relu("relu3"), new HardSigmoid("hsigmoid1")), // activation 18
            new Conv2d("conv7", 64, 24, new ConvolutionGeometry(1)),                                // activation 19: 7×7×24
            new Conv2d("conv8", 24, 96, new ConvolutionGeometry(1)), new HardSwish("hswish4"),
            new DepthwiseConv2d("dw3", 96, new ConvolutionGeometry(3, 1, 1)), new HardSwish("hswish5"), // activation 23
            .. SqueezeExcite(scaled: 23, block: 2, side: 7, channels: 96, squeeze: 24, conv: 9, new Relu("relu4"), new HardSigmoid("hsigmoid2")), // activation 29
            new Conv2d("conv11", 96, 24, new ConvolutionGeometry(1)),
            new ResidualAdd("add2", source: 19),
            new Conv2d("conv12", 24, 96, new ConvolutionGeometry(1)), new HardSwish("hswish6"),
            new AvgPool2d("pool3", 7, 7),
            new Flatten("flatten"),
            new Dense("fc1", 96, 128), new HardSwish("hswish7"),
            new Dense("fc2", 128, classes),
        ], HeInitialization: true),
        // EfficientNet-B0's MBConv blocks (Tan and Le, 2019) at MNIST's scale, without batch normalization: SiLU after the stem,
        // every expand and every depthwise convolution, squeeze-and-excitation to a quarter of the block's input channels with SiLU
        // and a sigmoid gate, linear 1×1 projections, a residual Add where the shape stays; a 1×1 head to 96 with SiLU, global
        // average, dense to the classes. The first block has no expand (EfficientNet's MBConv1). 14,920 parameters.
        new("effnet-mini", "An EfficientNet-style CNN: conv 16@3×3 stride 2, SiLU; an MBConv1 block at 14×14×16 (depthwise 3×3, SiLU, "
            + "squeeze-and-excitation to 4 with a sigmoid gate, 1×1 to 16, the input added); an MBConv6 block to 7×7×24 (1×1 to 64, "
            + "depthwise 3×3 stride 2, SiLU after each, squeeze-and-excitation to 4, 1×1 to 24); an MBConv6 block at 7×7×24 (1×1 to 96, "
            + "depthwise 3×3, squeeze-and-excitation to 6, 1×1 back, the input added); 1×1 to 96, SiLU; global average-pool 7, dense 10",
            new SampleShape(28, 28, 1), classes =>
        [
            new Conv2d("conv1", 1, 16, new ConvolutionGeometry(3, 2, 1)), new Silu("silu1"),      // activation 2: 14×14×16
            new DepthwiseConv2d("dw1", 16, new ConvolutionGeometry(3, 1, 1)), new Silu("silu2"),  // activation 4
            .. SqueezeExcite(scaled: 4, block: 1, side: 14, channels: 16, squeeze: 4, conv: 2, new Silu("silu3"), new Sigmoid("sigmoid1")),
            new Conv2d("conv4", 16, 16, new ConvolutionGeometry(1)),
            new ResidualAdd("add1", source: 2),                                                     // activation 12
            new Conv2d("conv5", 16, 64, new ConvolutionGeometry(1)), new Silu("silu4"),
            new DepthwiseConv2d("dw2", 64, new ConvolutionGeometry(3, 2, 1)), new Silu("silu5"),  // activation 16: 7×7×64
            .. SqueezeExcite(scaled: 16, block: 2, side: 7, channels: 64, squeeze: 4, conv: 6, new Silu("silu6"), new Sigmoid("sigmoid2")),
            new Conv2d("conv8", 64, 24, new ConvolutionGeometry(1)),                                // activation 23: 7×7×24
            new Conv2d("conv9", 24, 96, new ConvolutionGeometry(1)), new Silu("silu7"),
            new DepthwiseConv2d("dw3", 96, new ConvolutionGeometry(3, 1, 1)), new Silu("silu8"),  // activation 27
            .. SqueezeExcite(scaled: 27, block: 3, side: 7, channels: 96, squeeze: 6, conv: 10, new Silu("silu9"), new Sigmoid("sigmoid3")),
            new Conv2d("conv12", 96, 24, new ConvolutionGeometry(1)),
            new ResidualAdd("add2", source: 23),
            new Conv2d("conv13", 24, 96, new ConvolutionGeometry(1)), new Silu("silu10"),
            new AvgPool2d("pool4", 7, 7),
            new Flatten("flatten"),
            new Dense("fc1", 96, classes),
        ], HeInitialization: true),
        new("digits-mlp", "MLP for the 8×8 UCI digits: 64-128-64-10 with ReLU", new SampleShape(8, 8, 1), classes =>
        [
            new Flatten("flatten"),
            new Dense("fc1", 64, 128), new Relu("relu1"),
            new Dense("fc2", 128, 64), new Relu("relu2"),
            new Dense("fc3", 64, classes),
        ]),
    ];

    /// <summary>The known model names.</summary>
    public static IReadOnlyList<string> Names { get; } = Entries.Select(e => e.Name).ToArray();

    /// <summary>A one-line description of model <paramref name="name"/>.</summary>
    /// <exception cref="TrainingException">No model has that name.</exception>
    public static string Describe(string name) => Find(name).Description;

    /// <summary>Builds model <paramref name="name"/> for <paramref name="input"/> samples and <paramref name="classes"/> classes,
    /// initialized from <paramref name="seed"/>; the layers named in <paramref name="ranks"/> are factorized at those
    /// ranks (<see cref="FixedRanks"/>) before the initialization.</summary>
    /// <exception cref="TrainingException">The name is unknown, the model is not made for that input shape, or
    /// <paramref name="ranks"/> names a layer the model lacks or a rank too high to save anything.</exception>
    public static Network Create(string name, SampleShape input, int classes, ulong seed, int maxBatch = 256,
        IReadOnlyDictionary<string, int>? ranks = null)
    {
        Entry entry = Find(name);
        if (input != entry.Input)
            throw new TrainingException($"Model '{entry.Name}' takes {entry.Input} images but the data set has {input} samples. "
                + $"Models for {input}: {string.Join(", ", Entries.Where(e => e.Input == input).Select(e => e.Name).DefaultIfEmpty("none"))}.");
        var network = new Network(entry.Name, new TensorShape(input.Height, input.Width, input.Channels), entry.Layers(classes), maxBatch);
        if (ranks is not null) FixedRanks.Apply(network, ranks);
        network.Initialize(seed);
        if (entry.HeInitialization) ScaleReluInputWeights(network, Math.Sqrt(6));
        return network;
    }

    /// <summary>Multiplies the weights (the first parameter) of every layer followed by a ReLU, a hard swish or SiLU by
    /// <paramref name="gain"/>: the hard swish and SiLU are the identity for large x and zero for very negative x, and pass less
    /// than a ReLU between, so they need at least the ReLU's gain.</summary>
    private static void ScaleReluInputWeights(Network network, double gain)
    {
        for (int i = 0; i + 1 < network.Layers.Count; i++)
            if (network.Layers[i + 1] is Relu or HardSwish or Silu && network.Layers[i].Parameters is [Parameter weight, ..])
                TensorPrimitives.Multiply(weight.Value, (float)gain, weight.Value);
    }

    /// <summary>
    /// SqueezeNet's Fire module, the <paramref name="module"/>-th of a network, whose input is activation <paramref name="input"/>
    /// with <paramref name="inputs"/> channels: squeeze 1×1 to <paramref name="squeeze"/> channels, ReLU (activation input + 2);
    /// expand 1×1 to <paramref name="expand"/>, ReLU (activation input + 4); a branch back to the squeeze output, expand 3×3
    /// (padding 1) to <paramref name="expand"/>, ReLU; the two expands' channels stacked, the 1×1's first: 2 × expand channels at
    /// activation input + 8. Its convolutions are conv(3m − 1) to conv(3m + 1) and its ReLUs relu(3m − 1) to relu(3m + 1), the
    /// names export gives them when conv1 and relu1 come before the first module.
    /// </summary>
    private static TrainingLayer[] Fire(int input, int module, int inputs, int squeeze, int expand)
    {
        int conv = 3 * module - 1, relu = 3 * module - 1;
        return
        [
            new Conv2d($"conv{conv}", inputs, squeeze, new ConvolutionGeometry(1)), new Relu($"relu{relu}"),
            new Conv2d($"conv{conv + 1}", squeeze, expand, new ConvolutionGeometry(1)), new Relu($"relu{relu + 1}"),
            new ShortcutBranch($"branch{module}", source: input + 2),
            new Conv2d($"conv{conv + 2}", squeeze, expand, new ConvolutionGeometry(3, 1, 1)), new Relu($"relu{relu + 2}"),
            new ChannelConcat($"concat{module}", source: input + 4),
        ];
    }

    /// <summary>
    /// ShuffleNet v2's basic unit, the <paramref name="unit"/>-th of shuffle-mini, whose input is activation <paramref name="input"/>
    /// with <paramref name="channels"/> channels: the second half of the channels (activation input + 1) through a 1×1 convolution
    /// and ReLU, a depthwise 3×3 (padding 1) and a 1×1 convolution and ReLU (activation input + 6); a branch back to the input, its
    /// first half, stacked before the path's output (activation input + 9) and shuffled in 2 groups (activation input + 10). Its
    /// layers carry the names export gives them after shuffle-mini's stem and downsampling unit: slices 2u − 1 and 2u,
    /// convolutions and ReLUs 2u + 3 and 2u + 4, depthwise u + 2, branch, concatenation and shuffle u + 1.
    /// </summary>
    private static TrainingLayer[] ShuffleUnit(int input, int unit, int channels)
    {
        int half = channels / 2, conv = 2 * unit + 3;
        return
        [
            new ChannelSlice($"slice{2 * unit - 1}", half, half),
            new Conv2d($"conv{conv}", half, half, new ConvolutionGeometry(1)), new Relu($"relu{conv}"),
            new DepthwiseConv2d($"dw{unit + 2}", half, new ConvolutionGeometry(3, 1, 1)),
            new Conv2d($"conv{conv + 1}", half, half, new ConvolutionGeometry(1)), new Relu($"relu{conv + 1}"),
            new ShortcutBranch($"branch{unit + 1}", source: input),
            new ChannelSlice($"slice{2 * unit}", 0, half),
            new ChannelConcat($"concat{unit + 1}", source: input + 6, inputFirst: true),
            new ChannelShuffle($"shuffle{unit + 1}", 2),
        ];
    }

    /// <summary>
    /// A squeeze-and-excitation block, the <paramref name="block"/>-th of a network, on activation <paramref name="scaled"/> (a
    /// <paramref name="side"/>×<paramref name="side"/> image of <paramref name="channels"/> channels): global average pool, 1×1
    /// convolution to <paramref name="squeeze"/> channels, <paramref name="activation"/>, 1×1 back to <paramref name="channels"/>,
    /// <paramref name="gate"/>, and each channel of the scaled activation times its gate value (activation scaled + 6). The gate's
    /// path starts from the chain's own tensor, so it needs no branch. MobileNetV3 puts a ReLU and a hard sigmoid in it,
    /// EfficientNet SiLU and a sigmoid. Pool and scale are named <paramref name="block"/> and the convolutions
    /// <paramref name="conv"/> and <paramref name="conv"/> + 1, as export names them.
    /// </summary>
    private static TrainingLayer[] SqueezeExcite(int scaled, int block, int side, int channels, int squeeze, int conv, TrainingLayer activation, TrainingLayer gate) =>
    [
        new AvgPool2d($"pool{block}", side, side),
        new Conv2d($"conv{conv}", channels, squeeze, new ConvolutionGeometry(1)), activation,
        new Conv2d($"conv{conv + 1}", squeeze, channels, new ConvolutionGeometry(1)), gate,
        new ChannelScale($"scale{block}", source: scaled),
    ];

    private static Conv2d ConvNoBias(string name, int inputs, int outputs, ConvolutionGeometry geometry) =>
        new(name, inputs, outputs, geometry, hasBias: false);

    private static Entry Find(string name) =>
        Entries.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new TrainingException($"Unknown model '{name}'. Known models: {string.Join(", ", Names)}.");
}
