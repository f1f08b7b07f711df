using EdgeLowRank.Compressor.Tests.Data;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Tests.Training;

/// <summary>shuffle-mini learns MNIST through its channel slices and shuffles (89.87% measured at rate 0.03), and the runtime
/// scores the exported file as the trainer scored the network: a short fixed-seed run on part of the training set.</summary>
public sealed class MnistShuffleTests
{
    [RealDataFact("mnist")]
    public void ShuffleMiniLearnsAndTheRuntimeReproducesItsTestAccuracy() =>
        ShortMnistRun.AssertLearnsAndTheRuntimeAgrees("shuffle-mini", rate: 0.03, minimum: 0.85,
            model => Assert.Equal((4, 3), (model.Layers.OfType<ChannelSliceLayer>().Count(), model.Layers.OfType<ChannelShuffleLayer>().Count())));
}
