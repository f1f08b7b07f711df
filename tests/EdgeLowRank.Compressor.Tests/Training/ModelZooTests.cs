using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Models;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Tests.Training;

/// <summary>The zoo's architectures, their initialization, and the errors for wrong names and shapes.</summary>
public sealed class ModelZooTests
{
    private static readonly SampleShape Mnist = new(28, 28, 1);

    [Theory]
    [InlineData("lenet300", 266_610)]
    [InlineData("lenet5", 431_080)]
    [InlineData("lenet5-1998", 61_706)] // 156 + 2,416 + 48,120 + 10,164 + 850: LeNet-5's famous 60 thousand
    [InlineData("mobilenet-mini", 13_546)] // 160 + 160 + 544 + 320 + 2,112 + 640 + 8,320 + 1,290: the depthwise layers 1,120 of them
    [InlineData("resnet-mini", 28_810)] // 160 + 4 × 2,320 + 544 + 2 × 9,248 + 330: the adds have none
    [InlineData("resnet-mini-bn", 28_986)] // resnet-mini's weights without the 288 conv biases (28,522), and γ and β of 5 × 16 + 3 × 32 channels (352)
    [InlineData("squeeze-mini", 9_546)] // 160 + (136 + 144 + 1,168) + (264 + 144 + 1,168) + (528 + 544 + 4,640) + 650: three Fire modules
    // 160 + (160 + 544) + (544 + 320 + 1,056) + 2 × (1,056 + 320 + 1,056) + 8,320 + 1,290: the slices, concatenations and shuffles have none
    [InlineData("shuffle-mini", 17_258)]
    [InlineData("resnet-proj", 38_058)]
    // 160 + (816 + 480 + 784) + (1,088 + 640 + 1,040 + 1,088 + 1,560) + (2,400 + 960 + 2,328 + 2,400 + 2,328) + 2,400 + 12,416 + 1,290:
    // the hard swishes, hard sigmoids and scales have none
    [InlineData("mnv3-mini", 34_178)]
    // 160 + (160 + 68 + 80 + 272) + (1,088 + 640 + 260 + 320 + 1,560) + (2,400 + 960 + 582 + 672 + 2,328) + 2,400 + 970
    [InlineData("effnet-mini", 14_920)] // 160 + 2 × 2,320 + 4,640 + 9,248 + 544 (the projection) + 2 × 9,248 + 330: the branch has none
    public void ParameterCountsAreTheReferenceOnes(string name, long parameters) =>
        Assert.Equal(parameters, ModelZoo.Create(name, Mnist, 10, seed: 1).ParameterCount);

    [Fact]
    public void DigitsMlpTakesEightByEightImages() =>
        Assert.Equal(new TensorShape(10), ModelZoo.Create("digits-mlp", new SampleShape(8, 8, 1), 10, seed: 1).OutputShape);

    [Fact]
    public void InitializationIsKaimingUniformAndSeeded()
    {
        Network network = ModelZoo.Create("lenet300", Mnist, 10, seed: 1);
        var fc1 = (Dense)network.Layers[1];
        float bound = 1f / MathF.Sqrt(784);
        Assert.All(fc1.Weight.Value, w => Assert.InRange(w, -bound, bound));
        Assert.InRange(fc1.Weight.Value.Select(MathF.Abs).Average(), 0.45f * bound, 0.55f * bound);
        Assert.Equal(fc1.Weight.Value, ((Dense)ModelZoo.Create("lenet300", Mnist, 10, seed: 1).Layers[1]).Weight.Value);
    }

    [Fact]
    public void MobilenetMiniStartsHeUniformWhereAReluFollowsAndPyTorchsDefaultElsewhere()
    {
        Network network = ModelZoo.Create("mobilenet-mini", Mnist, 10, seed: 1);
        void Spans(string layer, int fanIn, float gain)
        {
            float[] weights = network.Layers.Single(l => l.Name == layer).Parameters[0].Value;
            float bound = gain / MathF.Sqrt(fanIn);
            Assert.All(weights, w => Assert.InRange(w, -bound, bound));
            Assert.True(weights.Max(MathF.Abs) > 0.9f * bound, $"{layer}: the largest weight {weights.Max(MathF.Abs)} is far inside ±{bound}");
        }
        Spans("conv1", 9, MathF.Sqrt(6));
        Spans("dw2", 9, MathF.Sqrt(6)); // a depthwise filter's fan-in is its k·k taps
        Spans("conv4", 64, MathF.Sqrt(6));
        Spans("fc1", 128, 1);            // the classifier: no ReLU after it
    }

    [Fact]
    public void ResnetMiniStartsEachBlocksSecondConvolutionWithPyTorchsDefault()
    {
        Network network = ModelZoo.Create("resnet-mini", Mnist, 10, seed: 1);
        float Largest(string layer) => network.Layers.Single(l => l.Name == layer).Parameters[0].Value.Max(MathF.Abs);
        float he = MathF.Sqrt(6) / 12, plain = 1f / 12; // fan-in 3·3·16 = 144
        Assert.InRange(Largest("conv2"), 0.9f * he, he);       // a ReLU follows
        Assert.InRange(Largest("conv3"), 0.9f * plain, plain); // the Add follows: the block starts near the identity
        Assert.InRange(Largest("conv6"), 0.9f * MathF.Sqrt(6) / 4, MathF.Sqrt(6) / 4); // 1×1, fan-in 16
        Assert.Equal([3, 7, 14], network.Layers.OfType<ResidualAdd>().Select(a => a.Source));
        Assert.All(network.Layers.OfType<ResidualAdd>(), a => Assert.Equal(network.InputShapeOf(a.Source), network.InputShapeOf(network.Layers.ToList().IndexOf(a))));
    }

