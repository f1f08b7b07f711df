namespace EdgeLowRank.Runtime.Layers;

/// <summary>Shape checks shared by the image layers.</summary>
internal static class ConvolutionShapes
{
    /// <summary>Throws unless <paramref name="input"/> is height × width × channels (with the given channel count, if any).</summary>
    public static void RequireImage(LayerKind kind, TensorShape input, int? channels)
    {
        if (input.Rank != 3)
            throw new ArgumentException($"{kind} expects an image (height×width×channels) but receives {input}.");
        if (channels is int c && input[2] != c)
            throw new ArgumentException($"{kind} expects {c} input channels but receives {input[2]} ({input}).");
    }

    /// <summary>height × width of an image shape.</summary>
    public static long Pixels(TensorShape image) => (long)image[0] * image[1];
}
