using EdgeLowRank.Runtime.Kernels;

namespace EdgeLowRank.Runtime.Tests.Kernels;

public sealed class ChannelKernelsTests
{
    [Fact]
    public void A_slice_keeps_each_rows_run_of_channels()
    {
        float[] x = [0, 1, 2, 3, 4, 10, 11, 12, 13, 14]; // 2 rows of 5
        var y = new float[4];

        ChannelKernels.Slice(x, 5, 3, 2, y);

        Assert.Equal([3, 4, 13, 14], y);
    }

    [Fact]
    public void A_shuffle_deals_one_channel_from_each_group_in_turn()
    {
        float[] x = [0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15]; // 2 rows of 6
        var two = new float[12];
        var three = new float[12];

        ChannelKernels.Shuffle(x, 6, 2, two);   // groups [0 1 2] [3 4 5]
        ChannelKernels.Shuffle(x, 6, 3, three); // groups [0 1] [2 3] [4 5]

        Assert.Equal([0, 3, 1, 4, 2, 5, 10, 13, 11, 14, 12, 15], two);
        Assert.Equal([0, 2, 4, 1, 3, 5, 10, 12, 14, 11, 13, 15], three);
    }

    [Fact]
    public void The_vector_shuffle_of_two_groups_moves_what_the_reference_moves_at_every_width()
    {
        var random = new Random(2);
        for (int channels = 2; channels <= 80; channels += 2) // halves of 1 to 40: whole vectors of 4, tails, and both
            foreach (int rows in (int[])[1, 3])
            {
                float[] x = Enumerable.Range(0, rows * channels).Select(_ => random.NextSingle()).ToArray();
                float[] fast = new float[x.Length], reference = new float[x.Length];

                ChannelKernels.Shuffle(x, channels, 2, fast);
                ChannelKernels.ShuffleReference(x, channels, 2, reference);

                Assert.Equal(reference, fast);
            }
    }

    [Fact]
    public void Runs_that_leave_the_row_groups_that_do_not_divide_and_unequal_rows_are_refused()
    {
        Assert.Contains("channels 4 to 5 does not fit rows of 5", Assert.Throws<ArgumentException>(() => ChannelKernels.Slice(new float[10], 5, 4, 2, new float[4])).Message);
        Assert.Contains("x has 10 floats, y 6", Assert.Throws<ArgumentException>(() => ChannelKernels.Slice(new float[10], 5, 0, 2, new float[6])).Message);
        Assert.Contains("a multiple of 4 channels, not 6", Assert.Throws<ArgumentException>(() => ChannelKernels.Shuffle(new float[12], 6, 4, new float[12])).Message);
        Assert.Throws<ArgumentException>(() => ChannelKernels.Shuffle(new float[12], 6, 2, new float[6]));
    }
}