    [Fact]
    public void ResnetProjsDownsamplingBlockProjectsItsInputBehindABranch()
    {
        Network network = ModelZoo.Create("resnet-proj", Mnist, 10, seed: 1);
        float Largest(string layer) => network.Layers.Single(l => l.Name == layer).Parameters[0].Value.Max(MathF.Abs);
        Assert.InRange(Largest("conv4"), 0.9f * MathF.Sqrt(6) / 12, MathF.Sqrt(6) / 12); // stride 2, a ReLU follows; fan-in 144
        Assert.InRange(Largest("conv5"), 0.9f / MathF.Sqrt(288), 1 / MathF.Sqrt(288)); // the Add follows: PyTorch's default
        Assert.InRange(Largest("conv6"), 0.9f / 4, 1f / 4);                              // the projection, fan-in 16, before the Add

        var branch = Assert.IsType<ShortcutBranch>(network.Layers[10]);
        Assert.Equal(7, branch.Source);
        Assert.Equal(new TensorShape(14, 14, 16), network.InputShapeOf(11));    // the projection reads the block's input
        Assert.Equal([3, 10, 13], network.Layers.OfType<ResidualAdd>().Select(a => a.Source));
        Assert.Equal(new TensorShape(7, 7, 32), network.InputShapeOf(10));
        Assert.Equal(network.InputShapeOf(10), network.InputShapeOf(12));       // the main path's output and the projection's
    }

    [Fact]
    public void Mnv3MiniStartsHeUniformWhereAReluOrHardSwishFollowsAndGatesTheActivationsItsPoolsRead()
    {
        Network network = ModelZoo.Create("mnv3-mini", Mnist, 10, seed: 1);
        float Largest(string layer) => network.Layers.Single(l => l.Name == layer).Parameters[0].Value.Max(MathF.Abs);
        Assert.InRange(Largest("conv1"), 0.9f * MathF.Sqrt(6) / 3, MathF.Sqrt(6) / 3);   // a hard swish follows; fan-in 9
        Assert.InRange(Largest("conv5"), 0.9f * MathF.Sqrt(6) / 8, MathF.Sqrt(6) / 8);   // the SE's reduce, a ReLU follows; fan-in 64
        Assert.InRange(Largest("conv6"), 0.9f / 4, 1f / 4);                              // the SE's expand, the gate follows; fan-in 16
        Assert.InRange(Largest("conv7"), 0.9f / 8, 1f / 8);                              // a linear projection; fan-in 64

        // Each scale multiplies the activation its block's pool reads (the depthwise output) by the gate, and keeps its shape.
        IReadOnlyList<TrainingLayer> layers = network.Layers;
        Assert.Equal([12, 23], layers.OfType<ChannelScale>().Select(s => s.Source));
        foreach (ChannelScale scale in layers.OfType<ChannelScale>())
        {
            int at = layers.ToList().IndexOf(scale);
            Assert.IsType<AvgPool2d>(layers[scale.Source]);
            Assert.IsType<HardSigmoid>(layers[at - 1]);
            Assert.Equal(network.InputShapeOf(scale.Source), network.InputShapeOf(at + 1));
        }
        Assert.Equal([2, 19], layers.OfType<ResidualAdd>().Select(a => a.Source));
    }

    [Fact]
    public void EffnetMiniStartsHeUniformWhereSiluFollowsAndScalesWithSigmoidGates()
    {
        Network network = ModelZoo.Create("effnet-mini", Mnist, 10, seed: 1);
        float Largest(string layer) => network.Layers.Single(l => l.Name == layer).Parameters[0].Value.Max(MathF.Abs);
        Assert.InRange(Largest("conv1"), 0.9f * MathF.Sqrt(6) / 3, MathF.Sqrt(6) / 3);   // SiLU follows; fan-in 9
        Assert.InRange(Largest("conv3"), 0.9f / 2, 1f / 2);                              // the SE's expand, the sigmoid follows; fan-in 4
        Assert.InRange(Largest("conv8"), 0.9f / 8, 1f / 8);                              // a linear projection; fan-in 64
        IReadOnlyList<TrainingLayer> layers = network.Layers;
        Assert.Equal([4, 16, 27], layers.OfType<ChannelScale>().Select(s => s.Source));
        Assert.All(layers.OfType<ChannelScale>(), s => Assert.IsType<Sigmoid>(layers[layers.ToList().IndexOf(s) - 1]));
        Assert.Equal([2, 23], layers.OfType<ResidualAdd>().Select(a => a.Source));
    }

    [Fact]
    public void UnknownNamesListTheKnownOnes() =>
        Assert.Contains("lenet5", Assert.Throws<TrainingException>(() => ModelZoo.Create("resnet", Mnist, 10, 1)).Message);

    [Fact]
    public void AWrongInputShapeNamesTheModelsThatFit() =>
        Assert.Contains("digits-mlp", Assert.Throws<TrainingException>(() => ModelZoo.Create("lenet5", new SampleShape(8, 8, 1), 10, 1)).Message);

    [Fact]
    public void ALayerCanBeReplacedByItsFactorizedForm()
    {
        Network network = ModelZoo.Create("lenet300", Mnist, 10, seed: 1);
        network.Replace(1, FactorizedLayer.Dense("fc1", 784, 20, 300, FactorizationMethod.Svd));
        Assert.Equal(784 * 20 + 20 * 300 + 300 + 300 * 100 + 100 + 100 * 10 + 10, network.ParameterCount);
        Assert.Throws<ArgumentException>(() => network.Replace(1, new Dense("bad", 100, 300)));
        Assert.Equal(new TensorShape(10), network.OutputShape);
    }
}
