using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Tests.Training;

/// <summary>
/// The small networks of the skip-connection gradient tests (<see cref="ResidualGradientTests"/>, <see cref="BranchGradientTests"/>):
/// a test's layers on a small image, then a flatten and a dense classifier of 4 classes, for batches of 3; and the check of
/// their gradients against finite differences.
/// </summary>
internal static class SkipNetworks
{
    public const int Batch = 3;
    private const int Classes = 4;

    /// <summary>The image the layers take unless a test gives another.</summary>
    public static readonly TensorShape Image = new(5, 5, 2);

    /// <summary>A 3×3 convolution that keeps the image's size.</summary>
    public static Conv2d Conv(string name, int inputs, int outputs) => new(name, inputs, outputs, new ConvolutionGeometry(3, 1, 1));

    /// <summary>A 1×1 convolution (a MobileNet or ShuffleNet unit's expand and projection, a squeeze-and-excitation's reduce and expand).</summary>
    public static Conv2d Pointwise(string name, int inputs, int outputs) => new(name, inputs, outputs, new ConvolutionGeometry(1));

    /// <summary>The layers, which end at <paramref name="features"/> values per sample, then flatten and the classifier.</summary>
    public static Network Build(TrainingLayer[] layers, TensorShape input, int features) =>
        new("skips", input, [.. layers, new Flatten("flatten"), new Dense("fc", features, Classes)], maxBatch: Batch);

    /// <summary>Checks every parameter's gradient of <see cref="Build"/>'s network on a batch against finite differences, after one
    /// pass on other inputs, so every gradient array holds something: a layer that adds to a gradient it must overwrite (a
    /// branch's input gradient is the Add's sum alone) fails. <paramref name="inputScale"/> bounds the inputs, U(±scale).</summary>
    public static void VerifyGradients(TrainingLayer[] layers, TensorShape input, int features, float inputScale = 1)
    {
        Network network = Build(layers, input, features);
        network.Initialize(11);
        var random = new SeededRandom(12);
        network.Forward(GradientCheck.Uniform(random, Batch * input.ElementCount, 1), Batch, ComputeThreads.Single);
        network.Backward(GradientCheck.Uniform(random, Batch * Classes, 1), Batch, ComputeThreads.Single);
        GradientCheck.VerifyNetwork(network, GradientCheck.Uniform(random, Batch * input.ElementCount, inputScale), [1, 3, 0], random);
    }
}
