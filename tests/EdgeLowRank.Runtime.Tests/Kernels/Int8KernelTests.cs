using System.Runtime.Intrinsics;
using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Tests.Kernels;

/// <summary>The int8 path: the dense kernel on int8 weights against the scalar reference on the same weights (which reads
/// each element as q × scale), on every path, for GEMV and GEMM, partial panels and every epilogue. The SIMD kernels widen
/// each row in registers and scale the finished sums, so they agree with the reference within the rounding of a sum of K
/// products; the scalar path is the reference, and equals the f32 kernel on the weights' values bit for bit.</summary>
public class Int8KernelTests
{
    private const float Sentinel = -12345.5f;

    [Fact]
    public void PortableWideningSignExtendsEveryByte()
    {
        sbyte[] bytes = [-128, -127, -1, 0, 1, 2, 63, 64, 100, 126, 127, -2, -64, -100, 5, -5];
        (Vector256<int> low, Vector256<int> high) = PortableWidening.To256(Vector128.Create(bytes));
        int[] widened = [.. Enumerable.Range(0, 8).Select(i => low[i]), .. Enumerable.Range(0, 8).Select(i => high[i])];
        Assert.Equal(bytes.Select(b => (int)b), widened);
        (Vector128<int> a, Vector128<int> b, Vector128<int> c, Vector128<int> d) = PortableWidening.To128(Vector128.Create(bytes));
        int[] quarters = [.. Enumerable.Range(0, 4).Select(i => a[i]), .. Enumerable.Range(0, 4).Select(i => b[i]),
            .. Enumerable.Range(0, 4).Select(i => c[i]), .. Enumerable.Range(0, 4).Select(i => d[i])];
        Assert.Equal(bytes.Select(v => (int)v), quarters);
    }

    [Theory]
    [SimdPathData(KernelPath.Vector128)]
    [SimdPathData(KernelPath.Vector256)]
    [SimdPathData(KernelPath.Vector512)]
    public void Int8WeightsMatchTheScalarReference(KernelPath path)
    {
        foreach (int batch in (int[])[0, 1, 2, 7, 9, 64])
            foreach (var (inputs, outputs) in ((int, int)[])[(1, 1), (5, 17), (37, 29), (33, 48), (300, 10), (20, 100), (784, 30), (3, 4)])
                foreach (bool relu in (bool[])[false, true])
                    Check(path, batch, inputs, outputs, relu, seed: batch * 1000 + inputs + outputs);
    }

    [Fact]
    public void TheScalarPathOnInt8IsTheF32KernelOnTheValues()
    {
        foreach (int batch in (int[])[1, 9])
        {
            var random = new Random(batch);
            PackedMatrix int8 = PackedMatrix.FromRowMajor(RandomData.Uniform(random, 37 * 29), 37, 29).Quantize();
            float[] x = RandomData.Uniform(random, batch * 37), bias = RandomData.Uniform(random, 29);
            float[] fromInt8 = Run(x, batch, PanelWeights.Of(int8), 37, 29, bias, Activation.Relu, KernelPath.Scalar);
            float[] fromValues = Run(x, batch, PanelWeights.Float32(Widened(int8).Data.Span), 37, 29, bias, Activation.Relu, KernelPath.Scalar);
            Assert.Equal(fromValues, fromInt8);
        }
    }

    [Fact]
    public void ThePublicOverloadTakesEitherElementType()
    {
        var random = new Random(5);
        PackedMatrix weights = PackedMatrix.FromRowMajor(RandomData.Uniform(random, 40 * 21), 40, 21);
        PackedMatrix int8 = weights.Quantize();
        float[] x = RandomData.Uniform(random, 3 * 40), bias = RandomData.Uniform(random, 21);
        var fromF32 = new float[3 * 21];
        var fromInt8 = new float[3 * 21];
        DenseKernel.Run(x, 3, weights, bias, Activation.Relu, fromF32);
        DenseKernel.Run(x, 3, int8, bias, Activation.Relu, fromInt8);
        var expected = new float[3 * 21];
        DenseKernel.Run(x, 3, weights.Data.Span, 40, 21, bias, Activation.Relu, expected);
        Assert.Equal(expected, fromF32);
        AssertMatchesScalar(int8, x, 3, bias, Activation.Relu, fromInt8, "DenseKernel.Run(PackedMatrix)");
        Assert.Throws<ArgumentException>(() => DenseKernel.Run(x, 2, int8, bias, Activation.None, fromInt8));
    }

    private static void Check(KernelPath path, int batch, int inputs, int outputs, bool relu, int seed)
    {
        var random = new Random(seed);
        PackedMatrix int8 = PackedMatrix.FromRowMajor(RandomData.Uniform(random, inputs * outputs), inputs, outputs).Quantize();
        float[] x = RandomData.Uniform(random, batch * inputs), bias = RandomData.Uniform(random, outputs);
        Activation activation = relu ? Activation.Relu : Activation.None;
        float[] actual = Run(x, batch, PanelWeights.Of(int8), inputs, outputs, bias, activation, path);
        string what = $"{path}, batch {batch}, {inputs}→{outputs}, relu {relu}";
        AssertMatchesScalar(int8, x, batch, bias, activation, actual, what);
        // Scaling the sums rounds differently from the reference's q × scale per weight: identical outputs everywhere
        // would mean the int8 route was not taken (or computed the values' way).
        if (batch > 0 && inputs > 30 && outputs > 20 && !relu)
            Assert.False(Run(x, batch, PanelWeights.Of(int8), inputs, outputs, bias, activation, KernelPath.Scalar).AsSpan().SequenceEqual(actual),
                $"{what}: bit for bit the reference's rounding");
    }

    /// <summary>Asserts that <paramref name="actual"/> agrees with the scalar reference on <paramref name="int8"/> within
    /// (K + 2) ulps of Σ|x·w| + |b| per output: the rounding of two orders of K products and one scale.</summary>
    internal static void AssertMatchesScalar(PackedMatrix int8, float[] x, int batch, float[] bias, Activation activation, float[] actual, string what)
    {
        int inputs = int8.Rows, outputs = int8.Columns;
        float[] expected = Run(x, batch, PanelWeights.Of(int8), inputs, outputs, bias, activation, KernelPath.Scalar);
        for (int m = 0; m < batch; m++)
            for (int n = 0; n < outputs; n++)
            {
                double magnitude = Enumerable.Range(0, inputs).Sum(k => Math.Abs((double)x[m * inputs + k] * int8[k, n])) + Math.Abs(bias[n]);
                double tolerance = (inputs + 2) * magnitude / (1 << 23);
                int i = m * outputs + n;
                Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"{what}: Y[{m}, {n}] = {actual[i]:R}, reference {expected[i]:R}, tolerance {tolerance:G3}");
            }
    }

    private static float[] Run(float[] x, int batch, PanelWeights weights, int inputs, int outputs, float[] bias, Activation activation, KernelPath path)
    {
        var y = new float[batch * outputs + 32];
        Array.Fill(y, Sentinel);
        DenseKernel.RunValidated(x, batch, weights, inputs, outputs, bias, activation, y.AsSpan(0, batch * outputs), path);
        Assert.All(y[(batch * outputs)..], guard => Assert.Equal(Sentinel, guard));
        return y[..(batch * outputs)];
    }

    /// <summary>The f32 matrix of an int8 matrix's values.</summary>
    internal static PackedMatrix Widened(PackedMatrix int8) => PackedMatrix.FromRowMajor(int8.ToRowMajor(), int8.Rows, int8.Columns);
}
