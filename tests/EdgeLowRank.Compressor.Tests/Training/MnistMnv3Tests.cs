using EdgeLowRank.Compressor.Tests.Data;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Tests.Training;

/// <summary>mnv3-mini learns MNIST through its hard swishes and squeeze-and-excitation blocks (93.82% measured at rate 0.05, 85.78% at 0.03), and the
/// runtime scores the exported file as the trainer scored the network: a short fixed-seed run on part of the training set.</summary>
public sealed class MnistMnv3Tests
{
    [RealDataFact("mnist")]
    public void Mnv3MiniLearnsAndTheRuntimeReproducesItsTestAccuracy() =>
        ShortMnistRun.AssertLearnsAndTheRuntimeAgrees("mnv3-mini", rate: 0.05, minimum: 0.88,
            model => Assert.Equal((2, 2, 7), (model.Layers.OfType<ChannelScaleLayer>().Count(), model.Layers.OfType<HardSigmoidLayer>().Count(),
                model.Layers.OfType<HardSwishLayer>().Count())));
}
