using EdgeLowRank.Runtime.Kernels;

namespace EdgeLowRank.Runtime.Tests.Kernels;

public class SquashKernelTests
{
    private delegate void Map(ReadOnlySpan<float> x, Span<float> y);

    public static TheoryData<string> Kernels => ["tanh", "sigmoid"];

    private static (Map Run, Map Reference, Func<double, double> Exact) Of(string name) => name switch
    {
        "tanh" => (TanhKernel.Run, TanhKernel.Reference, Math.Tanh),
        _ => (SigmoidKernel.Run, SigmoidKernel.Reference, x => 1 / (1 + Math.Exp(-x))),
    };

    private static float Ulp(float value) => MathF.BitIncrement(MathF.Abs(value)) - MathF.Abs(value);

    /// <summary>Inputs of every length from 0 to 67 (whole vectors and tails), wide enough to reach both saturations
    /// (|x| &gt; 9 rounds tanh to ±1, x &lt; −88 underflows the sigmoid), a third of them near 0, where tanh bends.</summary>
    private static IEnumerable<float[]> Spans(int seed)
    {
        var random = new Random(seed);
        for (int length = 0; length <= 67; length++)
        {
            float[] values = RandomData.Uniform(random, length, -100, 100);
            for (int i = 0; i < length; i += 3) values[i] /= 50;
            yield return values;
        }
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Both_paths_are_within_1point2e_7_of_the_float64_value_over_every_length(string name)
    {
        // The outputs are O(1) ([−1, 1], [0, 1]), so the error an activation feels is absolute: 2⁻²³, one unit in the last
        // place of 1.
        (Map run, Map reference, Func<double, double> exact) = Of(name);
        foreach (float[] values in Spans(name.Length))
        {
            var simd = new float[values.Length];
            var scalar = new float[values.Length];

            run(values, simd);
            reference(values, scalar);

            for (int i = 0; i < values.Length; i++)
            {
                double expected = exact(values[i]);
                Assert.True(Math.Abs(simd[i] - expected) <= 1.2e-7, $"{name}({values[i]:R}): vector {simd[i]:R}, float64 {expected:R}");
                Assert.True(Math.Abs(scalar[i] - expected) <= 1.2e-7, $"{name}({values[i]:R}): scalar {scalar[i]:R}, float64 {expected:R}");
            }
        }
    }

    [Fact]
    public void Tanh_is_within_two_units_in_the_last_place_even_near_zero_and_odd_bit_for_bit()
    {
        // Relative accuracy where tanh is small, which an absolute bound cannot see: TensorPrimitives.Tanh is 18 units
        // off at 0.0278 and gives −5.96e-8 for 0 inside a vector.
        var random = new Random(3);
        float[] values = [0f, -0f, 1e-30f, 1e-7f, 0.0278179f, 0.624f, 0.625f, 0.626f, .. RandomData.Uniform(random, 4000, -3, 3)];
        float[] negated = values.Select(v => -v).ToArray();
        var result = new float[values.Length];
        var negatedResult = new float[values.Length];

        TanhKernel.Run(values, result);
        TanhKernel.Run(negated, negatedResult);

        Assert.Equal(BitConverter.SingleToInt32Bits(0f), BitConverter.SingleToInt32Bits(result[0]));
        Assert.Equal(BitConverter.SingleToInt32Bits(-0f), BitConverter.SingleToInt32Bits(result[1]));
        for (int i = 0; i < values.Length; i++)
        {
            float expected = (float)Math.Tanh(values[i]);
            Assert.True(MathF.Abs(result[i] - expected) <= 2 * Ulp(expected), $"tanh({values[i]:R}) = {result[i]:R}; float64 gives {expected:R}");
            Assert.Equal(-result[i], negatedResult[i]);
        }
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void An_elements_result_does_not_depend_on_the_span_around_it(string name)
    {
        (Map run, _, _) = Of(name);
        foreach (float[] values in Spans(7).Where(v => v.Length > 0))
        {
            var whole = new float[values.Length];
            run(values, whole);
            for (int i = 0; i < values.Length; i++)
            {
                var alone = new float[1];
                run(values.AsSpan(i, 1), alone);
                Assert.Equal(BitConverter.SingleToInt32Bits(alone[0]), BitConverter.SingleToInt32Bits(whole[i]));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Runs_in_place_and_keeps_the_limits(string name)
    {
        (Map run, _, Func<double, double> exact) = Of(name);
        double[] inputs = [double.NegativeInfinity, -1e30, 0, 1e30, double.PositiveInfinity];
        float[] values = [.. inputs.Select(v => (float)v), float.NaN, 0.5f, -0.5f, 3f];
        float[] copy = values.ToArray();
        var separate = new float[values.Length];

        run(copy, separate);
        run(values, values);

        for (int i = 0; i < inputs.Length; i++) Assert.Equal((float)exact(inputs[i]), values[i]);
        Assert.True(float.IsNaN(values[5]));
        Assert.Equal(separate, values);
    }
}
