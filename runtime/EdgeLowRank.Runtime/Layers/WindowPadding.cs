namespace EdgeLowRank.Runtime.Layers;

/// <summary>
/// The rows and columns a window hangs over an image's edges, side by side, in ONNX's order of pads (top, left, bottom,
/// right). Most layers pad alike on every side (<see cref="Even"/>); TensorFlow's SAME padding with a stride of 2 over an
/// even side, PyTorch's <c>padding='same'</c> with an even kernel and Keras' <c>ZeroPadding2D(((0, 1), (0, 1)))</c> pad one
/// more row below than above and one more column right than left (since format 1.13).
/// </summary>
/// <param name="Top">Rows above the image.</param>
/// <param name="Left">Columns left of it.</param>
/// <param name="Bottom">Rows below it.</param>
/// <param name="Right">Columns right of it.</param>
public readonly record struct WindowPadding(int Top, int Left, int Bottom, int Right)
{
    /// <summary>The same padding on all four sides.</summary>
    public static WindowPadding Even(int padding) => new(padding, padding, padding, padding);

    /// <summary>Whether all four sides are alike (also when there is no padding).</summary>
    public bool IsEven => Top == Left && Left == Bottom && Bottom == Right;

    /// <summary>Whether no side is padded.</summary>
    public bool IsZero => this == default;

    /// <summary>Rows added in all: above and below.</summary>
    public int Height => Top + Bottom;

    /// <summary>Columns added in all: left and right.</summary>
    public int Width => Left + Right;

    /// <summary>"1" when even, "top 0, left 0, bottom 1, right 1" otherwise: what messages show.</summary>
    public override string ToString() => IsEven ? $"{Top}" : $"top {Top}, left {Left}, bottom {Bottom}, right {Right}";
}
