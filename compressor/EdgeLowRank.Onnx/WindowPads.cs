using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Onnx;

/// <summary>The zeros a window's input gets on each side of the image: a Conv's or a pooling's <c>pads</c> (ONNX's order is
/// top, left, bottom, right), or a Pad node's on the height and width. Kept in 64 bits as the graph gives them, so a Pad's
/// zeros added to a Conv's own pads cannot wrap before <see cref="NodeAttributes.ConvolutionWindow"/> (or a pooling) checks
/// each side against the kernel and makes them the runtime's <see cref="WindowPadding"/>.</summary>
internal readonly record struct WindowPads(long Top, long Left, long Bottom, long Right)
{
    public bool IsZero => this == default;

    /// <summary>The largest of the four sides, what a kernel must exceed.</summary>
    public long Widest => Math.Max(Math.Max(Top, Left), Math.Max(Bottom, Right));

    /// <summary>The runtime's padding of these sides, each of which must fit an int (a pads attribute is checked to; a Pad's
    /// zeros added to it are checked against the kernel first).</summary>
    public WindowPadding ToRuntime() => new(checked((int)Top), checked((int)Left), checked((int)Bottom), checked((int)Right));

    public static WindowPads operator +(WindowPads a, WindowPads b) =>
        new(a.Top + b.Top, a.Left + b.Left, a.Bottom + b.Bottom, a.Right + b.Right);

    /// <summary>"top 0, left 0, bottom 1, right 1", for messages.</summary>
    public override string ToString() => $"top {Top}, left {Left}, bottom {Bottom}, right {Right}";
}
