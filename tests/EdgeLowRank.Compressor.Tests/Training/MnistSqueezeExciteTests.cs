using EdgeLowRank.Compressor.Tests.Data;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Tests.Training;

/// <summary>The squeeze-and-excitation networks learn MNIST, and the runtime scores each exported file as the trainer scored the
/// network: a short fixed-seed run on part of the training set. mnv3-mini through its hard swishes and hard-sigmoid gates (93.82%
/// measured at rate 0.05, 85.78% at 0.03), effnet-mini through SiLU and sigmoid gates (94.11% measured at rate 0.1, 85.62% at 0.05).</summary>
public sealed class MnistSqueezeExciteTests
{
    [RealDataFact("mnist")]
    public void Mnv3MiniLearnsAndTheRuntimeReproducesItsTestAccuracy() =>
        ShortMnistRun.AssertLearnsAndTheRuntimeAgrees("mnv3-mini", rate: 0.05, minimum: 0.88,
            model => Assert.Equal((2, 2, 7), (model.Layers.OfType<ChannelScaleLayer>().Count(), model.Layers.OfType<HardSigmoidLayer>().Count(),
                model.Layers.OfType<HardSwishLayer>().Count())));

    [RealDataFact("mnist")]
    public void EffnetMiniLearnsAndTheRuntimeReproducesItsTestAccuracy() =>
        ShortMnistRun.AssertLearnsAndTheRuntimeAgrees("effnet-mini", rate: 0.1, minimum: 0.89,
            model => Assert.Equal((3, 3, 10), (model.Layers.OfType<ChannelScaleLayer>().Count(), model.Layers.OfType<SigmoidLayer>().Count(),
                model.Layers.OfType<SiluLayer>().Count())));
}
