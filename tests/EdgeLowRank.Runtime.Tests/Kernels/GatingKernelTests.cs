using EdgeLowRank.Runtime.Kernels;

namespace EdgeLowRank.Runtime.Tests.Kernels;

/// <summary>Format 1.9's activations (hard swish, hard sigmoid, SiLU), 1.12's leaky ReLU and squeeze-and-excitation's channel scaling: each
/// vector kernel against its scalar reference and against float64, over every tail length, in place and not.</summary>
public class GatingKernelTests
{
    private delegate void Map(ReadOnlySpan<float> x, Span<float> y);

    private const float Alpha = 1f / 6, Beta = 0.5f;

    private static int[] Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();

    private static float Ulp(float value) => MathF.BitIncrement(MathF.Abs(value)) - MathF.Abs(value);

    public static TheoryData<string> ExactKernels => ["hardswish", "hardsigmoid", "hardsigmoid 0.2 0.5", "leakyrelu", "leakyrelu 0.2"];

    private static (Map Run, Map Reference, Func<double, double> Exact) Of(string name) => name switch
    {
        "hardswish" => (HardSwishKernel.Run, HardSwishKernel.Reference, x => x * Math.Min(Math.Max(x + 3, 0), 6) / 6),
        "hardsigmoid" => ((x, y) => HardSigmoidKernel.Run(x, y, Alpha, Beta), (x, y) => HardSigmoidKernel.Reference(x, y, Alpha, Beta),
            x => Math.Min(Math.Max((double)Alpha * x + Beta, 0), 1)),
        "hardsigmoid 0.2 0.5" => ((x, y) => HardSigmoidKernel.Run(x, y, 0.2f, 0.5f), (x, y) => HardSigmoidKernel.Reference(x, y, 0.2f, 0.5f),
            x => Math.Min(Math.Max((double)0.2f * x + 0.5, 0), 1)),
        "leakyrelu" => ((x, y) => LeakyReluKernel.Run(x, y, 0.01f), (x, y) => LeakyReluKernel.Reference(x, y, 0.01f), x => x >= 0 ? x : (double)0.01f * x),
        "leakyrelu 0.2" => ((x, y) => LeakyReluKernel.Run(x, y, 0.2f), (x, y) => LeakyReluKernel.Reference(x, y, 0.2f), x => x >= 0 ? x : (double)0.2f * x),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such kernel here: a misspelt case would test another"),
    };

    /// <summary>Every length from 0 to 67 (whole vectors and tails); values across both kinks (±3) and both saturations,
    /// a third of them within ±4, where the kinks and the curve are.</summary>
    private static IEnumerable<float[]> Spans(int seed, float range = 12)
    {
        var random = new Random(seed);
        for (int length = 0; length <= 67; length++)
        {
            float[] values = RandomData.Uniform(random, length, -range, range);
            for (int i = 0; i < length; i += 3) values[i] = values[i] / range * 4;
            yield return values;
        }
    }

    [Theory]
    [MemberData(nameof(ExactKernels))]
    public void Vector_and_scalar_give_the_same_bits_with_special_values_and_run_in_place(string name)
    {
        (Map run, Map reference, _) = Of(name);
        float[] specials = [float.NaN, -0f, 0f, -3f, 3f, -2.9999998f, 3.0000002f, float.PositiveInfinity, float.NegativeInfinity, -float.Epsilon];
        var random = new Random(name.Length);
        foreach (float[] values in Spans(name.Length))
        {
            for (int i = 1; i < values.Length; i += 4) values[i] = specials[random.Next(specials.Length)];
            var simd = new float[values.Length];
            var scalar = new float[values.Length];
            float[] inPlace = values.ToArray();

            run(values, simd);
            reference(values, scalar);
            run(inPlace, inPlace);

            Assert.Equal(Bits(scalar), Bits(simd));
            Assert.Equal(Bits(scalar), Bits(inPlace));
        }
    }

    [Theory]
    [MemberData(nameof(ExactKernels))]
    public void The_piecewise_kernels_are_within_two_roundings_of_the_float64_value(string name)
    {
        // The hard sigmoid's outputs lie in [0, 1] and αx + β cancels near 0, so its error is absolute: two roundings of
        // values up to 1. The hard swish's is relative: x + 3 is exact where it cancels (Sterbenz), then two roundings.
        (Map run, _, Func<double, double> exact) = Of(name);
        bool absolute = name.StartsWith("hardsigmoid");
        foreach (float[] values in Spans(name.Length + 10))
        {
            var y = new float[values.Length];
            run(values, y);
            for (int i = 0; i < values.Length; i++)
            {
                double expected = exact(values[i]);
                double bound = absolute ? 2 * Ulp(1f) : 2 * Ulp((float)expected) + 1e-30;
                Assert.True(Math.Abs(y[i] - expected) <= bound, $"{name}({values[i]:R}) = {y[i]:R}; float64 {expected:R}");
            }
        }
    }

    [Fact]
    public void Hard_swish_is_zero_below_minus_3_the_identity_above_3_and_keeps_NaN()
    {
        float[] values = [-3.5f, -3f, 3f, 7.25f, 100f, float.NaN];
        HardSwishKernel.Run(values, values);
        Assert.Equal([0f, 0f, 3f, 7.25f, 100f], values[..5].Select(MathF.Abs));
        Assert.True(float.IsNaN(values[5]));
    }

