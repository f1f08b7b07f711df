using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Tests.Training;

/// <summary>The training engine's own vectorized helpers against their plain versions.</summary>
public sealed class TrainingKernelTests
{
    private static float[] Random(int length, ulong seed, bool fewValues = false)
    {
        var random = new SeededRandom(seed);
        return Enumerable.Range(0, length)
            .Select(_ => fewValues ? random.NextInt(4) - 1.5f : (random.NextUInt64() >> 40) / (float)(1 << 23) - 1f).ToArray();
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 16)]
    [InlineData(13, 33)]
    [InlineData(64, 300)]
    [InlineData(100, 10)]
    public void PanelPackingMatchesPackedMatrix(int rows, int columns)
    {
        float[] rowMajor = Random(rows * columns, 1), outputMajor = Random(rows * columns, 2);
        long length = PackedMatrix.PackedLength(rows, columns);
        float[] expected = new float[length], actual = Enumerable.Repeat(float.NaN, (int)length).ToArray();
        PackedMatrix.PackInto(rowMajor, rows, columns, transposed: false, expected);
        for (int p = 0; p < PackedMatrix.PanelsFor(columns); p++) WeightProducts.PackPanel(rowMajor, rows, columns, p, actual);
        Assert.Equal(expected, actual);

        Array.Fill(actual, float.NaN);
        PackedMatrix.PackInto(outputMajor, rows, columns, transposed: true, expected);
        for (int p = 0; p < PackedMatrix.PanelsFor(columns); p++) WeightProducts.PackTransposedPanel(outputMajor, rows, columns, p, actual);
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(5, 9)]
    [InlineData(64, 300)]
    [InlineData(17, 8)]
    public void TransposeMatchesTheDefinition(int rows, int columns)
    {
        float[] source = Random(rows * columns, 3);
        var actual = new float[source.Length];
        WeightProducts.Transpose(source, rows, columns, actual);
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
                Assert.Equal(source[r * columns + c], actual[c * rows + r]);
    }

    [Fact]
    public void ReluBackwardMatchesTheScalarRuleForEveryLength()
    {
        for (int length = 0; length <= 40; length++)
        {
            float[] output = Random(length, 4, fewValues: true).Select(v => Math.Max(v, 0f)).ToArray();
            float[] gradient = Random(length, 5), actual = new float[length];
            Relu.PassWherePositive(output, gradient, actual);
            Assert.Equal(output.Select((o, i) => o > 0f ? gradient[i] : 0f), actual);
        }
    }

    [Theory]
    [InlineData(8, 8, 8, 2, 2)]
    [InlineData(24, 24, 20, 2, 2)]
    [InlineData(9, 7, 13, 3, 2)] // overlapping windows, channels not a multiple of eight
    [InlineData(6, 6, 50, 2, 1)]
    public void MaxPoolBackwardMatchesTheScalarReference(int height, int width, int channels, int size, int stride)
    {
        var pool = new MaxPool2d("pool", size, stride);
        TensorShape output = pool.Bind(new TensorShape(height, width, channels), 2);
        float[] image = Random(height * width * channels, 6, fewValues: true); // ties in most windows
        var pooled = new float[output.ElementCount];
        pool.Forward(image, pooled, 1, new ComputeThreads(1));
        float[] pooledGradient = Random(pooled.Length, 7);
        float[] expected = new float[image.Length], actual = new float[image.Length];
        pool.RouteToMaximaReference(image, pooled, pooledGradient, expected);
        pool.Backward(image, pooled, pooledGradient, actual, 1, new ComputeThreads(1));
        Assert.Equal(expected, actual);
    }
}
