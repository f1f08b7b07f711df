using EdgeLowRank.Runtime.Layers;

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

    /// <summary>
    /// This grid with every convolution of <paramref name="model"/> added at its own input size, stride and padding: the
    /// compressor looks convolutions up by exact shape (their time depends on the image size, which no grid of small
    /// classifiers' layers can cover), so a network of the user's own needs its shapes measured on the board.
    /// Dense layers need nothing added: the compressor interpolates them over the grid's sizes. A shape is added only when
    /// no convolution in the grid or added before has its <see cref="ConvShape.CompressorKey"/>: the compressor could not
    /// tell the two apart, and would read one shape's ranks interleaved with the other's.
    /// </summary>
    public ProfileGrid WithConvolutionsOf(Model model)
    {
        var convolutions = new List<ConvShape>(Convolutions);
        for (int i = 0; i < model.Layers.Count; i++)
        {
            ConvShape? shape = ConvShape.Of(model.Layers[i], model.InputShapeOf(i));
            if (shape is not null && !convolutions.Any(c => c.CompressorKey == shape.CompressorKey)) convolutions.Add(shape);
        }
        return this with { Convolutions = [.. convolutions] };
    }
}

/// <summary>A convolution to profile: input height × width × channels, output channels, square kernel, stride and zero padding.</summary>
internal sealed record ConvShape(int Height, int Width, int InputChannels, int OutputChannels, int Kernel, int Stride = 1, WindowPadding Pads = default)
{
    /// <summary>The window as the runtime's layers take it.</summary>
    public ConvolutionGeometry Geometry => new(Kernel, Stride, Pads);

    /// <summary>The weight matrix's rows: k·k·c_in patch values.</summary>
    public int PatchLength => Kernel * Kernel * InputChannels;

    /// <summary>What `elr compress` looks a convolution up by (the table's rows, columns and outputPixels): a layer there knows
    /// its weight matrix and output size, not the image and window that made them.</summary>
    public (int Rows, int Columns, int OutputPixels) CompressorKey => (PatchLength, OutputChannels, Geometry.OutputHeight(Height) * Geometry.OutputWidth(Width));

    /// <summary>The shape of a dense or factorized convolution layer reading <paramref name="input"/>; null for any other layer.</summary>
    public static ConvShape? Of(Layer layer, TensorShape input) => layer switch
    {
        Conv2dLayer c => new(input[0], input[1], c.InputChannels, c.OutputChannels, c.Geometry.KernelSize, c.Geometry.Stride, c.Geometry.Pads),
        FactorizedConv2dLayer f => new(input[0], input[1], f.InputChannels, f.OutputChannels, f.Geometry.KernelSize, f.Geometry.Stride, f.Geometry.Pads),
        _ => null,
    };
}
