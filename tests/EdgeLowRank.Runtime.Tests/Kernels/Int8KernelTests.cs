using System.Runtime.Intrinsics;
using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Tests.Kernels;

/// <summary>The int8 path: the panel widening against its definition, and the dense kernel on int8 weights against the same
/// kernel on the f32 matrix of the values those weights stand for (q × scale). A batch widens each panel to exactly those
/// values, so the two agree bit for bit; the batch-1 GEMV scales each finished sum instead of each weight, so there they
/// agree within the rounding of a sum of K products.</summary>
public class Int8KernelTests
{
    private const float Sentinel = -12345.5f;

    [Fact]
    public void VectorWideningEqualsTheDefinition()
    {
        var random = new Random(3);
        foreach (int rows in (int[])[1, 2, 7, 64, 301])
        {
            var quantized = new sbyte[rows * PackedMatrix.PanelWidth];
            random.NextBytes((byte[])(Array)quantized);
            quantized[0] = sbyte.MinValue;
            quantized[^1] = sbyte.MaxValue;
            float[] scales = [0f, 1f, 1e-30f, 3.5e-3f, 1e30f, float.Epsilon, .. RandomData.Uniform(random, 10, 0, 2)];
            var expected = new float[quantized.Length];
            var actual = new float[quantized.Length];
            PanelDequantizer.Reference(quantized, scales, expected);
            PanelDequantizer.Vector(quantized, scales, actual);
            Assert.Equal(expected, actual);
            Assert.Equal(quantized[0] * scales[0], expected[0]);
            Assert.Equal(quantized[^1] * scales[15], expected[^1]);
        }
    }

    [Fact]
    public void PortableWideningSignExtendsEveryByte()
    {
        sbyte[] bytes = [-128, -127, -1, 0, 1, 2, 63, 64, 100, 126, 127, -2, -64, -100, 5, -5];
        (Vector256<int> low, Vector256<int> high) = PortableWidening.To256(Vector128.Create(bytes));
        int[] widened = [.. Enumerable.Range(0, 8).Select(i => low[i]), .. Enumerable.Range(0, 8).Select(i => high[i])];
        Assert.Equal(bytes.Select(b => (int)b), widened);
    }

    [Theory]
    [InlineData(KernelPath.Scalar)]
    [SimdPathData(KernelPath.Vector128)]
    [SimdPathData(KernelPath.Vector256)]
    [SimdPathData(KernelPath.Vector512)]
    public void Int8WeightsComputeWhatTheirF32ValuesCompute(KernelPath path)
    {
        foreach (int batch in (int[])[0, 1, 2, 7, 9, 64])
            foreach (var (inputs, outputs) in ((int, int)[])[(1, 1), (5, 17), (37, 29), (33, 48), (300, 10), (20, 100)])
                foreach (bool relu in (bool[])[false, true])
                    Check(path, batch, inputs, outputs, relu, seed: batch * 1000 + inputs + outputs);
    }

    [Fact]
    public void ThePublicOverloadTakesEitherElementType()
    {
        var random = new Random(5);
        PackedMatrix weights = PackedMatrix.FromRowMajor(RandomData.Uniform(random, 40 * 21), 40, 21);
        PackedMatrix int8 = weights.Quantize();
        float[] x = RandomData.Uniform(random, 3 * 40), bias = RandomData.Uniform(random, 21);
        var fromInt8 = new float[3 * 21];
        var fromValues = new float[3 * 21];
        DenseKernel.Run(x, 3, int8, bias, Activation.Relu, fromInt8);
        DenseKernel.Run(x, 3, Widened(int8), bias, Activation.Relu, fromValues);
        Assert.Equal(fromValues, fromInt8);
        Assert.Throws<ArgumentException>(() => DenseKernel.Run(x, 2, int8, bias, Activation.None, fromInt8));
    }

    private static void Check(KernelPath path, int batch, int inputs, int outputs, bool relu, int seed)
    {
        var random = new Random(seed);
        PackedMatrix int8 = PackedMatrix.FromRowMajor(RandomData.Uniform(random, inputs * outputs), inputs, outputs).Quantize();
        PackedMatrix values = Widened(int8);
        float[] x = RandomData.Uniform(random, batch * inputs), bias = RandomData.Uniform(random, outputs);
        Activation activation = relu ? Activation.Relu : Activation.None;

        // The widening buffer gets a guard too: a panel must fill exactly K×16 floats of it.
        long panelFloats = PanelWeights.DequantizedFloats(int8);
        Assert.Equal((long)inputs * PackedMatrix.PanelWidth, panelFloats);
        var buffer = new float[panelFloats + 16];
        Array.Fill(buffer, Sentinel);
        float[] fromInt8 = Run(x, batch, PanelWeights.Of(int8, buffer), inputs, outputs, bias, activation, path);
        Assert.All(buffer[(int)panelFloats..], guard => Assert.Equal(Sentinel, guard));
        float[] fromValues = Run(x, batch, PanelWeights.Float32(values.Data.Span), inputs, outputs, bias, activation, path);
        string what = $"{path}, batch {batch}, {inputs}→{outputs}, relu {relu}";
        if (batch != 1 || path == KernelPath.Scalar)
        {
            Assert.True(fromValues.AsSpan().SequenceEqual(fromInt8), $"{what}: int8 and its values differ");
            return;
        }
        for (int n = 0; n < outputs; n++)
        {
            // Two orders of rounding of the same K products and one scale: each within (K + 2) ulps of Σ|x·w|.
            double magnitude = Enumerable.Range(0, inputs).Sum(k => Math.Abs((double)x[k] * int8[k, n])) + Math.Abs(bias[n]);
            double tolerance = (inputs + 2) * magnitude / (1 << 23);
            Assert.True(Math.Abs(fromValues[n] - fromInt8[n]) <= tolerance, $"{what}: Y[{n}] int8 {fromInt8[n]:R}, values {fromValues[n]:R}, tolerance {tolerance:G3}");
        }
        Assert.False(fromValues.AsSpan().SequenceEqual(fromInt8) && inputs > 30 && outputs > 20 && activation == Activation.None,
            $"{what}: the GEMV matched bit for bit, so it did not take the int8 route that scales sums");
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
