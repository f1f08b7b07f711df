using Onnx;
using AttributeType = Onnx.AttributeProto.Types.AttributeType;

namespace EdgeLowRank.Onnx;

/// <summary>A node's attributes, read with their ONNX defaults, and the node named in every message about it.</summary>
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
        long[]? values = Find(name, AttributeType.Ints)?.Ints.ToArray();
        Require(values is null || values.Length == length, $"the attribute '{name}' has {values?.Length} values; expected {length}.");
        return values;
    }

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

    /// <summary>The attribute, which must be of <paramref name="type"/> (an INT read as a FLOAT would be silently 0).</summary>
    private AttributeProto? Find(string name, AttributeType type)
    {
        AttributeProto? attribute = node.Attribute.FirstOrDefault(a => a.Name == name);
        Require(attribute is null || attribute.Type == type, $"the attribute '{name}' is {attribute?.Type.ToString().ToUpperInvariant()}; expected {type.ToString().ToUpperInvariant()}.");
        return attribute;
    }
}
