using EdgeLowRank.Compressor.Compression;

namespace EdgeLowRank.Compressor.Tests.Compression;

/// <summary>An L step's SGD updates, which the convergence advice names: the last partial batch is one update too.</summary>
public sealed class UpdatesPerLStepTests
{
    [Theory]
    [InlineData(1_438, 256, 1, 6)]   // the UCI digits' training part
    [InlineData(60_000, 256, 1, 235)] // MNIST
    [InlineData(1_438, 256, 8, 48)]
    [InlineData(512, 256, 1, 2)]      // no partial batch
    [InlineData(1_438, 32, 1, 45)]
    public void An_L_step_is_its_epochs_of_batches_rounded_up(int samples, int batch, int epochs, int updates)
    {
        Assert.Equal(updates, new LcOptions { BatchSize = batch, EpochsPerStep = epochs }.UpdatesPerLStep(samples));
    }
}
