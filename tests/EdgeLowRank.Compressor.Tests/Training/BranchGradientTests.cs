using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Layers;
using static EdgeLowRank.Compressor.Tests.Training.SkipNetworks;

namespace EdgeLowRank.Compressor.Tests.Training;

/// <summary>
/// Projection shortcuts (<see cref="ShortcutBranch"/>, then the shortcut's own layers, then an Add) against finite differences:
/// the branch's input gets only the Add's gradient, and the branch's output gradient must reach its source, added to what the
/// main path sends there. Sources: an activation in the middle, the network's input, an Add's output.
/// </summary>
public sealed class BranchGradientTests
{
    [Fact]
    public void AProjectionShortcutFromTheMiddleOfTheChain() => Verify(
    [
        Conv("conv1", 2, 2), new Relu("relu1"),                         // activation 2: the block's input
        Conv("conv2", 2, 3), new Relu("relu2"), Conv("conv3", 3, 3),    // activation 5: the main path's output
        new ShortcutBranch("branch1", source: 2), Projection("conv4", 2, 3),
        new ResidualAdd("add1", source: 5, fusedRelu: true),
    ]);

    [Fact]
    public void AProjectionShortcutFromTheNetworksInput() => Verify(
    [
        Conv("conv1", 2, 3), new Relu("relu1"), Conv("conv2", 3, 3),   // activation 3
        new ShortcutBranch("branch1", source: 0), Projection("conv3", 2, 3),
        new ResidualAdd("add1", source: 3, fusedRelu: true),
    ]);

    [Fact]
    public void AProjectionShortcutFromAnAddsOutput() => Verify(
    [
        Conv("conv1", 2, 2), new Relu("relu1"), Conv("conv2", 2, 2),
        new ResidualAdd("add1", source: 2, fusedRelu: true),           // activation 4: read by conv3 and by the branch
        Conv("conv3", 2, 3), new Relu("relu2"), Conv("conv4", 3, 3),   // activation 7
        new ShortcutBranch("branch1", source: 4), Projection("conv5", 2, 3),
        new ResidualAdd("add2", source: 7),
    ]);

    [Fact]
    public void ABranchStraightToTheAdd()
    {
        // No layer on the shortcut: the Add adds the branch's input (activation 3) to its source (activation 2), an identity skip
        // written with a branch.
        Verify([Conv("conv1", 2, 2), new Relu("relu1"), Conv("conv2", 2, 2), new ShortcutBranch("branch1", source: 2), new ResidualAdd("add1", source: 3)], channels: 2);
    }

    [Fact]
    public void TheLayerCannotRunWithoutTheChain()
    {
        var branch = new ShortcutBranch("branch1", source: 2);
        Assert.Contains("branch1 continues the chain from activation 2",
            Assert.Throws<InvalidOperationException>(() => branch.Forward(new float[50], new float[50], 1, ComputeThreads.Single)).Message);
        Assert.Contains("only the chain knows", Assert.Throws<InvalidOperationException>(() => branch.Bind(Image, 1)).Message);
    }

    [Fact]
    public void BindRefusesASourceThatIsNotEarlier()
    {
        var e = Assert.Throws<ArgumentException>(() => Build([Conv("conv1", 2, 2), new ShortcutBranch("branch1", source: 1), new ResidualAdd("add1", source: 1)], Image, features: 50));
        Assert.Contains("layer 1 (branch1): it continues from activation 1, but only activations 0 (the network's input) to 0 come before its own input", e.Message);
    }

    [Fact]
    public void BindRefusesABranchWhoseInputNoLaterJoinReads()
    {
        var e = Assert.Throws<ArgumentException>(() => Build([Conv("conv1", 2, 2), new Relu("relu1"), new ShortcutBranch("branch1", source: 1), Conv("conv2", 2, 2)], Image, features: 50));
        Assert.Contains("layer 2 (branch1): it leaves its input (activation 2) for an earlier activation, but no later ResidualAdd, ChannelConcat or ChannelScale reads activation 2", e.Message);
    }

    private static Conv2d Projection(string name, int inputs, int outputs) => new(name, inputs, outputs, new ConvolutionGeometry(1));

    /// <summary>The layers end at 5×5×<paramref name="channels"/>.</summary>
    private static void Verify(TrainingLayer[] layers, int channels = 3) => VerifyGradients(layers, Image, features: 25 * channels);
}
