using Onnx;

namespace EdgeLowRank.Onnx;

/// <summary>A node's attributes, read with their ONNX defaults, and the node named in every message about it.</summary>
internal sealed class NodeAttributes(NodeProto node, int index)
{
    /// <summary>"node 3 'conv1' (Conv)": where a message points.</summary>
    public string Where { get; } = $"node {index} '{(node.Name.Length > 0 ? node.Name : node.Output.FirstOrDefault() ?? "")}' ({node.OpType})";

    public long Int(string name, long fallback) => Find(name)?.I ?? fallback;

    public float Float(string name, float fallback) => Find(name)?.F ?? fallback;

    public string String(string name, string fallback) => Find(name)?.S.ToStringUtf8() ?? fallback;

    public long[]? Ints(string name) => Find(name)?.Ints.ToArray();

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

    private AttributeProto? Find(string name) => node.Attribute.FirstOrDefault(a => a.Name == name);
}
