using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;
using static EdgeLowRank.Onnx.OnnxProto;

namespace EdgeLowRank.Onnx.Tests;

/// <summary>Builds ONNX graphs as other tools write them (PyTorch's Gemm with transB, Keras' MatMul + Add, batch
/// normalization, reshapes), with random weights, to import them and check the result against ONNX Runtime.</summary>
internal sealed class GraphBuilder
{
    private int _seed = 1;

    /// <summary>Starts a graph whose input is x, of <paramref name="sample"/> per sample and a symbolic batch dimension, or
    /// the <paramref name="fixedBatch"/> a graph exported without dynamic axes states.</summary>
    public GraphBuilder(int[] sample, int opset = 13, long? fixedBatch = null)
    {
        Opset = opset;
        Graph.Input.Add(Value("x", sample));
        if (fixedBatch is { } batch) Graph.Input[0].Type.TensorType.Shape.Dim[0] = new TensorShapeProto.Types.Dimension { DimValue = batch };
        Current = "x";
    }

    public GraphProto Graph { get; } = new() { Name = "foreign" };

    public int Opset { get; }

    /// <summary>The output of the last node added.</summary>
    public string Current { get; private set; }

    /// <summary>A float initializer of random values in [-1, 1) (or [0.5, 1.5) when <paramref name="positive"/>, for variances),
    /// times <paramref name="scale"/>.</summary>
    public string Weights(string name, long[] dims, bool positive = false, float scale = 1)
    {
        float[] values = Compare.Random((int)dims.Aggregate(1L, (a, b) => a * b), _seed++).Select(v => v * scale).ToArray();
        if (positive) values = values.Select(v => v / 2 + 1).ToArray();
        return Initializer(Graph, name, values, dims);
    }

    /// <summary>Adds a node that reads <see cref="Current"/> and then <paramref name="inputs"/>.</summary>
    public GraphBuilder Then(string op, string[] inputs, params AttributeProto[] attributes)
    {
        Current = Node(Graph, op, $"n{Graph.Node.Count}.{op}", [Current, .. inputs], attributes);
        return this;
    }

    public GraphBuilder Then(string op, params AttributeProto[] attributes) => Then(op, [], attributes);

    /// <summary>Adds a node that reads exactly <paramref name="inputs"/> (a join such as torch.cat's Concat).</summary>
    public GraphBuilder Of(string op, string[] inputs, params AttributeProto[] attributes)
    {
        Current = Node(Graph, op, $"n{Graph.Node.Count}.{op}", inputs, attributes);
        return this;
    }

    /// <summary>Continues from <paramref name="tensor"/>, an earlier tensor: the next node starts a second path from it.</summary>
    public GraphBuilder From(string tensor)
    {
        Current = tensor;
        return this;
    }

    /// <summary>An Add of <see cref="Current"/> and the earlier tensor <paramref name="skip"/> (a residual connection), in
    /// the order PyTorch writes <c>out += identity</c>, or with <paramref name="skipFirst"/> <c>identity + out</c>.</summary>
    public GraphBuilder Residual(string skip, bool skipFirst = false)
    {
        Current = Node(Graph, "Add", $"n{Graph.Node.Count}.Add", skipFirst ? [skip, Current] : [Current, skip]);
        return this;
    }

    /// <summary>A Conv without bias and a BatchNormalization node (PyTorch's <c>nn.Conv2d(..., bias=False)</c> and
    /// <c>nn.BatchNorm2d</c> before an exporter folds them), or with <paramref name="folded"/> one Conv with a bias (as
    /// torch.onnx.export folds them in eval mode); then a Relu when <paramref name="relu"/>. With <paramref name="heScaled"/>
    /// the kernel's values are scaled as He's initialization scales them (variance 2 / fan-in), so a deep network's
    /// activations keep their size.</summary>
    public GraphBuilder ConvBn(string name, long[] kernel, bool relu, bool folded = false, long group = 1, long stride = 1, bool heScaled = false)
    {
        long channels = kernel[0], k = kernel[2], pad = k / 2;
        AttributeProto[] window = [Int("group", group), Ints("kernel_shape", k, k), Ints("pads", pad, pad, pad, pad), Ints("strides", stride, stride)];
        float scale = heScaled ? MathF.Sqrt(6f / (kernel[1] * k * k)) : 1;
        if (folded)
            Then("Conv", [Weights(name + ".weight", kernel, scale: scale), Weights(name + ".bias", [channels])], window);
        else
            // γ and β positive: with random signs whole channels stay below 0 and their ReLU hides what feeds them.
            Then("Conv", [Weights(name + ".weight", kernel, scale: scale)], window)
                .Then("BatchNormalization", [Weights(name + ".bn.weight", [channels], positive: true), Weights(name + ".bn.bias", [channels], positive: true),
                    Weights(name + ".bn.running_mean", [channels]), Weights(name + ".bn.running_var", [channels], positive: true)], Float("epsilon", 1e-5f));
        return relu ? Then("Relu") : this;
    }

