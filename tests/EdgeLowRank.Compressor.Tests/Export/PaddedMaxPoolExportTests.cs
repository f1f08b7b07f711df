using EdgeLowRank.Compressor.Export;
using EdgeLowRank.Compressor.Tests.Data;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Tests.Export;

/// <summary>A padded max pooling through export, a file and import: the padding survives each step (an importer that dropped
/// it would build a network of another output shape or other maxima), and the session computes the trainer's outputs.</summary>
public sealed class PaddedMaxPoolExportTests
{
    /// <summary>On a 6×6×2 image: Conv2d 3×3 (same) to 4, ReLU, max pool 3×3, stride 2, padding 1 (→ 3×3×4), Flatten, Dense 4;
    /// trained a few steps.</summary>
    private static Network Stem() => ResidualExportTests.Trained(new Network("stem", ResidualExportTests.Image,
        [new Conv2d("conv1", 2, 4, new ConvolutionGeometry(3, 1, 1)), new Relu("relu1"), new MaxPool2d("pool1", 3, 2, padding: 1),
         new Flatten("flatten"), new Dense("fc1", 3 * 3 * 4, 4)], maxBatch: ResidualExportTests.Batch));

    [Fact]
    public void The_padding_survives_export_a_file_and_import()
    {
        Network network = Stem();
        using var folder = new TempDirectory();
        string path = Path.Combine(folder.Path, "stem.elr");
        using (Model exported = NetworkExporter.ToModel(network, new ModelMetadata(), appendSoftmax: false))
        {
            Assert.Equal(new ConvolutionGeometry(3, 2, 1), exported.Layers.OfType<MaxPool2dLayer>().Single().Geometry);
            RuntimeAgreement.AssertSessionComputesNetwork(network, exported, ResidualExportTests.Inputs(), ResidualExportTests.Batch);
            ModelWriter.Write(exported, path);
        }

        using Model read = ModelReader.Load(path);
        Assert.Equal(new ConvolutionGeometry(3, 2, 1), read.Layers.OfType<MaxPool2dLayer>().Single().Geometry);
        RuntimeAgreement.AssertSessionComputesNetwork(network, read, ResidualExportTests.Inputs(), ResidualExportTests.Batch);

        Network imported = NetworkImporter.ToNetwork(read, maxBatch: ResidualExportTests.Batch);
        Assert.Equal(new ConvolutionGeometry(3, 2, 1), imported.Layers.OfType<MaxPool2d>().Single().Geometry);
        float[] inputs = ResidualExportTests.Inputs();
        Assert.Equal(network.Forward(inputs, ResidualExportTests.Batch, ComputeThreads.Single).ToArray(),
            imported.Forward(inputs, ResidualExportTests.Batch, ComputeThreads.Single).ToArray());
    }
}
