using EdgeLowRank.Runtime.Layers;
using Onnx;

namespace EdgeLowRank.Onnx;

// The input's normalization (constants before the first layer), folded into the first matrix layer, and its shift
// carried through that layer into a bias; or, where that layer cannot absorb it exactly, kept as a layer before it.
internal sealed partial class GraphWalk
{
    /// <summary>x − c, x / c, x · c or x + c of the input and a constant, before any layer: a normalization that the first
    /// matrix layer absorbs.</summary>
    private void Normalization(NodeProto node, NodeAttributes a)
    {
        a.Require(node.Input.Count == 2, "expected two inputs.");
        bool inputFirst = node.Input[0] == _current;
        string other = inputFirst ? node.Input[1] : node.Input[0];
        string with = node.OpType switch { "Sub" => "minus", "Div" => "divided by", "Mul" => "times", _ => "plus" };
        a.Require(_weights.IsWeight(other) && (inputFirst || node.OpType is "Add" or "Mul"),
            $"only the input {with} a constant can come before the first layer (a normalization it absorbs).");
        a.Require(!_channelsLast, "a normalization after the transpose to channels-last is not supported; normalize before it.");
        _normalization!.Apply(node.OpType, _weights.Of(other, a), a.Where);
    }

    /// <summary>The refusal of a Sub, Mul or Div after the first layer (an Add is a bias, <see cref="Bias"/>): of a constant, it
    /// is taken only before the first layer, as the input's normalization; of two computed tensors, the runtime has no layer
    /// for it (a Mul of a gate and the tensor it gates is read before this is reached).</summary>
    private OnnxImportException ArithmeticAfterTheFirstLayer(NodeProto node, NodeAttributes a)
    {
        string op = node.OpType;
        string[] computed = node.Input.Where(i => i.Length > 0 && !_weights.IsWeight(i)).ToArray();
        bool reluFused = _layers[^1] is not ReluLayer && _graph.Node.Any(n => n.OpType == "Relu" && n.Output.Count > 0 && n.Output[0] == _current);
        string fused = reluFused ? ": the Relu is fused into it" : "";
        string after = $"{_layers.Count} layer{(_layers.Count == 1 ? "" : "s")} (the last a {_layers[^1].Kind}, whose output '{_current}' it reads{fused})";
        string mul = op == "Mul" ? " After the first layer a Mul is read only as x·Sigmoid(x) (SiLU), x·HardSigmoid(x) (hardswish) or a "
            + "squeeze-and-excitation gate (one value per channel times the tensor)." : "";
        if (computed.Length == 1)
            return new OnnxImportException($"{a.Where}: a {op} of a constant is taken only before the first layer, as the input's normalization "
                + $"(x − mean) / std, which that layer absorbs; this one comes after {after}, where the runtime has no layer for it.{mul}");
        return new OnnxImportException($"{a.Where}: a {op} of two computed tensors ({string.Join(" and ", computed.Select(c => $"'{c}'"))}) is not supported; "
            + $"the runtime has no layer for it.{mul}");
    }

    /// <summary>The second factor's bias plus what the input normalization's shift, carried through the first factor
    /// (<see cref="_shiftOut"/>), adds through <paramref name="second"/>: Σⱼ shift[j]·B[j, k].</summary>
    private ReadOnlyMemory<float> ShiftedThrough(PackedMatrix second, ReadOnlyMemory<float> bias)
    {
        if (_shiftOut is not { } shift) return bias;
        _shiftOut = null;
        return InputAffine.ThroughSecondFactor(shift, second, bias.Span);
    }

    /// <summary>Puts the input normalization's shift, carried through the last layer, into that layer's bias: no second
    /// factor is coming.</summary>
    private void Settle()
    {
        if (_shiftOut is not { } shift) return;
        _layers[^1] = LayerEdits.With(_layers[^1], InputAffine.Plus(LayerEdits.Bias(_layers[^1]).Span, shift));
        _shiftOut = null;
        _factorable = false;
    }

    /// <summary>Whether the input's normalization is a layer of its own (<see cref="KeepNormalization"/>), not folded.</summary>
    public bool NormalizationKept { get; private set; }

    /// <summary>Makes the input's normalization the model's first layer, before the one being read, which cannot absorb it
    /// (and before a flatten, the only layer that may come between).</summary>
    private void KeepNormalization(InputAffine normalization, NodeAttributes a)
    {
        _layers.Insert(0, normalization.AsLayer(a.Where));
        NormalizationKept = true;
    }

    /// <summary>The input's normalization, for the matrix layer being read (the first) to absorb; null when there is none.</summary>
    private InputAffine? TakeNormalization()
    {
        InputAffine? pending = _normalization is { IsIdentity: false } ? _normalization : null;
        _normalization = null;
        return pending;
    }
}
