using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Tests.Execution;

/// <summary>A product split by rows (<see cref="ProductRows"/>), its parts run one after another in reverse order, the
/// order in which a part that wrote past its last row would spoil the next part's finished rows.</summary>
public sealed class ProductRowsTests
{
    public static TheoryData<KernelPath, bool, bool> Cases()
    {
        var data = new TheoryData<KernelPath, bool, bool>();
        foreach (KernelPath path in InferenceSessionTests.Paths)
        {
            data.Add(path, false, false);
            data.Add(path, true, false);
        }
        data.Add(KernelPath.Auto, false, true);
        data.Add(KernelPath.Auto, true, true);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Parts_write_only_their_rows_and_together_compute_the_whole_product(KernelPath path, bool windows, bool int8)
    {
        // A 1×1 convolution of 41×41×40 to 24 channels (1,681 pixels, one past a multiple of 16), or a padded 3×3 one of
        // 41×41×24 to 40 (41 output rows): each with a partial last panel, stored full width into the next row.
        var random = new Random(windows ? 3 : 1);
        (int inputs, int outputs) = windows ? (9 * 24, 40) : (40, 24);
        PackedMatrix weights = TestModels.RandomMatrix(random, inputs, outputs);
        if (int8) weights = weights.Quantize();
        float[] bias = TestModels.RandomFloats(random, outputs, 0.1f);
        float[] image = TestModels.RandomFloats(random, 41 * 41 * (windows ? 24 : 40));
        // The 1×1 convolution's image is its X, as the session multiplies it: one group of contiguous rows.
        var padded = new float[ImplicitConvolution.PaddedFloats(41, 41, 24, new ConvolutionGeometry(3, 1, 1))];
        InputRows rows = InputRows.Contiguous(41 * 41, 40);
        int batch = 41 * 41;
        ReadOnlySpan<float> x = windows ? ImplicitConvolution.Windows(image, 41, 41, 24, new ConvolutionGeometry(3, 1, 1), padded, out rows, out batch) : image;
        KernelPath resolved = KernelPaths.Resolve(path);
        float[] expected = new float[batch * outputs], actual = new float[expected.Length];
        DenseKernel.RunRows(x, batch, rows, PanelWeights.Of(weights), inputs, outputs, bias, FusedActivation.Relu, expected, resolved, PanelShare.Whole);

        ProductRows.Units(batch, rows.GroupRows, out int units, out int alignment);
        Assert.Equal(windows ? (41, 1) : (1681, 16), (units, alignment));
        Array.Fill(actual, float.NaN);
        int[] starts = [0, units / 3 / alignment * alignment, 2 * units / 3 / alignment * alignment, units];
        for (int part = 2; part >= 0; part--)
        {
            ProductRows.Run(resolved, x, batch, rows, weights, bias, FusedActivation.Relu, actual, starts[part], starts[part + 1]);
            int firstRow = starts[part] * (windows ? 41 : 1);
            Assert.All(actual.AsSpan(0, firstRow * outputs).ToArray(), v => Assert.True(float.IsNaN(v), "a part wrote before its first row"));
        }
        Assert.Equal(expected, actual);
    }
}
