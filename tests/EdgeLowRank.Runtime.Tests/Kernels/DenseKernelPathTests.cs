using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Tests.Kernels;

/// <summary>Every SIMD path against the scalar reference over every length 1..257 of each dimension,
/// for GEMV (batch 1) and GEMM (batch 9: full row blocks and a tail for every width: 6 + 3 with 6-row blocks, 4 × 2 + 1 with
/// 2-row ones, 8 + 1 with Vector512's 8), with and without bias and ReLU.</summary>
public class DenseKernelPathTests
{
    private const int MaxLength = 257;

    private static readonly (bool Bias, Activation Activation)[] Epilogues =
        [(false, Activation.None), (true, Activation.None), (false, Activation.Relu), (true, Activation.Relu)];

    [Theory]
    [SimdPathData(KernelPath.Vector128)]
    [SimdPathData(KernelPath.Vector256)]
    [SimdPathData(KernelPath.Vector512)]
    public void InputsSweep(KernelPath path)
    {
        for (int inputs = 1; inputs <= MaxLength; inputs++)
            foreach (int outputs in (int[])[1, 17])
                CheckAllEpilogues(path, batch: 1, inputs, outputs);
        for (int inputs = 1; inputs <= MaxLength; inputs++)
            CheckAllEpilogues(path, batch: 9, inputs, outputs: 17);
    }

    [Theory]
    [SimdPathData(KernelPath.Vector128)]
    [SimdPathData(KernelPath.Vector256)]
    [SimdPathData(KernelPath.Vector512)]
    public void OutputsSweep(KernelPath path)
    {
        for (int outputs = 1; outputs <= MaxLength; outputs++)
            foreach (int inputs in (int[])[1, 5, 33])
                CheckAllEpilogues(path, batch: 1, inputs, outputs);
        for (int outputs = 1; outputs <= MaxLength; outputs++)
            CheckAllEpilogues(path, batch: 9, inputs: 5, outputs);
    }

    [Theory]
    [SimdPathData(KernelPath.Vector128)]
    [SimdPathData(KernelPath.Vector256)]
    [SimdPathData(KernelPath.Vector512)]
    public void BatchSweep(KernelPath path)
    {
        // 200 rows: with K ≤ 64, chunks of 64 rows through every panel, the last chunk shorter.
        foreach (int batch in Enumerable.Range(0, 14).Append(64).Append(200))
            foreach (var (inputs, outputs) in ((int, int)[])[(37, 29), (3, 48), (100, 10)])
                CheckAllEpilogues(path, batch, inputs, outputs);
    }

    [Theory]
    [SimdPathData(KernelPath.Vector128)]
    [SimdPathData(KernelPath.Vector256)]
    [SimdPathData(KernelPath.Vector512)]
    public void LeNetShapes(KernelPath path)
    {
        foreach (int batch in (int[])[1, 3, 64])
            foreach (var (inputs, outputs) in ((int, int)[])[(784, 300), (300, 100), (784, 30), (30, 300), (20, 100)])
                new DenseCase(batch, inputs, outputs, withBias: true, Activation.Relu).AssertMatchesReference(path);
    }

    [Fact]
    public void AutoRunsTheBestPath()
    {
        var problem = new DenseCase(5, 40, 21, withBias: true, Activation.Relu);
        Assert.Equal(problem.Run(KernelPaths.Best), problem.Run(KernelPath.Auto));
    }

    private static void CheckAllEpilogues(KernelPath path, int batch, int inputs, int outputs)
    {
        foreach (var (bias, activation) in Epilogues)
            new DenseCase(batch, inputs, outputs, bias, activation).AssertMatchesReference(path);
    }
}
