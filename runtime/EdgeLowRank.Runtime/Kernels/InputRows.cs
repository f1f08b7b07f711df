using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>
/// Where the dense kernel reads the K inputs of each of its M rows, so that a convolution can multiply
/// the patches of an image without copying them out first (implicit GEMM). Rows come in groups of
/// <see cref="GroupRows"/>: row i of group g starts at g·<see cref="GroupStride"/> + i·<see cref="RowStride"/>,
/// and its K = <see cref="Segments"/> × <see cref="SegmentLength"/> inputs are <see cref="Segments"/> runs of
/// <see cref="SegmentLength"/> contiguous floats, <see cref="SegmentStride"/> apart. A dense layer's batch
/// is one group of contiguous rows (<see cref="Contiguous"/>). In a channels-last convolution each output
/// row is a group, each output pixel a row, and each of the k kernel rows of its window one run of
/// k·c_in floats (<see cref="Windows"/>).
/// </summary>
internal readonly record struct InputRows(int GroupRows, int GroupStride, int RowStride, int Segments, int SegmentLength, int SegmentStride)
{
    /// <summary><paramref name="rows"/> rows of <paramref name="inputs"/> floats, one after the other.</summary>
    public static InputRows Contiguous(int rows, int inputs) =>
        new(Math.Max(rows, 1), rows * inputs, inputs, 1, inputs, inputs);

    /// <summary>The windows of a convolution without padding over a channels-last image <paramref name="imageWidth"/>
    /// pixels wide: a group per output row of <paramref name="outputWidth"/> pixels.</summary>
    public static InputRows Windows(int imageWidth, int channels, int outputWidth, ConvolutionGeometry geometry)
    {
        int rowFloats = imageWidth * channels;
        return new(outputWidth, geometry.Stride * rowFloats, geometry.Stride * channels,
            geometry.KernelSize, geometry.KernelSize * channels, rowFloats);
    }

    /// <summary>K, the inputs of one row.</summary>
    public int Inputs => Segments * SegmentLength;

    /// <summary>Whether each row is one run of contiguous floats (a dense layer's input, or a 1×1 convolution's pixel),
    /// so that one row alone can go to the GEMV.</summary>
    public bool IsContiguous => Segments == 1;

    /// <summary>The position of the first input of row <paramref name="row"/>.</summary>
    public int RowStart(int row) => row / GroupRows * GroupStride + row % GroupRows * RowStride;

    /// <summary>The position of input <paramref name="k"/> of row <paramref name="row"/>: the definition.</summary>
    public int Offset(int row, int k) => RowStart(row) + k / SegmentLength * SegmentStride + k % SegmentLength;
}
