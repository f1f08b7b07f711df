using EdgeLowRank.Runtime.Kernels;

namespace EdgeLowRank.Runtime.Tests.Kernels;

public sealed class ConcatKernelTests
{
    [Fact]
    public void Each_row_holds_the_first_rows_channels_then_the_seconds()
    {
        float[] first = [1, 2, 3, 4, 5, 6];          // 3 rows of 2
        float[] second = [10, 20, 30, 40, 50, 60, 70, 80, 90]; // 3 rows of 3
        var y = new float[15];

        ConcatKernel.Run(first, 2, second, 3, y);

        Assert.Equal([1, 2, 10, 20, 30, 3, 4, 40, 50, 60, 5, 6, 70, 80, 90], y);
    }

    [Fact]
    public void Rows_of_unequal_counts_are_refused_with_the_lengths()
    {
        var error = Assert.Throws<ArgumentException>(() => ConcatKernel.Run(new float[6], 2, new float[6], 3, new float[15]));
        Assert.Contains("the first has 6 floats, the second 6, y 15", error.Message);
        Assert.Throws<ArgumentException>(() => ConcatKernel.Run(new float[6], 2, new float[9], 3, new float[14]));
        Assert.Throws<ArgumentOutOfRangeException>(() => ConcatKernel.Run(new float[6], 0, new float[9], 3, new float[15]));
    }
}
