using Onnx;

namespace EdgeLowRank.Onnx;

/// <summary>ONNX's Clip read as an activation. Clip(0, 6) is ReLU6 (torch.onnx.export writes MobileNet v2's nn.ReLU6 so);
/// Clip(0, +∞) is a ReLU; Clip(−∞, +∞), no bound at all, changes nothing (ONNX Runtime runs it; a verification trial's was
/// refused). The runtime has no other clamp, so any other bounds are refused. The bounds are inputs from
/// opset 11 (initializers or Constant nodes) and attributes before it; a missing bound (from opset 11, an input left out or
/// given an empty name) is unbounded. Of a tensor a Relu made, which is never below 0, a lower bound at or below 0 is 0:
/// torch.clamp(x.relu(), max=6) exports as Relu and Clip(x, "", 6), a ReLU6.</summary>
internal static class ClipNodes
{
    /// <summary>What a Clip is as an activation.</summary>
    public enum Kind
    {
        /// <summary>No bound that changes a value: the tensor goes on as it is.</summary>
        Identity,

        /// <summary>Clip(0, +∞).</summary>
        Relu,

        /// <summary>Clip(0, 6).</summary>
        Relu6,
    }

    /// <summary>Reads the Clip <paramref name="node"/> of a graph of <paramref name="opset"/>, whose input is never below 0
    /// when <paramref name="ofRelu"/> (so that a ReLU of it changes nothing either).</summary>
    /// <exception cref="OnnxImportException">Other bounds, a bound computed in the graph, or a bound that is not one value.</exception>
    public static Kind Read(NodeProto node, NodeAttributes a, long opset, GraphWeights weights, bool ofRelu)
    {
        float min, max;
        if (opset >= 11)
        {
            a.AllowOnly();
            min = Bound(node, 1, float.NegativeInfinity, a, weights);
            max = Bound(node, 2, float.PositiveInfinity, a, weights);
        }
        else
        {
            a.AllowOnly("min", "max");
            // Before opset 11 the defaults are the lowest and highest float, which clamp nothing: ±∞ here.
            min = a.Float("min", float.NegativeInfinity);
            max = a.Float("max", float.PositiveInfinity);
        }
        bool unbounded = max >= float.MaxValue;
        if (min <= float.MinValue && unbounded) return Kind.Identity;
        if (ofRelu && min <= 0) min = 0;   // max(x, min) is x, and max(x, 0) too, where x ≥ 0
        if (min == 0 && max == 6) return Kind.Relu6;
        if (min == 0 && unbounded) return ofRelu ? Kind.Identity : Kind.Relu;
        throw new OnnxImportException($"{a.Where}: Clip({Text(min)}, {Text(max)}) has no runtime layer; only Clip(0, 6) (ReLU6) is supported, "
            + "Clip(0, +∞) is read as a Relu and Clip(-∞, +∞) as nothing (a missing lower bound is 0 right after a Relu, whose output is never below 0).");
    }

    /// <summary>The bound that input <paramref name="input"/> gives, or <paramref name="missing"/> without one.</summary>
    private static float Bound(NodeProto node, int input, float missing, NodeAttributes a, GraphWeights weights)
    {
        if (node.Input.Count <= input || node.Input[input].Length == 0) return missing;
        float[] values = weights.Of(node.Input[input], a).RequireFloats(a.Where, input == 1 ? "min" : "max");
        a.Require(values.Length == 1, $"its {(input == 1 ? "min" : "max")} has {values.Length} values; a Clip's bound is one value.");
        return values[0];
    }

    private static string Text(float bound) => bound switch
    {
        <= float.MinValue => "-∞",
        >= float.MaxValue => "+∞",
        _ => bound.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
    };
}
