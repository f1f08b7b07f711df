using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Tests.Kernels;

/// <summary>ReLU6 and the hard swish in the store of every path: exactly the clamp (the hard swish kernel's bits) of the
/// stored value, at the GEMV, the GEMM's blocks and a partial panel's narrower rows.</summary>
public class FusedActivationTests
{
    [Theory]
    [InlineData(KernelPath.Scalar)]
    [InlineData(KernelPath.Vector128)]
    [InlineData(KernelPath.Vector256)]
    [InlineData(KernelPath.Vector512)]
    public void Relu6_in_the_store_clamps_what_the_store_without_it_writes(KernelPath path)
    {
        foreach ((int batch, int outputs) in (ValueTuple<int, int>[])[(1, 40), (7, 40), (9, 36), (13, 20)])
        {
            var problem = new DenseCase(batch, 29, outputs, withBias: true, Activation.None, seed: outputs);
            float[] plain = Product(problem, path, FusedActivation.None), clamped = Product(problem, path, FusedActivation.Relu6);
            Assert.Equal(plain.Select(v => MathF.Min(MathF.Max(v, 0f), 6f)), clamped);
            Assert.Contains(6f, clamped);
            Assert.Contains(0f, clamped);
        }
    }

    [Theory]
    [InlineData(KernelPath.Scalar)]
    [InlineData(KernelPath.Vector128)]
    [InlineData(KernelPath.Vector256)]
    [InlineData(KernelPath.Vector512)]
    public void The_hard_swish_in_the_store_gives_the_hard_swish_kernels_bits_of_what_the_store_without_it_writes(KernelPath path)
    {
        foreach ((int batch, int outputs) in (ValueTuple<int, int>[])[(1, 40), (7, 40), (9, 36), (13, 20)])
        {
            var problem = new DenseCase(batch, 29, outputs, withBias: true, Activation.None, seed: outputs);
            float[] plain = Product(problem, path, FusedActivation.None), swished = Product(problem, path, FusedActivation.HardSwish);
            var expected = new float[plain.Length];
            HardSwishKernel.Run(plain, expected);
            Assert.Equal(expected, swished);
            Assert.Contains(swished, v => v > 3);
            Assert.Contains(swished, v => v is < 0 and > -0.38f);
        }
    }

    [Fact]
    public void The_depthwise_loop_clamps_as_its_oracle_does()
    {
        const int Side = 6, Channels = 21;
        var random = new Random(6);
        float[] image = RandomData.Uniform(random, Side * Side * Channels).Select(v => v * 8f).ToArray();
        float[] filters = RandomData.Uniform(random, 9 * Channels), bias = RandomData.Uniform(random, Channels);
        var geometry = new ConvolutionGeometry(3, 1, 1);
        float[] loop = new float[Side * Side * Channels], oracle = new float[loop.Length];
        DepthwiseConvKernel.RunValidated(image, Side, Side, Channels, filters, bias, geometry, FusedActivation.Relu6, loop, 0, Side);
        DepthwiseConvKernel.Reference(image, Side, Side, Channels, filters, bias, geometry, FusedActivation.Relu6, oracle, 0, Side);
        for (int i = 0; i < loop.Length; i++) Assert.True(MathF.Abs(loop[i] - oracle[i]) <= 1e-5f, $"output {i}: {loop[i]} vs {oracle[i]}");
        Assert.Contains(6f, loop);
        Assert.Contains(0f, loop);
    }

    /// <summary>Y for X scaled by 8, so that many sums pass 6.</summary>
    private static float[] Product(DenseCase problem, KernelPath path, FusedActivation activation)
    {
        var y = new float[problem.Batch * problem.Outputs];
        float[] x = problem.X.Select(v => v * 8f).ToArray();
        DenseKernel.RunRows(x, problem.Batch, InputRows.Contiguous(problem.Batch, problem.Inputs), PanelWeights.Float32(problem.Packed),
            problem.Inputs, problem.Outputs, problem.Bias, activation, y, path, PanelShare.Whole);
        return y;
    }
}