    [Fact]
    public void Leaky_relu_keeps_what_is_not_negative_scales_the_rest_and_keeps_NaN_and_minus_zero()
    {
        float[] values = [-100f, -1f, -0f, 0f, 2.5f, float.NegativeInfinity, float.NaN];
        LeakyReluKernel.Run(values, values, 0.01f);
        Assert.Equal([-100f * 0.01f, -0.01f, 0f, 0f, 2.5f, float.NegativeInfinity], values[..6]);
        Assert.True(float.IsNegative(values[2]));
        Assert.True(float.IsNaN(values[6]));
    }

    [Fact]
    public void Hard_sigmoid_uses_its_own_slope_and_offset()
    {
        float[] values = [-1f, 0f, 1f, 2f, 10f];
        var pytorch = new float[5];
        var onnx = new float[5];
        HardSigmoidKernel.Run(values, pytorch, Alpha, Beta);
        HardSigmoidKernel.Run(values, onnx, 0.2f, 0.5f);
        double[] pytorchExpected = [0.5 - 1.0 / 6, 0.5, 0.5 + 1.0 / 6, 0.5 + 2.0 / 6, 1], onnxExpected = [0.3, 0.5, 0.7, 0.9, 1];
        for (int i = 0; i < values.Length; i++)
        {
            Assert.Equal(pytorchExpected[i], pytorch[i], 1e-7);
            Assert.Equal(onnxExpected[i], onnx[i], 1e-7);
        }
    }

    [Fact]
    public void Silu_is_within_its_sigmoids_error_times_x_of_the_float64_value_on_both_paths()
    {
        // σ is within 1.2e-7 absolute (SquashKernelTests), so x·σ(x) within |x|·1.2e-7 and one rounding of the product.
        foreach (float[] values in Spans(5, range: 100))
        {
            var simd = new float[values.Length];
            var scalar = new float[values.Length];
            float[] inPlace = values.ToArray();

            SiluKernel.Run(values, simd);
            SiluKernel.Reference(values, scalar);
            SiluKernel.Run(inPlace, inPlace);

            Assert.Equal(Bits(simd), Bits(inPlace));
            for (int i = 0; i < values.Length; i++)
            {
                double x = values[i], expected = x / (1 + Math.Exp(-x));
                double bound = Math.Abs(x) * 1.2e-7 + Ulp((float)expected);
                Assert.True(Math.Abs(simd[i] - expected) <= bound, $"silu({x:R}): vector {simd[i]:R}, float64 {expected:R}");
                Assert.True(Math.Abs(scalar[i] - expected) <= bound, $"silu({x:R}): scalar {scalar[i]:R}, float64 {expected:R}");
            }
        }
    }

    [Fact]
    public void Silu_and_the_sigmoid_give_the_same_bits_at_sixteen_lanes_as_at_the_vector_width()
    {
        // Where AVX-512 is, Run maps sixteen lanes at a time; the operations per lane are the narrower width's, so a
        // result cannot depend on the machine's width (nor, through the padded tail, on the batch).
        foreach (float[] values in Spans(7, range: 100))
        {
            float[] silu = new float[values.Length], siluNarrow = new float[values.Length];
            float[] sigmoid = new float[values.Length], sigmoidNarrow = new float[values.Length];
            SiluKernel.Run(values, silu);
            SiluKernel.RunAtVectorWidth(values, siluNarrow);
            SigmoidKernel.Run(values, sigmoid);
            SigmoidKernel.RunAtVectorWidth(values, sigmoidNarrow);
            Assert.Equal(Bits(siluNarrow), Bits(silu));
            Assert.Equal(Bits(sigmoidNarrow), Bits(sigmoid));
        }
    }

    [Fact]
    public void Channel_scale_multiplies_every_pixel_by_its_samples_scales_bit_for_bit_on_both_paths()
    {
        // Channel counts below, at and past a vector (tails of every width), one to three samples of one to five pixels.
        var random = new Random(11);
        for (int channels = 1; channels <= 40; channels++)
            for (int samples = 1; samples <= 3; samples++)
            {
                int pixels = 1 + random.Next(5);
                float[] image = RandomData.Uniform(random, samples * pixels * channels, -4, 4);
                float[] scales = RandomData.Uniform(random, samples * channels, 0, 1);
                var simd = new float[image.Length];
                var scalar = new float[image.Length];

                ChannelScaleKernel.Run(image, scales, channels, simd);
                ChannelScaleKernel.Reference(image, scales, channels, scalar);

                for (int i = 0; i < image.Length; i++)
                {
                    int sample = i / (pixels * channels), channel = i % channels;
                    Assert.Equal(image[i] * scales[sample * channels + channel], simd[i]);
                }
                Assert.Equal(Bits(scalar), Bits(simd));
            }
    }

    [Fact]
    public void Channel_scale_refuses_spans_that_are_not_whole_rows_of_the_same_samples()
    {
        var y = new float[24];
        Assert.Throws<ArgumentException>(() => ChannelScaleKernel.Run(new float[24], new float[5], 4, y));   // scales not rows of 4
        Assert.Throws<ArgumentException>(() => ChannelScaleKernel.Run(new float[20], new float[8], 4, new float[20])); // 20 floats are not 2 samples of whole images
        Assert.Throws<ArgumentException>(() => ChannelScaleKernel.Run(new float[24], new float[8], 4, new float[23]));
        Assert.Throws<ArgumentOutOfRangeException>(() => ChannelScaleKernel.Run(new float[24], new float[8], 0, y));
    }
}
