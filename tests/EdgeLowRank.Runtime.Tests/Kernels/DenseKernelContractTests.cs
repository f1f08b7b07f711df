using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Tests.Kernels;

/// <summary>Argument validation at the public entry, and the no-allocation promise.</summary>
public class DenseKernelContractTests
{
    private static readonly float[] Packed3x2 = new float[3 * PackedMatrix.PanelWidth];

    [Fact]
    public void RejectsAnXOfTheWrongLength()
    {
        var e = Assert.Throws<ArgumentException>(() => DenseKernel.Run(new float[5], 2, Packed3x2, 3, 2, [], Activation.None, new float[4]));
        Assert.Equal("x", e.ParamName);
        Assert.Contains("needs 6", e.Message);
    }

    [Fact]
    public void RejectsAYOfTheWrongLength()
    {
        var e = Assert.Throws<ArgumentException>(() => DenseKernel.Run(new float[6], 2, Packed3x2, 3, 2, [], Activation.None, new float[5]));
        Assert.Equal("y", e.ParamName);
    }

    [Fact]
    public void RejectsUnpackedWeights()
    {
        var e = Assert.Throws<ArgumentException>(() => DenseKernel.Run(new float[3], 1, new float[6], 3, 2, [], Activation.None, new float[2]));
        Assert.Equal("packedWeights", e.ParamName);
        Assert.Contains("PackInto", e.Message);
    }

    [Fact]
    public void RejectsABiasOfTheWrongLength()
    {
        var e = Assert.Throws<ArgumentException>(() => DenseKernel.Run(new float[3], 1, Packed3x2, 3, 2, [1f], Activation.None, new float[2]));
        Assert.Equal("bias", e.ParamName);
    }

    [Fact]
    public void RejectsEmptyDimensionsAndNegativeBatch()
    {
        Assert.Throws<ArgumentException>(() => DenseKernel.Run([], 1, [], 0, 2, [], Activation.None, new float[2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => DenseKernel.Run([], -1, Packed3x2, 3, 2, [], Activation.None, []));
    }

    [Fact]
    public void RejectsUnknownActivationAndPath()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DenseKernel.Run(new float[3], 1, Packed3x2, 3, 2, [], (Activation)7, new float[2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => DenseKernel.Run(new float[3], 1, Packed3x2, 3, 2, [], Activation.None, new float[2], (KernelPath)9));
    }

    [Fact]
    public void RejectsAnOutputThatOverlapsTheInput()
    {
        var buffer = new float[8];
        var e = Assert.Throws<ArgumentException>(() => DenseKernel.Run(buffer.AsSpan(0, 3), 1, Packed3x2, 3, 2, [], Activation.None, buffer.AsSpan(2, 2)));
        Assert.Equal("y", e.ParamName);
    }

    [Fact]
    public void EmptyBatchDoesNothing() =>
        DenseKernel.Run([], 0, Packed3x2, 3, 2, [], Activation.Relu, []);

    [Theory]
    [InlineData(KernelPath.Auto, 1)]
    [InlineData(KernelPath.Auto, 64)]
    [InlineData(KernelPath.Scalar, 3)]
    [SimdPathData(KernelPath.Vector128)]
    public void AllocatesNothing(KernelPath path, int batch = 9)
    {
        var problem = new DenseCase(batch, 50, 37, withBias: true, Activation.Relu);
        var y = new float[batch * 37];
        Assert.Equal(0, AllocationProbe.RecurringBytes(() => problem.RunInto(y, path)));
    }
}
