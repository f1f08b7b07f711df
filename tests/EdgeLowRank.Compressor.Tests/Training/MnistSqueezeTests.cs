using EdgeLowRank.Compressor.Tests.Data;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Tests.Training;

/// <summary>squeeze-mini learns MNIST through its Fire modules, and the runtime scores the exported file as the trainer scored
/// the network: a short fixed-seed run on part of the training set.</summary>
public sealed class MnistSqueezeTests
{
    [RealDataFact("mnist")]
    public void SqueezeMiniLearnsAndTheRuntimeReproducesItsTestAccuracy() =>
        ShortMnistRun.AssertLearnsAndTheRuntimeAgrees("squeeze-mini", rate: 0.02, minimum: 0.8,
            model => Assert.Equal(3, model.Layers.OfType<ConcatLayer>().Count()));
}
