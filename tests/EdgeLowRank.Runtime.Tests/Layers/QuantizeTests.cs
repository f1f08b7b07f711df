using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.Layers;
using EdgeLowRank.Runtime.Tests.Format;

namespace EdgeLowRank.Runtime.Tests.Layers;

/// <summary><see cref="PackedMatrix.Quantize"/>: its error bound, its edge cases, and agreement with the fixture generator's
/// own quantizer (tests/FixtureGenerator/Int8Twin.cs), written separately.</summary>
public class QuantizeTests
{
    [Fact]
    public void EveryElementIsWithinHalfItsColumnsScale()
    {
        var random = new Random(11);
        const int Rows = 53, Columns = 37;
        float[] values = Enumerable.Range(0, Rows * Columns).Select(i => (float)(random.NextDouble() * 2 - 1) * (1 + i % Columns)).ToArray();
        PackedMatrix f32 = PackedMatrix.FromRowMajor(values, Rows, Columns);
        PackedMatrix int8 = f32.Quantize();
        Assert.Equal(ElementType.Int8, int8.ElementType);
        Assert.True(int8.Data.IsEmpty);
        for (int n = 0; n < Columns; n++)
        {
            float largest = Enumerable.Range(0, Rows).Max(k => Math.Abs(f32[k, n]));
            Assert.Equal(largest / 127, int8.Scales.Span[n]);
            for (int k = 0; k < Rows; k++)
                Assert.True(Math.Abs(f32[k, n] - int8[k, n]) <= int8.Scales.Span[n] / 2 * (1 + 1e-6), $"({k}, {n}): {f32[k, n]} became {int8[k, n]}");
        }
        Assert.DoesNotContain(sbyte.MinValue, int8.Quantized.ToArray()); // symmetric: ±127
        Assert.Equal((long)Rows * Columns + Columns * sizeof(float), int8.ParameterBytes);
        Assert.Equal((long)Rows * Columns * sizeof(float), f32.ParameterBytes);
    }

    [Fact]
    public void AZeroColumnGetsScaleZeroAndPaddingStaysZero()
    {
        PackedMatrix int8 = PackedMatrix.FromRowMajor([1, 0, -2, 0.25f, 0, 0], 2, 3).Quantize();
        Assert.Equal([1f / 127, 0f, 2f / 127], int8.Scales.ToArray());
        Assert.Equal([127, 0, -127, 32, 0, 0], int8.QuantizedToRowMajor()); // 0.25 · 127 = 31.75 → 32
        Assert.All(int8.Quantized.ToArray().Where((_, i) => i % PackedMatrix.PanelWidth >= 3), q => Assert.Equal(0, q));
    }

    [Fact]
    public void NonFiniteWeightsAndInt8MatricesAreRefused()
    {
        var nan = Assert.Throws<ArgumentException>(() => PackedMatrix.FromRowMajor([1, float.NaN], 1, 2).Quantize());
        Assert.Contains("(0, 1) is NaN", nan.Message);
        PackedMatrix int8 = PackedMatrix.FromRowMajor([1, 2], 1, 2).Quantize();
        Assert.Contains("already Int8", Assert.Throws<ArgumentException>(() => int8.Quantize()).Message);
        Assert.Throws<InvalidOperationException>(() => PackedMatrix.FromRowMajor([1, 2], 1, 2).QuantizedToRowMajor());
    }

    [Fact]
    public void AColumnTooSmallForANormalScaleGetsScaleZero()
    {
        PackedMatrix int8 = PackedMatrix.FromRowMajor([1e-37f, 1, -2e-37f, 0.5f], 2, 2).Quantize();
        Assert.Equal([0f, 1f / 127], int8.Scales.ToArray());
        Assert.Equal([0, 127, 0, 64], int8.QuantizedToRowMajor());
    }

    [Theory]
    [InlineData(-1f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.MaxValue / 100)]
    public void AnInvalidScaleIsRefused(float scale)
    {
        var error = Assert.Throws<ArgumentException>(() => PackedMatrix.FromRowMajor(new sbyte[2], new float[] { 1, scale }, 1, 2));
        Assert.Contains("Scale 1 is", error.Message);
        Assert.Contains("128 times it is finite", error.Message);
        Assert.Throws<ArgumentException>(() => PackedMatrix.FromRowMajor(new sbyte[2], new float[] { 1 }, 1, 2));
    }

    [Theory]
    [InlineData("lenet300-factorized")]
    [InlineData("tiny-odd")]
    [InlineData("lenet5-factorized")]
    public void QuantizingAFixtureGivesItsGeneratedInt8Twin(string name)
    {
        using var f32 = ModelReader.Load(Fixtures.Model(name));
        using var twin = ModelReader.Load(Fixtures.Model(name + "-int8"));
        using var quantized = ModelWeights.MapMatrices(f32, (_, matrix) => matrix.Quantize());
        PackedMatrix[] expected = TestModels.Matrices(twin).ToArray(), actual = TestModels.Matrices(quantized).ToArray();
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].Scales.ToArray(), actual[i].Scales.ToArray());
            Assert.Equal(expected[i].Quantized.ToArray(), actual[i].Quantized.ToArray());
        }
    }

    [Fact]
    public void MappedModelsOutliveTheirSource()
    {
        var source = ModelReader.Load(Fixtures.Model("tiny-odd"));
        using Model copy = ModelWeights.MapMatrices(source, (layer, matrix) => layer == 1 ? matrix.Quantize() : matrix);
        float first = ((FactorizedDenseLayer)source.Layers[3]).First[0, 0];
        source.Dispose(); // the copy holds no reference into the file's memory
        Assert.Equal(ElementType.Int8, ((DenseLayer)copy.Layers[1]).Weights.ElementType);
        Assert.Equal(ElementType.Float32, ((FactorizedDenseLayer)copy.Layers[3]).First.ElementType);
        Assert.Equal(first, ((FactorizedDenseLayer)copy.Layers[3]).First[0, 0]);
        Assert.NotEqual(0, ((DenseLayer)copy.Layers[1]).Bias.Span[0]);
        var wrong = Assert.Throws<ArgumentException>(() => ModelWeights.MapMatrices(copy, (_, m) => PackedMatrix.FromRowMajor([1f], 1, 1)));
        Assert.Contains("turned a 37×19 matrix into 1×1", wrong.Message);
    }

    [Fact]
    public void MappedDepthwiseFiltersOutliveTheirSource()
    {
        // The filters are no matrix, so the map never sees them; they were left pointing into the source file's memory.
        var source = ModelReader.Load(Fixtures.Model("depthwise-separable"));
        using Model copy = ModelWeights.MapMatrices(source, (_, matrix) => matrix.Quantize());
        DepthwiseConv2dLayer[] before = source.Layers.OfType<DepthwiseConv2dLayer>().ToArray();
        float[][] filters = before.Select(d => d.Filters.ToArray()).ToArray(), biases = before.Select(d => d.Bias.ToArray()).ToArray();
        source.Dispose();
        DepthwiseConv2dLayer[] after = copy.Layers.OfType<DepthwiseConv2dLayer>().ToArray();
        Assert.Equal(filters, after.Select(d => d.Filters.ToArray()));
        Assert.Equal(biases, after.Select(d => d.Bias.ToArray()));
        Assert.Equal(before.Select(d => (d.Geometry, d.Activation, d.Channels)), after.Select(d => (d.Geometry, d.Activation, d.Channels)));
    }
}
