using EdgeLowRank.Compressor.Export;
using EdgeLowRank.Compressor.Tests.Data;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Tests.Export;

/// <summary>Windows padded differently per side (format 1.13) through export, a file and import: each layer keeps its four
/// sides at every step (an exporter or importer that kept one number would pad the bottom as the top and the right as the
/// left, giving other output shapes or other numbers), and the session computes the trainer's outputs.</summary>
public sealed class UnevenPaddingExportTests
{
    private static readonly WindowPadding SameStride2 = new(0, 0, 1, 1);   // TensorFlow's SAME with stride 2 over an even side
    private static readonly WindowPadding SameKernel4 = new(1, 1, 2, 2);   // PyTorch's padding='same' with a kernel of 4
    private static readonly WindowPadding LeftAndBottom = new(0, 1, 1, 0);

    /// <summary>The first layer's window: 3×3, stride 2, <see cref="SameStride2"/>.</summary>
    private static readonly ConvolutionGeometry FirstWindow = new(3, 2, SameStride2);

    /// <summary>The windows of <see cref="Windows"/>' convolutions and pooling, in order.</summary>
    private static readonly ConvolutionGeometry[] Expected = [FirstWindow, new(4, 1, SameKernel4), new(3, 1, LeftAndBottom)];

    /// <summary>On a 6×6×2 image: <paramref name="first"/> (3×3, stride 2, padded <see cref="SameStride2"/>, to 3×3×4), ReLU;
    /// a depthwise 4×4 padded <see cref="SameKernel4"/> (3×3×4), ReLU; max pool 3×3 padded <see cref="LeftAndBottom"/>
    /// (2×2×4); Flatten, Dense 4; trained a few steps.</summary>
    private static Network Windows(TrainingLayer first) => ResidualExportTests.Trained(new Network("windows", ResidualExportTests.Image,
    [
        first, new Relu("relu1"), new DepthwiseConv2d("dw1", 4, new ConvolutionGeometry(4, 1, SameKernel4)), new Relu("relu2"),
        new MaxPool2d("pool1", 3, 1, LeftAndBottom), new Flatten("flatten"), new Dense("fc1", 2 * 2 * 4, 4),
    ], maxBatch: ResidualExportTests.Batch));

    /// <summary>The windows of a model's convolutions and poolings, in order.</summary>
    private static ConvolutionGeometry[] WindowsOf(IEnumerable<Layer> layers) => layers.Select(TensorPlan.Window).OfType<ConvolutionGeometry>().ToArray();

    [Fact]
    public void The_pads_survive_export_a_file_and_import()
    {
        Network network = Windows(new Conv2d("conv1", 2, 4, FirstWindow));
        float[] inputs = ResidualExportTests.Inputs();
        using (Model exported = NetworkExporter.ToModel(network, new ModelMetadata(), appendSoftmax: false))
        {
            Assert.Equal(Expected, WindowsOf(exported.Layers));
            RuntimeAgreement.AssertSessionComputesNetwork(network, exported, inputs, ResidualExportTests.Batch);
        }

        using var folder = new TempDirectory();
        using Model read = ResidualExportTests.WrittenAndRead(network, folder, "windows");
        Assert.Equal(Expected, WindowsOf(read.Layers));
        RuntimeAgreement.AssertSessionComputesNetwork(network, read, inputs, ResidualExportTests.Batch);

        Network imported = NetworkImporter.ToNetwork(read, maxBatch: ResidualExportTests.Batch);
        Assert.Equal(Expected, imported.Layers.Select(l => l switch
        {
            Conv2d c => c.Geometry,
            DepthwiseConv2d d => d.Geometry,
            Pool2d p => p.Geometry,
            _ => (ConvolutionGeometry?)null,
        }).OfType<ConvolutionGeometry>());
        Assert.Equal(network.Forward(inputs, ResidualExportTests.Batch, ComputeThreads.Single).ToArray(),
            imported.Forward(inputs, ResidualExportTests.Batch, ComputeThreads.Single).ToArray());
    }

    [Fact]
    public void A_factorized_convolution_keeps_its_pads_in_the_file_and_the_session_computes_it()
    {
        Network network = Windows(FactorizedLayer.Conv("conv1", 2, 2, 4, FirstWindow, FactorizationMethod.Svd));
        using var folder = new TempDirectory();
        using Model read = ResidualExportTests.WrittenAndRead(network, folder, "factorized-windows");

        Assert.IsType<FactorizedConv2dLayer>(read.Layers[0]);
        Assert.Equal(Expected, WindowsOf(read.Layers));
        RuntimeAgreement.AssertSessionComputesNetwork(network, read, ResidualExportTests.Inputs(), ResidualExportTests.Batch);
    }
}
