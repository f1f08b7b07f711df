using EdgeLowRank.Runtime.Layers;
using Onnx;
using AttributeType = Onnx.AttributeProto.Types.AttributeType;

namespace EdgeLowRank.Onnx;

/// <summary>A node's attributes, read with their ONNX defaults and checked for type and length (with the window
/// attributes of Conv and the poolings read into the runtime's terms), and the node named in every message about it.</summary>
internal sealed class NodeAttributes(NodeProto node, int index)
{
    /// <summary>"node 3 'conv1' (Conv)": where a message points.</summary>
    public string Where { get; } = $"node {index} '{(node.Name.Length > 0 ? node.Name : node.Output.FirstOrDefault() ?? "")}' ({node.OpType})";

    public long Int(string name, long fallback) => Find(name, AttributeType.Int)?.I ?? fallback;

    public float Float(string name, float fallback) => Find(name, AttributeType.Float)?.F ?? fallback;

    public string String(string name, string fallback) => Find(name, AttributeType.String)?.S.ToStringUtf8() ?? fallback;

    /// <summary>A list of integers, null when absent; a list must have <paramref name="length"/> entries (kernel_shape,
    /// strides, dilations: one per spatial axis; pads: two per axis).</summary>
    public long[]? Ints(string name, int length)
    {
        long[]? values = Ints(name);
        Require(values is null || values.Length == length, $"the attribute '{name}' has {values?.Length} values; expected {length}.");
        return values;
    }

    /// <summary>A list of integers of any length (a ReduceMean's axes, which the caller checks), null when absent.</summary>
    public long[]? Ints(string name) => Find(name, AttributeType.Ints)?.Ints.ToArray();

    /// <summary>Refuses an attribute this import has no meaning for, so it is never silently dropped.</summary>
    public void AllowOnly(params string[] names)
    {
        if (node.Attribute.FirstOrDefault(a => !names.Contains(a.Name)) is { } unknown)
            throw new OnnxImportException($"{Where}: the attribute '{unknown.Name}' is not supported (supported: {(names.Length == 0 ? "none" : string.Join(", ", names))}).");
    }

    /// <summary>Refuses the node, with <paramref name="what"/> as the reason, unless <paramref name="holds"/>.</summary>
    public void Require(bool holds, string what)
    {
        if (!holds) throw new OnnxImportException($"{Where}: {what}");
    }

    /// <summary>A window's stride (strides, default 1), the same on both axes.</summary>
    public int SquareStride()
    {
        long[] strides = Ints("strides", 2) ?? [1, 1];
        Require(strides[0] == strides[1] && strides[0] is > 0 and <= int.MaxValue, $"the strides ({string.Join(", ", strides)}) must be one positive value for both axes.");
        return (int)strides[0];
    }

    /// <summary>A window's padding on each side: from pads (ONNX's order: top, left, bottom, right), or from auto_pad
    /// (VALID: none; SAME_UPPER or SAME_LOWER: see <see cref="SameSides"/>) over <paramref name="image"/>, the window's input
    /// (h, w, c).</summary>
    public WindowPads Sides(int k, int stride, TensorShape image) => Sides(k, stride, (image[0], image[1]));

    private WindowPads Sides(int k, int stride, (long Height, long Width) image)
    {
        string autoPad = String("auto_pad", "NOTSET");
        switch (autoPad)
        {
            case "VALID":
                return default;
            case "SAME_UPPER" or "SAME_LOWER":
                return SameSides(k, stride, image, upper: autoPad == "SAME_UPPER");
            case "NOTSET":
                long[] pads = Ints("pads", 4) ?? [0, 0, 0, 0];
                Require(pads.All(p => p is >= 0 and <= int.MaxValue), $"the pads ({string.Join(", ", pads)}) must be 0 or more (a negative pad crops the "
                    + "image, which no runtime window does).");
                return new WindowPads(pads[0], pads[1], pads[2], pads[3]);
            default:
                throw new OnnxImportException($"{Where}: auto_pad '{autoPad}' is not an ONNX value.");
        }
    }

