using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Tests.Kernels;

/// <summary>The oracle itself, checked against the definition on the unpacked row-major matrix in double precision.</summary>
public class DenseReferenceTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(3, 7, 16)]
    [InlineData(2, 19, 33)]
    [InlineData(5, 16, 17)]
    public void ScalarPathComputesTheDefinition(int batch, int inputs, int outputs)
    {
        foreach (var activation in (Activation[])[Activation.None, Activation.Relu])
        {
            var problem = new DenseCase(batch, inputs, outputs, withBias: true, activation);
            float[] actual = problem.Run(KernelPath.Scalar);
            for (int m = 0; m < batch; m++)
            {
                for (int n = 0; n < outputs; n++)
                {
                    double sum = problem.Bias[n];
                    for (int k = 0; k < inputs; k++)
                        sum += (double)problem.X[m * inputs + k] * problem.RowMajorWeights[k * outputs + n];
                    if (activation == Activation.Relu) sum = Math.Max(sum, 0);
                    Assert.True(Math.Abs(actual[m * outputs + n] - sum) <= problem.Tolerance(m, n),
                        $"Y[{m}, {n}] = {actual[m * outputs + n]}, expected {sum} ({activation}).");
                }
            }
        }
    }

    [Fact]
    public void ReluClampsNegativeSumsToZero()
    {
        // One input, one output: y = relu(x·w + b) with x·w + b = -3.
        float[] packed = new float[PackedMatrix.PanelWidth];
        packed[0] = 2;
        float[] y = new float[1];
        DenseKernel.Run([-1f], 1, packed, 1, 1, [-1f], Activation.Relu, y, KernelPath.Scalar);
        Assert.Equal(0f, y[0]);
        DenseKernel.Run([-1f], 1, packed, 1, 1, [-1f], Activation.None, y, KernelPath.Scalar);
        Assert.Equal(-3f, y[0]);
    }
}