    /// <summary>nn.ReLU6 as torch.onnx.export writes it from opset 11: a Clip of <see cref="Current"/> between 0 and 6,
    /// its bounds scalar Constant nodes, or initializers when <paramref name="initializers"/>.</summary>
    public GraphBuilder Relu6(bool initializers = false)
    {
        string Bound(string name, float value)
        {
            if (initializers) return Initializer(Graph, $"{name}_{Graph.Node.Count}", [value]);
            var tensor = new TensorProto { DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(new[] { value }.AsSpan())) };
            return Node(Graph, "Constant", $"/Constant_{Graph.Node.Count}_output_0", [], new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = tensor });
        }
        return Then("Clip", [Bound("min", 0), Bound("max", 6)]);
    }

    /// <summary>A Constant node of int64 values (a scalar when <paramref name="dims"/> is empty), raw as PyTorch writes it.</summary>
    public string Int64Constant(string name, long[] values, params long[] dims)
    {
        var tensor = new TensorProto { DataType = (int)TensorProto.Types.DataType.Int64, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan())) };
        tensor.Dims.AddRange(dims);
        return Node(Graph, "Constant", name, [], new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = tensor });
    }

    /// <summary>The shape torch.onnx.export computes for <c>x.view(x.size(index), rest…)</c> of <see cref="Current"/> (or
    /// of <paramref name="of"/>) with a dynamic batch: Shape, Gather of a Constant scalar, Unsqueeze (its axes an attribute
    /// before opset 13, a Constant input from it), Concat with a Constant of <paramref name="rest"/>. Returns the Concat's
    /// output, a Reshape's shape; <see cref="Current"/> stays where it was.</summary>
    public string TorchViewShape(long[] rest, long index = 0, string? of = null)
    {
        string shape = Node(Graph, "Shape", $"/Shape_{Graph.Node.Count}_output_0", [of ?? Current]);
        string gathered = Node(Graph, "Gather", $"/Gather_{Graph.Node.Count}_output_0", [shape, Int64Constant($"/Constant_{Graph.Node.Count}_output_0", [index])], Int("axis", 0));
        string unsqueezed = Opset < 13
            ? Node(Graph, "Unsqueeze", $"/Unsqueeze_{Graph.Node.Count}_output_0", [gathered], Ints("axes", 0))
            : Node(Graph, "Unsqueeze", $"/Unsqueeze_{Graph.Node.Count}_output_0", [gathered, Int64Constant($"/Constant_{Graph.Node.Count}_output_0", [0], 1)]);
        string tail = Int64Constant($"/Constant_{Graph.Node.Count}_output_0", rest, rest.Length);
        return Node(Graph, "Concat", $"/Concat_{Graph.Node.Count}_output_0", [unsqueezed, tail], Int("axis", 0));
    }

    /// <summary>The pads torch.onnx.export (1.13) computes from opset 11 for F.pad(x, <paramref name="torchPads"/>) of an
    /// N×C×H×W tensor (torch's order, the last axis first: left, right, top, bottom), node for node as it writes them under
    /// <paramref name="scope"/>: Constant 8 − their count and the pads, ConstantOfShape (the zeros of the axes they leave out:
    /// none when they give all four), Concat, Reshape to
    /// pairs (−1, 2), Slice of axis 0 from −1 to −2⁶³ + 1 by step −1 (the pairs reversed), Transpose, Reshape to a vector, Cast
    /// to int64; its Reshapes give allowzero 0 from opset 14. Returns the Cast's output, a Pad's pads; <see cref="Current"/>
    /// stays where it was.</summary>
    public string TorchPads(long[] torchPads, string scope = "")
    {
        int constants = 0;
        string Constant(params long[] values) => Int64Constant($"{scope}/Constant{(constants++ == 0 ? "" : $"_{constants - 1}")}_output_0", values, values.Length);
        AttributeProto[] allowZero = Opset >= 14 ? [Int("allowzero", 0)] : [];
        string rank = Constant(8 - torchPads.Length), pads = Constant(torchPads);
        string zeros = Int64Zeros($"{scope}/ConstantOfShape_output_0", rank);
        string joined = Node(Graph, "Concat", $"{scope}/Concat_output_0", [pads, zeros], Int("axis", 0));
        string pairs = Node(Graph, "Reshape", $"{scope}/Reshape_output_0", [joined, Constant(-1, 2)], allowZero);
        string axes = Constant(0), starts = Constant(-1), ends = Constant(long.MinValue + 1), steps = Constant(-1);
        string reversed = Node(Graph, "Slice", $"{scope}/Slice_output_0", [pairs, starts, ends, axes, steps]);
        string transposed = Node(Graph, "Transpose", $"{scope}/Transpose_output_0", [reversed], Ints("perm", 1, 0));
        string vector = Node(Graph, "Reshape", $"{scope}/Reshape_1_output_0", [transposed, Constant(-1)], allowZero);
        return Node(Graph, "Cast", $"{scope}/Cast_output_0", [vector], Int("to", 7));
    }

    /// <summary>A ConstantOfShape of int64 zeros of the shape <paramref name="shape"/> holds, as torch writes the zeros of a
    /// Pad's pads for the axes F.pad leaves alone (its value a one-element int64 tensor); returns <paramref name="output"/>.</summary>
    public string Int64Zeros(string output, string shape)
    {
        var zero = new TensorProto { DataType = (int)TensorProto.Types.DataType.Int64, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(new[] { 0L }.AsSpan())) };
        zero.Dims.Add(1);
        return Node(Graph, "ConstantOfShape", output, [shape], new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = zero });
    }

    /// <summary>The model's bytes, its output the last node's, of <paramref name="outputs"/> values per sample.</summary>
    public byte[] Build(int outputs, Action<ModelProto>? edit = null)
    {
        var graph = Graph.Clone();
        graph.Output.Add(Value(Current, [outputs]));
        var model = new ModelProto { IrVersion = 8, ProducerName = "tests", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        edit?.Invoke(model);
        return model.ToByteArray();
    }
}
