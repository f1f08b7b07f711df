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

    /// <summary>A window's padding, the same on every side: from pads, or from auto_pad (VALID: 0; SAME_UPPER or
    /// SAME_LOWER: for <paramref name="image"/> (h, w, c), the padding that gives ⌈side / stride⌉ outputs, when it is even
    /// and alike on both axes; without an image, only where that holds for every side: stride 1 and an odd kernel
    /// <paramref name="k"/>, (k − 1) / 2).</summary>
    public int Padding(int k, int stride, TensorShape? image = null)
    {
        WindowPads sides = Sides(k, stride, image);
        if (sides.Alike) return (int)sides.Top;
        string autoPad = String("auto_pad", "NOTSET");
        if (autoPad == "NOTSET")
            throw new OnnxImportException($"{Where}: the pads ({string.Join(", ", Ints("pads", 4)!)}) must be the same on every side: the runtime pads every side "
                + "of a window alike. Pad symmetrically (PyTorch's padding=p writes it), or not at all.");
        // Only SAME over a known image can come out uneven (without one it is refused unless every side gets (k − 1) / 2).
        TensorShape shape = image!.Value;
        throw new OnnxImportException($"{Where}: auto_pad {autoPad} pads the {shape[0]}×{shape[1]} image (height × width) by {sides.Top + sides.Bottom} "
            + $"pixels in all vertically and {sides.Left + sides.Right} horizontally for {k}×{k} windows moved by {stride}: not the same on every side, which is all the "
            + "runtime pads. Give pads explicitly, the same on every side, or an image whose sides SAME pads by the same even amount.");
    }

    /// <summary>A window's padding on each side, as <see cref="Padding"/> reads it but not yet required alike: a Pad node
    /// folded into a Conv may even it out.</summary>
    public WindowPads Sides(int k, int stride, TensorShape? image = null)
    {
        switch (String("auto_pad", "NOTSET"))
        {
            case "VALID":
                return default;
            case "SAME_UPPER" or "SAME_LOWER" when image is { } shape:
                return SameSides(k, stride, shape);
            case "SAME_UPPER" or "SAME_LOWER":
                Require(stride == 1 && k % 2 == 1, "auto_pad SAME is supported only with stride 1 and an odd kernel (the same padding on every side).");
                return new WindowPads((k - 1) / 2, (k - 1) / 2, (k - 1) / 2, (k - 1) / 2);
            case "NOTSET":
                long[] pads = Ints("pads", 4) ?? [0, 0, 0, 0];
                Require(pads.All(p => p is >= 0 and <= int.MaxValue), $"the pads ({string.Join(", ", pads)}) must be 0 or more (a negative pad crops the "
                    + "image, which no runtime window does) and the same on every side: the runtime pads every side of a window alike.");
                return new WindowPads(pads[0], pads[1], pads[2], pads[3]);
            default:
                throw new OnnxImportException($"{Where}: auto_pad '{String("auto_pad", "")}' is not an ONNX value.");
        }
    }

    /// <summary>auto_pad SAME over an h × w image: per axis, ⌈side / stride⌉ windows need (outputs − 1)·stride + k − side
    /// pixels of padding in all, split evenly, the odd one after (SAME_UPPER) or before (SAME_LOWER).</summary>
    private WindowPads SameSides(int k, int stride, TensorShape image)
    {
        long Total(int side) => Math.Max(((long)side + stride - 1) / stride * stride - stride + k - side, 0);
        long height = Total(image[0]), width = Total(image[1]);
        bool upper = String("auto_pad", "") == "SAME_UPPER";
        long Before(long total) => upper ? total / 2 : total - total / 2;
        return new WindowPads(Before(height), Before(width), height - Before(height), width - Before(width));
    }

    /// <summary>A Conv's window for its k × k kernel (<paramref name="kernel"/>, named in messages): no dilation, a
    /// kernel_shape that agrees with the kernel, the same stride on both axes and the same padding on every side, the
    /// zeros of the Pad before it (<paramref name="pad"/>, null for none) added to its own.</summary>
    public ConvolutionGeometry ConvolutionWindow(int k, string kernel, PadNodes.Fold? pad = null)
    {
        Require(Ints("dilations", 2)?.All(d => d == 1) ?? true, "dilated convolutions are not supported.");
        Require(Ints("kernel_shape", 2) is not { } shape || shape[0] == k && shape[1] == k, $"kernel_shape differs from the kernel's {kernel}.");
        int stride = SquareStride();
        var geometry = new ConvolutionGeometry(k, stride, pad is null ? Padding(k, stride) : Folded(k, stride, pad));
        RequireValid(geometry);
        return geometry;
    }

    /// <summary>The padding of a Conv whose own pads grow by the Pad before it: the same on every side in all, and below the
    /// kernel (a window of nothing but padding has no runtime equivalent).</summary>
    private int Folded(int k, int stride, PadNodes.Fold pad)
    {
        WindowPads own = Sides(k, stride), total = own + pad.Sides;
        if (!total.Alike)
            throw new OnnxImportException($"{pad.Where}, folded into {Where} that reads it: the Pad adds {pad.Sides} and the Conv's own pads {own}, so "
                + $"{total} in all; the runtime pads each side of a window alike. Pad every side alike (nn.ZeroPad2d(p) with one p, or the Conv's "
                + "padding=p), or not at all.");
        Require(total.Top < k, $"with the zeros of the Pad {pad.Where} before it, it pads every side by {total.Top}, as much as its {k}×{k} kernel or more: "
            + "the runtime's windows take a padding below their kernel. Pad less.");
        return (int)total.Top;
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
