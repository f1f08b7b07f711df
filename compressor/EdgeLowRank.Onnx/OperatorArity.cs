using Onnx;

namespace EdgeLowRank.Onnx;

/// <summary>
/// The check of every node of an operator some part of the import reads (as a layer, a weight, a shape computation, a part
/// of quantize_dynamic's product, or one refused with a message of its own; <see cref="OperatorTable"/> lists them) against
/// the inputs and outputs ONNX's operator schema gives it in each operator set from <see cref="OnnxImporter.MinOpset"/> to
/// <see cref="OnnxImporter.MaxOpset"/> where they changed: the version a node follows is the latest at or below the model's
/// declared opset, as ONNX Runtime picks it. A node that does not fit it is refused before the walk, as ONNX's checker
/// refuses it: the walk reads the inputs an operator takes, and a security trial's Relu(x, z), z closing a cycle, was read
/// as a plain Relu, its second input left unread without a word. An empty input name is an optional input left out (its default applies) and still counts as an
/// input; in a required position it names nothing and is refused. Where a parameter moved from an attribute to an input
/// (Clip's bounds at 11, Slice's at 10, Pad's pads at 11, Split's sizes and Unsqueeze's and Squeeze's axes at 13, ReduceMean's and Pad's axes at 18, Dropout's ratio
/// at 12), the table's signatures say which form the model's opset has: the other form's inputs are refused by their count, its
/// attributes here (<see cref="Refuse"/>), so a reader that takes whichever form the node gives reads the opset's.
/// </summary>
internal static class OperatorArity
{
    /// <summary>Refuses the first default-domain node of an operator in the table that does not fit its signature at
    /// <paramref name="opset"/>: an operator that opset does not have yet, fewer or more inputs or more outputs than it
    /// takes, an empty name in a required input, or an attribute for what that opset takes as an input.</summary>
    /// <exception cref="OnnxImportException">Such a node.</exception>
    public static void Refuse(GraphProto graph, long opset)
    {
        for (int i = 0; i < graph.Node.Count; i++)
        {
            NodeProto node = graph.Node[i];
            if (node.Domain is not ("" or "ai.onnx") || OperatorTable.Signatures(node.OpType) is not { } versions) continue;
            string where = new NodeAttributes(node, i).Where;
            OperatorSignature signature = versions.LastOrDefault(v => v.Since <= opset)
                ?? throw new OnnxImportException($"{where}: {node.OpType} is an operator from opset {versions[0].Since}; the model declares opset {opset}, "
                    + $"which has none. Export the model again with opset {versions[0].Since} or later.");
            string form = $"at opset {opset}, the model's, {node.OpType} takes {signature}{Forms(versions, signature)}";
            if (node.Input.Count < signature.Required || node.Input.Count > signature.MaxInputs)
                throw new OnnxImportException($"{where}: it has {Count(node.Input.Count, "input")} ({Names(node.Input)}); {form}. {InputCountHint(node, signature)}"
                    + $"ONNX defines no such node (its checker and ONNX Runtime refuse it too), and reading it as {node.OpType} would leave the rest unread: "
                    + "export the model again, or correct the node.");
            int empty = Enumerable.Range(0, node.Input.Count).FirstOrDefault(p => node.Input[p].Length == 0 && !signature.Formal(p).EndsWith('?'), -1);
            if (empty >= 0)
                throw new OnnxImportException($"{where}: its input {empty} (counting from 0) has an empty name, in the place of {signature.Role(empty)}, "
                    + $"which {node.OpType} requires ({form}). An empty name stands only for an optional input left out: give the node that input, "
                    + "or export the model again.");
            if (node.Output.Count > signature.MaxOutputs)
                throw new OnnxImportException($"{where}: it has {Count(node.Output.Count, "output")} ({Names(node.Output)}); at opset {opset}, the model's, "
                    + $"{node.OpType} takes at most {signature.MaxOutputs} (an optional output left out written as an empty name). ONNX defines no such node: "
                    + "export the model again, or correct the node.");
            if (node.Attribute.FirstOrDefault(a => signature.TakesInput(a.Name)) is { } moved)
                throw new OnnxImportException($"{where}: it gives {moved.Name} as an attribute; {form}, {moved.Name} an input{AttributeForm(versions, signature, moved.Name)}. "
                    + $"Give {moved.Name} as the node's input, or export the model again with the opset its form belongs to.");
        }
    }

    /// <summary>A refusal's hint when every input past what the operator takes has an empty name: ONNX counts it.</summary>
    private static string InputCountHint(NodeProto node, OperatorSignature signature) =>
        node.Input.Count > signature.MaxInputs && node.Input.Skip(signature.MaxInputs).All(n => n.Length == 0)
            ? $"An empty name stands for an optional input left out, and {node.OpType} has no optional input there; ONNX counts the empty name as an input. "
            : "";

    /// <summary>The operator's other signatures, for a message: ", and (data) before opset 18".</summary>
    private static string Forms(OperatorSignature[] versions, OperatorSignature current)
    {
        int at = Array.IndexOf(versions, current);
        var others = new List<string>();
        if (at > 0) others.Add($"{versions[at - 1]} before opset {current.Since}");
        if (at < versions.Length - 1) others.Add($"{versions[at + 1]} from opset {versions[at + 1].Since}");
        return others.Count == 0 ? "" : $", and {string.Join(", and ", others)}";
    }

    /// <summary>", an attribute before opset 18" when the parameter was an attribute in an earlier signature.</summary>
    private static string AttributeForm(OperatorSignature[] versions, OperatorSignature current, string name)
    {
        int at = Array.IndexOf(versions, current);
        while (at > 0 && versions[at - 1].TakesInput(name)) at--;
        return at > 0 ? $" (an attribute before opset {versions[at].Since})" : "";
    }

    private static string Count(int n, string what) => $"{n} {what}{(n == 1 ? "" : "s")}";

    private static string Names(IReadOnlyList<string> names) => string.Join(", ", names.Select(n => $"'{n}'"));
}

/// <summary>One version of an operator's signature: from opset <paramref name="Since"/>, its inputs by ONNX's names
/// (an optional one ends in '?', a variadic last one in '...', a tensor each) and its most outputs.</summary>
internal sealed record OperatorSignature(int Since, string[] Inputs, int MaxOutputs)
{
    /// <summary>No limit on the inputs (a variadic last one) or outputs.</summary>
    public const int Any = int.MaxValue;

    /// <summary>A signature from its inputs as one string: "X W B?".</summary>
    public static OperatorSignature Of(int since, string inputs, int maxOutputs = 1) =>
        new(since, inputs.Split(' ', StringSplitOptions.RemoveEmptyEntries), maxOutputs);

    public int Required => Inputs.Count(i => !i.EndsWith('?'));

    public int MaxInputs => Inputs.LastOrDefault()?.EndsWith("...", StringComparison.Ordinal) == true ? Any : Inputs.Length;

    /// <summary>The formal input at <paramref name="position"/> (the variadic last one past its end).</summary>
    public string Formal(int position) => Inputs[Math.Min(position, Inputs.Length - 1)];

    /// <summary>The input at <paramref name="position"/>, for a message: "W", or "one of its inputs" for a variadic one.</summary>
    public string Role(int position) => Formal(position) is var formal && formal.EndsWith("...", StringComparison.Ordinal)
        ? $"one of its {formal[..^3]}" : formal;

    public bool TakesInput(string name) => Inputs.Any(i => i.TrimEnd('?') == name);

    public override string ToString() => $"({string.Join(", ", Inputs)})";
}
