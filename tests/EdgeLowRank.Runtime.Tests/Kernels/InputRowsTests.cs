using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Tests.Kernels;

/// <summary>The dense kernel reading rows where <see cref="InputRows"/> puts them: the window addressing of a convolution
/// against the textbook index, and every path on rows scattered with gaps against the scalar reference on the same rows packed.</summary>
public class InputRowsTests
{
    [Theory]
    [InlineData(28, 1, 5, 1)]  // LeNet-5 conv1
    [InlineData(12, 20, 5, 1)] // LeNet-5 conv2
    [InlineData(9, 3, 3, 2)]
    [InlineData(7, 2, 4, 3)]
    public void A_window_input_is_the_image_pixel_the_convolution_multiplies(int side, int channels, int k, int stride)
    {
        var geometry = new ConvolutionGeometry(k, stride);
        int outputSide = geometry.OutputWidth(side);
        InputRows windows = InputRows.Windows(side, channels, outputSide, geometry);

        Assert.Equal(k * k * channels, windows.Inputs);
        for (int oy = 0; oy < outputSide; oy++)
        for (int ox = 0; ox < outputSide; ox++)
        for (int ky = 0; ky < k; ky++)
        for (int kx = 0; kx < k; kx++)
        for (int ci = 0; ci < channels; ci++)
        {
            int pixel = ((oy * stride + ky) * side + ox * stride + kx) * channels + ci;
            Assert.Equal(pixel, windows.Offset(oy * outputSide + ox, (ky * k + kx) * channels + ci));
        }
    }

    [Fact]
    public void Contiguous_rows_are_one_run_each()
    {
        InputRows rows = InputRows.Contiguous(5, 7);

        Assert.True(rows.IsContiguous);
        Assert.Equal(Enumerable.Range(0, 35), from m in Enumerable.Range(0, 5) from k in Enumerable.Range(0, 7) select rows.Offset(m, k));
    }

    public static TheoryData<KernelPath, int, int, int> ScatteredCases()
    {
        var data = new TheoryData<KernelPath, int, int, int>();
        foreach (KernelPath path in (KernelPath[])[KernelPath.Vector128, KernelPath.Vector256, KernelPath.Vector512])
        {
            data.Add(path, 1, 1, 17);   // one row of runs: the micro-kernel, never the GEMV
            data.Add(path, 3, 7, 20);   // groups shorter than every block: a tail per group, and a partial panel
            data.Add(path, 4, 13, 33);  // a full block and a tail per group, whatever the block height
            data.Add(path, 2, 24, 16);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ScatteredCases))]
    public void Rows_in_runs_with_gaps_give_what_the_same_rows_packed_give(KernelPath path, int groups, int groupRows, int outputs)
    {
        const int runs = 3, runLength = 5;
        var problem = new DenseCase(groups * groupRows, runs * runLength, outputs, withBias: true, Activation.Relu, seed: groups);
        // Rows 7 floats apart, runs just past a group's rows, groups just past their last run: every float
        // between two runs is NaN, so a run read from a wrong place turns its row's output NaN.
        int runStride = groupRows * 7 + 3;
        var layout = new InputRows(groupRows, GroupStride: runs * runStride + 11, RowStride: 7, runs, runLength, runStride);
        int rowCount = groups * groupRows;
        var scattered = new float[layout.Offset(rowCount - 1, problem.Inputs - 1) + 1];
        Array.Fill(scattered, float.NaN);
        for (int m = 0; m < rowCount; m++)
            for (int k = 0; k < problem.Inputs; k++)
                scattered[layout.Offset(m, k)] = problem.X[m * problem.Inputs + k];

        // Guard floats after Y: the partial panel's stores spill past a row's end, and must stop at Y's.
        const float Sentinel = -12345.5f;
        var buffer = new float[rowCount * outputs + 32];
        Array.Fill(buffer, Sentinel);
        DenseKernel.RunRows(scattered, rowCount, layout, PanelWeights.Float32(problem.Packed), problem.Inputs, outputs, problem.Bias, FusedActivation.Of(problem.Activation),
            buffer.AsSpan(0, rowCount * outputs), path, PanelShare.Whole);
        float[] actual = buffer[..(rowCount * outputs)];
        Assert.All(buffer[(rowCount * outputs)..], guard => Assert.Equal(Sentinel, guard));

        problem.AssertMatchesReference(actual, $"{path}, {groups} groups of {groupRows} rows in runs, {problem.Inputs}→{outputs}");
    }
}
