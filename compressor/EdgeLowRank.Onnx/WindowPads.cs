namespace EdgeLowRank.Onnx;

/// <summary>The zeros a window's input gets on each side of the image: a Conv's or a pooling's <c>pads</c> (ONNX's order is
/// top, left, bottom, right), or a Pad node's on the height and width. Kept per side because a Pad folded into a Conv may
/// even out the Conv's own uneven padding, and the runtime takes only the sum that is alike on every side.</summary>
internal readonly record struct WindowPads(long Top, long Left, long Bottom, long Right)
{
    /// <summary>Whether every side is padded alike, as the runtime pads a window.</summary>
    public bool Alike => Top == Left && Top == Bottom && Top == Right;

    public bool IsZero => this == default;

    public static WindowPads operator +(WindowPads a, WindowPads b) =>
        new(a.Top + b.Top, a.Left + b.Left, a.Bottom + b.Bottom, a.Right + b.Right);

    /// <summary>"top 0, left 0, bottom 1, right 1", for messages.</summary>
    public override string ToString() => $"top {Top}, left {Left}, bottom {Bottom}, right {Right}";
}
