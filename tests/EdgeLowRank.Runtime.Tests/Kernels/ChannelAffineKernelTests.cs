using System.Numerics;
using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Tests.Kernels;

public class ChannelAffineKernelTests
{
    private static readonly int[] ChannelCounts = [1, 3, 7, 8, 16, 17, 33];

    private static readonly FusedActivation[] Activations = [FusedActivation.None, FusedActivation.Relu, FusedActivation.Relu6, FusedActivation.HardSwish];

    [Fact]
    public void Unfused_the_vectors_give_the_scalar_references_bits_for_every_channel_count_length_and_activation()
    {
        // Pixel counts leaving every tail length, a single pixel (all tail below a vector's channels) included; values up to
        // 4 pass ReLU6's ceiling and the hard swish's knees.
        var random = new Random(5);
        foreach (int channels in ChannelCounts)
            foreach (int pixels in (int[])[1, 2, 5, 9, 28 * 28, 3 * 28 * 28 + 1])
            {
                float[] x = RandomData.Uniform(random, pixels * channels, -4, 4);
                float[] weights = RandomData.Uniform(random, channels, -2, 2);
                float[] bias = random.Next(3) == 0 ? [] : RandomData.Uniform(random, channels);
                foreach (FusedActivation activation in Activations)
                {
                    float[] actual = Run(x, weights, bias, channels, fused: false, activation);
                    var expected = new float[x.Length];
                    ChannelAffineKernel.Reference(x, weights, bias, channels, activation, expected);
                    Assert.True(expected.AsSpan().SequenceEqual(actual), $"{channels} channels, {pixels} pixels, {activation}");
                }
            }
    }

    [Fact]
    public void Fused_the_vectors_give_the_depthwise_loops_bits_and_agree_with_the_reference_to_one_rounding()
    {
        // From Vector<float>.Count channels a session ran a 1×1 depthwise convolution through DepthwiseLoop, a fused
        // multiply-add from the bias: the fused kernel must keep its bits. Below that the loop cannot run; the reference
        // differs only by the product's rounding.
        var random = new Random(6);
        const int Height = 5, Width = 7;
        var geometry = new ConvolutionGeometry(1);
        foreach (int channels in ChannelCounts)
        {
            float[] x = RandomData.Uniform(random, Height * Width * channels, -4, 4);
            float[] weights = RandomData.Uniform(random, channels, -2, 2);
            float[] bias = RandomData.Uniform(random, channels);
            foreach (FusedActivation activation in Activations)
            {
                float[] actual = Run(x, weights, bias, channels, fused: true, activation);
                var reference = new float[x.Length];
                ChannelAffineKernel.Reference(x, weights, bias, channels, activation, reference);
                for (int i = 0; i < x.Length; i++)
                    Assert.True(MathF.Abs(actual[i] - reference[i]) <= 1e-6f * (1 + MathF.Abs(reference[i])), $"{channels} channels, {activation}, element {i}: {actual[i]} vs {reference[i]}");
                if (channels < Vector<float>.Count) continue;
                var loop = new float[x.Length];
                DepthwiseLoop.Run(x, Height, Width, channels, weights, bias, geometry, activation, loop, 0, Height);
                Assert.True(loop.AsSpan().SequenceEqual(actual), $"{channels} channels, {activation}");
            }
        }
    }

    [Fact]
    public void A_range_of_pixels_writes_only_its_own_outputs()
    {
        // A session hands each thread a run of whole pixels of the output: the padded tail must not spill past its end.
        var random = new Random(7);
        foreach (int channels in ChannelCounts)
        {
            float[] x = RandomData.Uniform(random, 11 * channels, -4, 4);
            float[] weights = RandomData.Uniform(random, channels), bias = RandomData.Uniform(random, channels);
            var y = Enumerable.Repeat(float.NaN, x.Length + 2 * channels).ToArray();
            ChannelAffineKernel.Run(x.AsSpan(channels, 9 * channels), ChannelAffineKernel.Pattern(weights, channels),
                ChannelAffineKernel.Pattern(bias, channels), channels, fused: false, FusedActivation.None, y.AsSpan(channels, 9 * channels));
            var expected = Enumerable.Repeat(float.NaN, y.Length).ToArray();
            ChannelAffineKernel.Reference(x.AsSpan(channels, 9 * channels), weights, bias, channels, FusedActivation.None, expected.AsSpan(channels, 9 * channels));
            Assert.Equal(expected, y);
        }
    }

    [Fact]
    public void A_pattern_repeats_the_channels_for_a_vector_starting_at_any_of_them()
    {
        float[] pattern = ChannelAffineKernel.Pattern([1f, 2f, 3f], 3);
        Assert.Equal(3 + Vector<float>.Count - 1, pattern.Length);
        for (int j = 0; j < pattern.Length; j++) Assert.Equal(j % 3 + 1, pattern[j]);
        Assert.All(ChannelAffineKernel.Pattern([], 3), value => Assert.Equal(0f, value));
    }

    private static float[] Run(float[] x, float[] weights, float[] bias, int channels, bool fused, FusedActivation activation)
    {
        var y = new float[x.Length];
        ChannelAffineKernel.Run(x, ChannelAffineKernel.Pattern(weights, channels), ChannelAffineKernel.Pattern(bias, channels), channels, fused, activation, y);
        return y;
    }
}
