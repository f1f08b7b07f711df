using Onnx;

namespace EdgeLowRank.Onnx;

/// <summary>
/// Every default-domain operator some part of the import reads (as a layer, a weight, a shape computation, a part of
/// quantize_dynamic's product, or one refused with a message of its own), with the inputs and outputs ONNX's operator
/// schema gives it: the most any operator set from <see cref="OnnxImporter.MinOpset"/> to <see cref="OnnxImporter.MaxOpset"/>
/// allows, an optional input left out counting as one of an empty name, as ONNX writes it. A node with more is refused
/// before the walk: the walk reads the inputs an operator takes, and a security trial's Relu(x, z), z closing a cycle, was
/// read as a plain Relu, its second input left unread without a word.
/// </summary>
internal static class OperatorArity
{
    private const int Any = int.MaxValue;

    /// <summary>Each operator's least and most inputs and most outputs (every operator has at least one output).</summary>
    public static readonly IReadOnlyDictionary<string, (int MinInputs, int MaxInputs, int MaxOutputs)> Operators =
        new Dictionary<string, (int, int, int)>
        {
            ["Gemm"] = (2, 3, 1), ["MatMul"] = (2, 2, 1), ["Add"] = (2, 2, 1), ["Sum"] = (1, Any, 1), ["Sub"] = (2, 2, 1), ["Mul"] = (2, 2, 1),
            ["Div"] = (2, 2, 1), ["Conv"] = (2, 3, 1), ["Concat"] = (1, Any, 1), ["Slice"] = (1, 5, 1), ["Split"] = (1, 2, Any),
            ["BatchNormalization"] = (5, 5, 5), ["MaxPool"] = (1, 1, 2), ["AveragePool"] = (1, 1, 1), ["GlobalAveragePool"] = (1, 1, 1),
            ["ReduceMean"] = (1, 2, 1), ["Relu"] = (1, 1, 1), ["Clip"] = (1, 3, 1), ["Tanh"] = (1, 1, 1), ["Sigmoid"] = (1, 1, 1),
            ["HardSigmoid"] = (1, 1, 1), ["HardSwish"] = (1, 1, 1), ["Unsqueeze"] = (1, 2, 1), ["Flatten"] = (1, 1, 1), ["Reshape"] = (2, 2, 1),
            ["Transpose"] = (1, 1, 1), ["Softmax"] = (1, 1, 1), ["LogSoftmax"] = (1, 1, 1), ["Dropout"] = (1, 3, 2), ["Identity"] = (1, 1, 1),
            ["Constant"] = (0, 0, 1), ["DequantizeLinear"] = (2, 3, 1), ["Shape"] = (1, 1, 1), ["Gather"] = (2, 2, 1), ["Cast"] = (1, 1, 1),
            ["DynamicQuantizeLinear"] = (1, 1, 3), ["MatMulInteger"] = (2, 4, 1), ["ConvInteger"] = (2, 4, 1), ["QuantizeLinear"] = (2, 3, 1),
            ["QLinearMatMul"] = (8, 8, 1), ["QLinearConv"] = (8, 9, 1),
        };

    /// <summary>Refuses the first default-domain node of an operator in <see cref="Operators"/> with fewer or more inputs, or
    /// more outputs, than the operator takes.</summary>
    /// <exception cref="OnnxImportException">Such a node.</exception>
    public static void Refuse(GraphProto graph)
    {
        for (int i = 0; i < graph.Node.Count; i++)
        {
            NodeProto node = graph.Node[i];
            if (node.Domain is not ("" or "ai.onnx") || !Operators.TryGetValue(node.OpType, out var arity)) continue;
            string where = new NodeAttributes(node, i).Where;
            if (node.Input.Count < arity.MinInputs || node.Input.Count > arity.MaxInputs)
                throw Refusal(where, node.OpType, node.Input, "input", arity.MinInputs, arity.MaxInputs);
            if (node.Output.Count > arity.MaxOutputs)
                throw Refusal(where, node.OpType, node.Output, "output", 1, arity.MaxOutputs);
        }
    }

    private static OnnxImportException Refusal(string where, string op, IReadOnlyList<string> names, string what, int least, int most)
    {
        string takes = least == most ? $"{least}" : most == Any ? $"at least {least}" : $"{least} to {most}";
        return new OnnxImportException($"{where}: it has {names.Count} {what}{(names.Count == 1 ? "" : "s")} ({string.Join(", ", names.Select(n => $"'{n}'"))}); "
            + $"{op} takes {takes} (ONNX's schema, an optional {what} left out written as an empty name). ONNX defines no such node, and reading it as {op} "
            + $"would leave the rest unread: export the model again, or correct the node.");
    }
}
