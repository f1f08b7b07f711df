using EdgeLowRank.Runtime.Layers;
using static EdgeLowRank.Onnx.OnnxProto;

namespace EdgeLowRank.Onnx.Tests;

/// <summary>
/// A graph's declared input costs the import nothing until weights of its size come: a security trial's 89-byte file
/// declaring a 1 × 1 × 15,000 × 15,000 input made it allocate 1.8 GB (the input's normalization, two doubles per element)
/// before it refused the graph, and one of 1 × 2 × 32,767 × 32,767 ran out of memory (an internal error). Each import here
/// must allocate less than one byte per element of the input, but where the file holds a constant of one per element: then
/// little more than that constant twice (the file's copy as it is parsed, and its values as floats).
/// </summary>
public sealed class LargeInputTests
{
    [Fact]
    public void AnImageEndingTheGraphIsRefusedWithoutAllocatingItsSize()
    {
        byte[] onnx = new GraphBuilder([1, 4000, 4000]).Then("Relu").Build(1);

        var e = Assert.Throws<OnnxImportException>(() => AllocatingLessThan(16_000_000, () => OnnxImporter.Import(onnx)));

        Assert.Equal("the graph ends on an image (4000×4000×1), not a vector of class scores; end it with Flatten and a Gemm or MatMul.", e.Message);
    }

    [Fact]
    public void AFlattenedChannelsFirstImageIsRefusedWithoutAllocatingItsOrder()
    {
        byte[] onnx = new GraphBuilder([2, 2000, 2000]).Then("Flatten").Build(8_000_000);

        var e = Assert.Throws<OnnxImportException>(() => AllocatingLessThan(8_000_000, () => OnnxImporter.Import(onnx)));

        Assert.StartsWith("the graph ends on a flattened channels-first image", e.Message);
    }

    [Fact]
    public void ANormalizationOfALargeImageIsFoldedWithoutAllocatingItsSize()
    {
        // (x − 0.5) / 0.25 over 4000 × 4000 pixels, a 64×64 Conv of stride 64 to 2 channels (62 × 62), Flatten, Gemm to 10.
        var g = new GraphBuilder([1, 4000, 4000]);
        g.Then("Sub", [Initializer(g.Graph, "mean", [0.5f])]).Then("Div", [Initializer(g.Graph, "std", [0.25f])])
            .Then("Conv", [g.Weights("w", [2, 1, 64, 64])], Ints("kernel_shape", 64, 64), Ints("strides", 64, 64))
            .Then("Flatten").Then("Gemm", [g.Weights("fc", [62 * 62 * 2, 10]), g.Weights("fc.b", [10])]);
        byte[] onnx = g.Build(10);

        using var model = AllocatingLessThan(16_000_000, () => OnnxImporter.Import(onnx, new InputNormalization([0.1f], [2f])));

        Assert.Equal(["Conv2d", "Flatten", "Dense"], model.Layers.Select(l => l.Kind.ToString()));
        // x' = ((x − 0.1) / 2 − 0.5) / 0.25 (--input-mean 0.1 --input-std 2, then the graph's): the filters times its scale,
        // and its shift times the filters in the convolution's bias.
        double scale = 1 / (2 * 0.25), shift = -(0.1 / 2 + 0.5) / 0.25;
        var conv = (Conv2dLayer)model.Layers[0];
        float[] folded = conv.Weights.ToRowMajor();
        for (int j = 0; j < 2; j++)
        {
            double filters = Enumerable.Range(0, 64 * 64).Sum(k => (double)folded[k * 2 + j]) / scale;
            Assert.Equal(shift * filters, conv.Bias.Span[j], 1e-3);
        }
    }

    [Fact]
    public void APerElementNormalizationCostsTheSizeOfItsConstant()
    {
        // x − c, c one value per pixel of a 2000 × 2000 image (16 MB), then a Relu, which is refused once c is taken in. The
        // normalization was held in doubles, twice, after a copy in doubles: 27 bytes an element more than the file.
        var g = new GraphBuilder([1, 2000, 2000]);
        g.Then("Sub", [Initializer(g.Graph, "mean", Enumerable.Repeat(0.5f, 2000 * 2000).ToArray(), 1, 1, 2000, 2000)]).Then("Relu");
        byte[] onnx = g.Build(10);

        var e = AllocatingLessThan(36_000_000, () => Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(onnx)));

        Assert.StartsWith("layer 1 (Relu) comes between the input's normalization and the first Gemm", e.Message);
    }

    /// <summary><paramref name="import"/>'s result or exception, after checking it allocated less than <paramref name="bytes"/>
    /// on this thread (a failed check replaces the exception).</summary>
    private static T AllocatingLessThan<T>(long bytes, Func<T> import)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            return import();
        }
        finally
        {
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < bytes, $"the import allocated {allocated:N0} bytes; expected less than {bytes:N0}");
        }
    }
}
