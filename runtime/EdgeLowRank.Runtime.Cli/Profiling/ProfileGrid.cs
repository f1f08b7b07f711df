namespace EdgeLowRank.Runtime.Cli.Profiling;

/// <summary>
/// The shapes a latency table covers: the layer sizes of small classifiers (LeNet-300-100, LeNet-5,
/// MLPs for 8×8 digits) and the ranks a compressor would pick for them, dense to rank 1. Ranks are
/// spaced roughly geometrically because latency changes in steps of the kernels' 16-column panels.
/// </summary>
internal sealed record ProfileGrid(int[] DenseSides, int[] Ranks, ConvShape[] Convolutions)
{
    public static ProfileGrid Full { get; } = new(
        [10, 16, 32, 64, 100, 128, 256, 300, 500, 784, 800, 1024],
        [1, 2, 4, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256],
        [new(28, 28, 1, 20, 5), new(12, 12, 20, 50, 5), new(14, 14, 6, 16, 5), new(8, 8, 16, 32, 3)]);

    public static ProfileGrid Quick { get; } = new([10, 100, 300, 784], [4, 16, 32], [new(12, 12, 20, 50, 5)]);
}

/// <summary>A convolution to profile: input height × width × channels, output channels, square kernel (stride 1, no padding).</summary>
internal sealed record ConvShape(int Height, int Width, int InputChannels, int OutputChannels, int Kernel);