    /// <summary>auto_pad SAME as ONNX defines it, over an h × w image: per axis, ⌈side / stride⌉ windows need
    /// max((⌈side / stride⌉ − 1)·stride + k − side, 0) pixels of padding in all, split evenly, the odd one after (SAME_UPPER,
    /// TensorFlow's SAME) or before (SAME_LOWER).</summary>
    private static WindowPads SameSides(int k, int stride, (long Height, long Width) image, bool upper)
    {
        long Total(long side) => Math.Max((side + stride - 1) / stride * stride - stride + k - side, 0);
        long height = Total(image.Height), width = Total(image.Width);
        long Before(long total) => upper ? total / 2 : total - total / 2;
        return new WindowPads(Before(height), Before(width), height - Before(height), width - Before(width));
    }

    /// <summary>A Conv's or a ConvInteger's window for its k × k kernel (<paramref name="kernel"/>, named in messages) over
    /// <paramref name="image"/> (h, w, c): no dilation, a kernel_shape that agrees with the kernel, the same stride on both
    /// axes, and on each side its own padding plus the zeros of the Pad before it (<paramref name="pad"/>, null for none),
    /// below the kernel.</summary>
    public ConvolutionGeometry ConvolutionWindow(int k, string kernel, TensorShape image, PadNodes.Fold? pad = null)
    {
        Require(Ints("dilations", 2)?.All(d => d == 1) ?? true, "dilated convolutions are not supported.");
        Require(Ints("kernel_shape", 2) is not { } shape || shape[0] == k && shape[1] == k, $"kernel_shape differs from the kernel's {kernel}.");
        int stride = SquareStride();
        // The Conv's own padding, SAME's included, is of its input: the Pad's output where a Pad is folded.
        WindowPads padded = pad?.Sides ?? default;
        WindowPads own = Sides(k, stride, (image[0] + padded.Top + padded.Bottom, image[1] + padded.Left + padded.Right));
        var geometry = new ConvolutionGeometry(k, stride, pad is null ? own.ToRuntime() : Folded(k, own, pad));
        RequireValid(geometry);
        return geometry;
    }

    /// <summary>The padding of a Conv whose own pads grow by the Pad before it, side by side: each side below the kernel (a
    /// window of nothing but padding has no runtime equivalent).</summary>
    private WindowPadding Folded(int k, WindowPads own, PadNodes.Fold pad)
    {
        WindowPads total = own + pad.Sides;
        // The Pad's sides first: a pad near 2⁶³ would wrap the sum.
        Require(pad.Sides.Widest < k && total.Widest < k, $"with the zeros of the Pad {pad.Where} before it ({pad.Sides}) and its own pads ({own}), it pads {total}, as much as its "
            + $"{k}×{k} kernel or more on a side: the runtime's windows take a padding below their kernel on each side. Pad less.");
        return total.ToRuntime();
    }

    /// <summary>Refuses a window the runtime's layers cannot take (a padding as large as the kernel, a kernel or stride
    /// above their limits).</summary>
    public void RequireValid(ConvolutionGeometry geometry)
    {
        try
        {
            geometry.Validate();
        }
        catch (ArgumentException e)
        {
            throw new OnnxImportException($"{Where}: {e.Message}");
        }
    }

    /// <summary>The attribute, which must be of <paramref name="type"/> (an INT read as a FLOAT would be silently 0).</summary>
    private AttributeProto? Find(string name, AttributeType type)
    {
        AttributeProto? attribute = node.Attribute.FirstOrDefault(a => a.Name == name);
        Require(attribute is null || attribute.Type == type, $"the attribute '{name}' is {attribute?.Type.ToString().ToUpperInvariant()}; expected {type.ToString().ToUpperInvariant()}.");
        return attribute;
    }
}
