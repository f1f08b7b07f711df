using Google.Protobuf;
using Onnx;
using static EdgeLowRank.Onnx.OnnxProto;

namespace EdgeLowRank.Onnx.Tests;

/// <summary>Graphs the import cannot take: each refused with an <see cref="OnnxImportException"/> that names the node or
/// the part of the file, and says what would do instead.</summary>
public sealed class ImportErrorTests
{
    public static TheoryData<string, string> Cases => Refusals.Cases(Graphs);

    [Theory, MemberData(nameof(Cases))]
    public void IsRefusedWithAMessage(string name, string expected) => Refusals.Check(Graphs, name, expected);

    private static readonly Dictionary<string, (Func<byte[]> Build, string Message)> Graphs = new()
    {
        ["not protobuf"] = (() => "not a model"u8.ToArray(), "not an ONNX model"),
        ["empty graph"] = (() => new ModelProto { IrVersion = 8 }.ToByteArray(), "has no graph"),
        // Found by scripts/fuzz.sh onnx, reduced by hand: opset 17 and one Concat node without outputs, which the walk read
        // as node.Output[0] (ArgumentOutOfRangeException, elr's "internal error").
        ["node without outputs"] = (() => [0x3A, 0x0A, 0x0A, 0x08, 0x22, 0x06, .. "Concat"u8, 0x42, 0x02, 0x10, 0x11],
            "node 0 '' (Concat): the node has no outputs"),
        ["old opset"] = (() => Mlp(opset: 7).Build(10), "operator set 7"),
        ["two inputs"] = (() =>
        {
            var g = Mlp();
            g.Graph.Input.Add(Value("y", [3]));
            return g.Build(10);
        }, "has 2 inputs"),
        ["unknown operator"] = (() => Mlp().Then("Elu").Build(10), "the operator Elu is not supported"),
        // A security trial's Relu(x, z), z computed from the Relu's own output (a cycle): the walk read it as a plain Relu.
        ["a Relu of two inputs"] = (() =>
        {
            var g = Mlp();
            Node(g.Graph, "Relu", "n1.Relu", [g.Current, "n2.Relu"]);
            return g.From("n1.Relu").Then("Relu").Build(10);
        }, "node 1 'n1.Relu' (Relu): it has 2 inputs ('n0.Gemm', 'n2.Relu'); at opset 13, the model's, Relu takes (X). ONNX defines no such node "
            + "(its checker and ONNX Runtime refuse it too), and reading it as Relu would leave the rest unread: export the model again, or correct the node."),
        ["a Gemm of one input"] = (() => new GraphBuilder([20]).Then("Gemm").Build(20), "node 0 'n0.Gemm' (Gemm): it has 1 input ('x'); at opset 13, the model's, Gemm takes (A, B, C?), and (A, B, C) before opset 11."),
        ["a Dropout of three outputs"] = (() =>
        {
            var g = Mlp();
            Node(g.Graph, "Dropout", "n1.Dropout", [g.Current]);
            g.Graph.Node[^1].Output.AddRange(["mask", "more"]);
            return g.From("n1.Dropout").Build(10);
        }, "node 1 'n1.Dropout' (Dropout): it has 3 outputs ('n1.Dropout', 'mask', 'more'); at opset 13, the model's, Dropout takes at most 2"),
        // A node in the form of another opset than the model's: a parameter that moved from an attribute to an input.
        ["Clip's bounds as inputs at opset 10"] = (() =>
        {
            var g = Mlp(10);
            return g.Then("Clip", [Initializer(g.Graph, "min", [0f]), Initializer(g.Graph, "max", [6f])]).Build(10);
        }, "node 1 'n1.Clip' (Clip): it has 3 inputs ('n0.Gemm', 'min', 'max'); at opset 10, the model's, Clip takes (input), and (input, min?, max?) from opset 11."),
        ["Clip's bounds as attributes at opset 11"] = (() => Mlp(11).Then("Clip", Float("min", 0), Float("max", 6)).Build(10),
            "node 1 'n1.Clip' (Clip): it gives min as an attribute; at opset 11, the model's, Clip takes (input, min?, max?), and (input) before opset 11, "
            + "min an input (an attribute before opset 11)."),
        ["Unsqueeze's axes as an input at opset 12"] = (() =>
        {
            var g = Mlp(12);
            return g.Then("Unsqueeze", [Int64Initializer(g.Graph, "axes", [2, 3], 2)]).Build(10);
        }, "Unsqueeze takes (data), and (data, axes) from opset 13."),
        ["Unsqueeze's axes as an attribute at opset 13"] = (() => Mlp().Then("Unsqueeze", Ints("axes", 2, 3)).Build(10),
            "it has 1 input ('n0.Gemm'); at opset 13, the model's, Unsqueeze takes (data, axes), and (data) before opset 13."),
        ["ReduceMean's axes as an input at opset 17"] = (() =>
        {
            var g = ImageConv(17);
            return g.Then("ReduceMean", [Int64Initializer(g.Graph, "axes", [2, 3], 2)]).Build(3);
        }, "at opset 17, the model's, ReduceMean takes (data), and (data, axes?) from opset 18."),
        ["ReduceMean's axes as an attribute at opset 18"] = (() => ImageConv(18).Then("ReduceMean", Ints("axes", 2, 3)).Build(3),
            "it gives axes as an attribute; at opset 18, the model's, ReduceMean takes (data, axes?), and (data) before opset 18, axes an input (an attribute before opset 18)."),
        ["Split's sizes as an attribute at opset 13"] = (() => ImageConv(13).Then("Split", Int("axis", 1), Ints("split", 1, 2)).Build(3),
            "it gives split as an attribute; at opset 13, the model's, Split takes (input, split?)"),
        ["Slice's bounds as inputs at opset 9"] = (() =>
        {
            var g = ImageConv(9);
            return g.Then("Slice", [Int64Initializer(g.Graph, "s", [0], 1), Int64Initializer(g.Graph, "e", [1], 1)]).Build(3);
        }, "at opset 9, the model's, Slice takes (data), and (data, starts, ends, axes?, steps?) from opset 10."),
        ["a Gemm without its bias at opset 9"] = (() =>
        {
            var g = new GraphBuilder([20], opset: 9);
            return g.Then("Gemm", [g.Weights("w", [20, 10])]).Build(10);
        }, "it has 2 inputs ('x', 'w'); at opset 9, the model's, Gemm takes (A, B, C), and (A, B, C?) from opset 11."),
        ["HardSwish at opset 13"] = (() => Mlp().Then("HardSwish").Build(10),
            "node 1 'n1.HardSwish' (HardSwish): HardSwish is an operator from opset 14; the model declares opset 13, which has none."),
        ["BatchNormalization's five outputs at opset 14"] = (() =>
        {
            var g = ImageConv(14);
            g.Then("BatchNormalization", [g.Weights("s", [3]), g.Weights("b", [3]), g.Weights("m", [3]), g.Weights("v", [3], positive: true)]);
            g.Graph.Node[^1].Output.AddRange(["m1", "v1", "sm", "sv"]);
            return g.Build(3);
        }, "it has 5 outputs ('n1.BatchNormalization', 'm1', 'v1', 'sm', 'sv'); at opset 14, the model's, BatchNormalization takes at most 3"),
        // The list of what is supported names arithmetic on constants as the input's normalization, not as an operator
        // supported anywhere (a trial's Div after a layer was refused with a list that named Div).
        ["unknown operator, the list of what is"] = (() => Mlp().Then("Elu").Build(10),
            "Softmax, LogSoftmax (at the end), Dropout, Identity, and Sub, Div, Mul or Add of a constant only before the first layer (the input's normalization)."),
        // nn.GELU as torch.onnx.export writes it (opset 17): Div by √2, Erf, Add 1, Mul by x, Mul by 0.5. The walk in order
        // met the Div first and refused it as an unsupported Div; the Erf is what the runtime lacks.
        ["GELU as torch.onnx.export writes it"] = (() => Gelu(Mlp()).Build(10),
            "node 2 'n2.Erf' (Erf): GELU is not supported: this Erf is nn.GELU as torch.onnx.export writes it, x·0.5·(1 + erf(x/√2)) (Div by √2 at "
            + "node 1 'n1.Div', then Erf, Add, Mul, Mul), and the runtime has no Erf or GELU. Its activations are ReLU (Relu, or Clip(0, +∞)), ReLU6 (Clip(0, 6)), "
            + "LeakyReLU (LeakyRelu), Tanh, Sigmoid, SiLU (x·Sigmoid(x)), HardSwish and HardSigmoid: train the network with one of them"),
        ["GELU after an unknown operator"] = (() =>
        {
            var g = Gelu(Mlp().Then("Elu"));
            return g.Then("Pow", [Initializer(g.Graph, "p", [2f])]).Build(10);
        },
            "node 3 'n3.Erf' (Erf): GELU is not supported: this Erf is nn.GELU as torch.onnx.export writes it, x·0.5·(1 + erf(x/√2)) (Div by √2 at "
            + "node 2 'n2.Div', then"),
        ["other unsupported operators listed"] = (() =>
        {
            var g = Gelu(Mlp().Then("Elu"));
            return g.Then("Pow", [Initializer(g.Graph, "p", [2f])]).Build(10);
        },
            "The graph holds other operators the import does not support either: Elu (node 1 'n1.Elu'), Pow (node 7 'n7.Pow')."),
        // protobuf takes two initializers of one name (the importer reads the last); GELU's check of the Div's constant threw
        // ArgumentException on them, outside the import's contract.
        ["GELU whose √2 is given twice"] = (() =>
        {
            var g = Mlp();
            Initializer(g.Graph, "sqrt2", [1.4142135f]);
            return Gelu(g).Build(10);
        },
            "node 2 'n2.Erf' (Erf): GELU is not supported: this Erf is nn.GELU as torch.onnx.export writes it, x·0.5·(1 + erf(x/√2)) (Div by √2 at "
            + "node 1 'n1.Div', then Erf, Add, Mul, Mul)"),
        ["an If after the Equal that decides it"] = (() =>
        {
            var g = Mlp();
            return g.Then("Equal", [Initializer(g.Graph, "one", [1f])]).Then("If").Build(10);
        },
            "node 2 'n2.If' (If): the operator If (a branch chosen as the graph runs) is not supported. torch.onnx.export writes x.squeeze(d) "
            + "this way when the size of axis d is left dynamic (dynamic_axes, or the batch's axis 0): it checks the size as the model runs. "
            + "Squeeze only axes of a fixed size 1 (x.squeeze(-1) after a global pooling), or flatten instead (torch.flatten(x, 1)). "
            + "The graph holds other operators the import does not support either: Equal (node 1 'n1.Equal')."),
        ["an Erf alone"] = (() => Mlp().Then("Erf").Build(10),
            "node 1 'n1.Erf' (Erf): the operator Erf (the error function, which GELU computes as x·0.5·(1 + erf(x/√2))) is not supported: the runtime has no "
            + "Erf or GELU. Its activations are ReLU"),
        ["Gelu of opset 20"] = (() => Mlp(opset: 20).Then("Gelu").Build(10), "node 1 'n1.Gelu' (Gelu): GELU is not supported; the runtime's activations are ReLU"),
        ["a Div of a constant after the first layer"] = (() =>
        {
            var g = Mlp();
            return g.Then("Div", [Initializer(g.Graph, "s", [2f])]).Build(10);
        },
            "node 1 'n1.Div' (Div): a Div of a constant is taken only before the first layer, as the input's normalization (x − mean) / std, which that "
            + "layer absorbs; this one comes after 1 layer (the last a Dense, whose output 'n0.Gemm' it reads), where the runtime has no layer for it."),
        ["a Sub of a constant after a Gemm and its Relu"] = (() =>
        {
            var g = Mlp().Then("Relu");
            return g.Then("Sub", [Initializer(g.Graph, "m", [2f])]).Build(10);
        },
            "node 2 'n2.Sub' (Sub): a Sub of a constant is taken only before the first layer, as the input's normalization (x − mean) / std, which that "
            + "layer absorbs; this one comes after 1 layer (the last a Dense, whose output 'n1.Relu' it reads: the Relu is fused into it)"),
        ["a Mul of a constant after the first layer"] = (() =>
        {
            var g = Mlp();
            return g.Then("Mul", [Initializer(g.Graph, "k", [2f])]).Build(10);
        },
            "where the runtime has no layer for it. After the first layer a Mul is read only as x·Sigmoid(x) (SiLU), x·HardSigmoid(x) (hardswish) or a "
            + "squeeze-and-excitation gate"),
        ["log softmax before the end"] = (() => Mlp().Then("LogSoftmax").Then("Identity").Build(10), "one at the end of the graph is read as a Softmax (the same class), but this one is not at the end"),
        ["custom domain"] = (() =>
        {
            var g = Mlp().Then("Relu");
            g.Graph.Node[^1].Domain = "com.microsoft";
            return g.Build(10);
        }, "domain 'com.microsoft'"),
        // A Mul joins two paths (the runtime's Branch may end in a ChannelScale), but these have no gate of one value per feature.
        ["a Mul of two paths' vectors of other sizes"] = (() =>
        {
            var g = Mlp();
            string side = Node(g.Graph, "Relu", "side", ["x"]);
            return g.Then("Mul", [side]).Build(10);
        }, "node 2 'n2.Mul' (Mul): it multiplies 'n0.Gemm' (batch × 10) by 'side' (batch × 20); the runtime multiplies two computed tensors only as "
            + "x·σ(x)"),
        ["two paths from one tensor that no Add joins"] = (() =>
        {
            var g = new GraphBuilder([4, 6, 6]);
            string shortcut = Node(g.Graph, "Conv", "downsample.0", ["x", g.Weights("downsample.0.weight", [8, 4, 1, 1])]);
            Node(g.Graph, "Conv", "conv1", ["x", g.Weights("conv1.weight", [8, 4, 3, 3])], Ints("pads", 1, 1, 1, 1));
            return g.Build(8);
        }, "node 1 'conv1' (Conv): it reads 'x', an earlier tensor of the chain, not the chain's tensor 'downsample.0'; the runtime continues from "
            + "an earlier tensor (a Branch) only where a later Add, Concat or ChannelScale (a Mul by a gate of one value per channel) joins back the tensor "
            + "it leaves, and no Add, Concat or Mul after this node reads 'downsample.0': a Split or any other join or division of paths has no runtime layer"),
        ["(f(x) + g(x)) + h(x) with h before the first Add"] = (() =>
        {
            var g = Mlp().Then("Relu");
            string x = g.Current;
            string f = g.Then("Gemm", [g.Weights("f", [10, 10])]).Current;
            string h = g.From(x).Then("Gemm", [g.Weights("g", [10, 10])]).Current;
            string k = g.From(x).Then("Gemm", [g.Weights("h", [10, 10])]).Current;
            return g.From(f).Residual(h).Residual(k).Build(10);
        }, "node 5 'n5.Add' (Add): it joins 'n2.Gemm' and 'n3.Gemm', all ends of paths that earlier nodes left for an Add or a Concat to join back, "
            + "and the runtime's Add and Concat join one earlier activation to the chain's tensor, which would have to be one of these: order the nodes so that "
            + "each join comes right after the path it ends"),
        ["a shortcut from a flattened channels-first image"] = (() =>
        {
            var g = new GraphBuilder([2, 3, 3]);
            string flat = g.Then("Flatten").Current;
            string main = g.Then("Gemm", [g.Weights("w", [18, 18])]).Current;
            return g.From(flat).Then("Gemm", [g.Weights("p", [18, 18])]).From(main).Residual("n2.Gemm").Build(18);
        }, "node 2 'n2.Gemm' (Gemm): it reads 'n0.Flatten', an earlier tensor of the chain, not the chain's tensor 'n1.Gemm', and 'n0.Flatten' is "
            + "a flattened channels-first image, whose elements ONNX orders (c, h, w) and the runtime (h, w, c)"),
        ["a shortcut from the input normalized in the graph"] = (() =>
        {
            var g = new GraphBuilder([10]);
            string normalized = g.Then("Sub", [Initializer(g.Graph, "mean", [0.5f])]).Current;
            string main = g.Then("Gemm", [g.Weights("w", [10, 10])]).Then("Relu").Current;
            return g.From(normalized).Then("Gemm", [g.Weights("p", [10, 10])]).From(main).Residual("n3.Gemm").Build(10);
        }, "node 3 'n3.Gemm' (Gemm): it reads 'n0.Sub', an earlier tensor of the chain, not the chain's tensor 'n2.Relu', and 'n0.Sub' is the "
            + "input under a normalization that the import folds into the first Gemm, MatMul or Conv"),
        ["a projection that keeps the block's stride out (broadcast)"] = (() =>
        {
            var g = new GraphBuilder([4, 6, 6]);
            string main = g.ConvBn("conv1", [8, 4, 3, 3], relu: true, stride: 2).ConvBn("conv2", [8, 8, 3, 3], relu: false).Current;
            string shortcut = g.From("x").ConvBn("downsample", [8, 4, 1, 1], relu: false).Current;
            return g.From(main).Residual(shortcut).Then("Relu").Build(72);
        }, "node 7 'n7.Add' (Add): it adds 'n4.BatchNormalization' (batch × 8 × 3 × 3) to 'n6.BatchNormalization' (batch × 8 × 6 × 6): ONNX "
            + "broadcasts tensors of different shapes, but the runtime's Add takes two of the same shape; the runtime adds an earlier activation to "
            + "the chain's tensor of the same shape: an identity shortcut, or a shortcut with nodes of its own that starts from an earlier tensor of "
            + "the chain and ends in the Add (a projection, as ResNet's downsample): give the shortcut the block's shape (a 1×1 Conv of the block's stride"),
        ["a node reading a tensor no node makes"] = (() =>
        {
            var g = Mlp();
            return g.From("nowhere").Then("Relu").Build(10);
        }, "node 1 'n1.Relu' (Relu): its input is not a tensor of the chain of nodes from the graph's input (the chain is at 'n0.Gemm'); only a "
            + "chain of nodes is supported, with paths that Adds or Concats join"),
        ["a Concat along the height"] = (() =>
        {
            var g = new GraphBuilder([4, 5, 5]);
            string a = g.Then("Conv", [g.Weights("a", [4, 4, 1, 1])]).Current;
            return g.From("x").Then("Conv", [g.Weights("b", [4, 4, 3, 3])], Ints("pads", 1, 1, 1, 1)).Then("Concat", [a], Int("axis", 2)).Then("Flatten").Build(200);
        }, "node 2 'n2.Concat' (Concat): it stacks batch × C × H × W tensors along axis 2; the runtime's Concat stacks channels only: axis 1 (or -3). "
            + "Stack along the channels, or join the paths another way (an Add)."),
        ["a Concat of vectors along the batch"] = (() =>
        {
            var g = Mlp().Then("Relu");
            string a = g.Current;
            return g.Then("Gemm", [g.Weights("f", [10, 10])]).Then("Concat", [a], Int("axis", 0)).Build(10);
        }, "node 3 'n3.Concat' (Concat): it stacks batch × features tensors along axis 0; the runtime's Concat stacks features only: axis 1 (or -1)."),
        ["a Concat of a constant"] = (() =>
        {
            var g = new GraphBuilder([4, 5, 5]);
            return g.Then("Conv", [g.Weights("a", [4, 4, 1, 1])]).Then("Concat", [g.Weights("extra", [1, 2, 5, 5])], Int("axis", 1)).Then("Flatten").Build(150);
        }, "node 1 'n1.Concat' (Concat): it stacks the constant 'extra' with computed tensors; the runtime's Concat stacks two activations and has no "
            + "constant channels"),
        ["a Concat of images of two sizes"] = (() =>
        {
            var g = new GraphBuilder([4, 5, 5]);
            string a = g.Then("Conv", [g.Weights("a", [4, 4, 1, 1])]).Current;
            return g.From("x").Then("Conv", [g.Weights("b", [4, 4, 3, 3])]).Then("Concat", [a], Int("axis", 1)).Then("Flatten").Build(72);
        }, "node 2 'n2.Concat' (Concat): it stacks 'n0.Conv' (batch × 4 × 5 × 5) and 'n1.Conv' (batch × 4 × 3 × 3); the runtime's Concat stacks tensors "
            + "that agree in every dimension but the channels"),
        ["a Concat of a tensor with itself"] = (() =>
        {
            var g = new GraphBuilder([4, 5, 5]);
            string a = g.Then("Conv", [g.Weights("a", [4, 4, 1, 1])]).Current;
            return g.Then("Concat", [a], Int("axis", 1)).Then("Flatten").Build(200);
        }, "node 1 'n1.Concat' (Concat): it stacks 'n0.Conv' and 'n0.Conv', which are one activation"),
        ["a Concat of flattened channels-first images"] = (() =>
        {
            var g = new GraphBuilder([2, 3, 3]);
            string flat = g.Then("Flatten").Current;
            return g.Then("Gemm", [g.Weights("f", [18, 18])]).Then("Concat", [flat], Int("axis", 1)).Build(36);
        }, "node 2 'n2.Concat' (Concat): its input 'n0.Flatten' is a flattened channels-first image, whose elements ONNX orders (c, h, w) and the "
            + "runtime (h, w, c); join (add or concatenate) the images before the flatten"),
        ["a Concat of two paths the chain left, then an Add"] = (() =>
        {
            // cat(a(x), b(x)) + c(x), the nodes a, b, c, Concat, Add: when the Concat comes the chain is at c, and a and b were
            // both left for joins, so neither can be the chain's tensor of a runtime Concat.
            var g = new GraphBuilder([4, 5, 5]);
            string a = g.Then("Conv", [g.Weights("a", [4, 4, 1, 1])]).Current;
            string b = g.From("x").Then("Conv", [g.Weights("b", [4, 4, 1, 1])]).Current;
            string c = g.From("x").Then("Conv", [g.Weights("c", [8, 4, 1, 1])]).Current;
            string joined = Node(g.Graph, "Concat", "cat", [a, b], Int("axis", 1));
            return g.From(joined).Residual(c).Then("Flatten").Build(200);
        }, "node 3 'cat' (Concat): it joins 'n0.Conv' and 'n1.Conv', all ends of paths that earlier nodes left for an Add or a Concat to join back"),
        ["a channel shuffle without its Reshape back"] = (() =>
        {
            var g = new GraphBuilder([4, 6, 6], opset: 13);
            string x = g.Then("Conv", [g.Weights("w", [4, 4, 1, 1])]).Current;
            return g.Then("Reshape", [Int64Initializer(g.Graph, "grouped", [0, 2, 2, 6, 6], 5)]).Then("Transpose", Ints("perm", 0, 2, 1, 3, 4)).Build(144);
        }, "the graph ends on the middle of the channel shuffle that node 1 'n1.Reshape' (Reshape) starts (the channels in 2 groups, a tensor of one "
            + "more dimension), no activation of the runtime: end it after the shuffle's Reshape back."),
        ["groups of channels transposed otherwise than a shuffle"] = (() =>
        {
            var g = new GraphBuilder([4, 6, 6], opset: 13);
            g.Then("Conv", [g.Weights("w", [4, 4, 1, 1])]).Then("Reshape", [Int64Initializer(g.Graph, "grouped", [0, 2, 2, 6, 6], 5)]);
            return g.Then("Transpose", Ints("perm", 0, 1, 2, 4, 3)).Build(144);
        }, "node 2 'n2.Transpose' (Transpose): node 1 'n1.Reshape' (Reshape) split the channels into 2 groups, the first step of a channel shuffle; "
            + "expected its second, one Transpose of the groups (perm 0, 2, 1, 3, 4), then a Reshape back."),
        ["groups of channels reshaped back without the Transpose"] = (() =>
        {
            var g = new GraphBuilder([4, 6, 6], opset: 13);
            g.Then("Conv", [g.Weights("w", [4, 4, 1, 1])]).Then("Reshape", [Int64Initializer(g.Graph, "grouped", [0, 2, 2, 6, 6], 5)]);
            return g.Then("Reshape", [Int64Initializer(g.Graph, "back", [0, 4, 6, 6], 4)]).Build(144);
        }, "node 2 'n2.Reshape' (Reshape): it comes in the middle of the channel shuffle that node 1 'n1.Reshape' (Reshape) starts (the channels of "
            + "'n1.Reshape' in 2 groups); expected the shuffle's Transpose of the groups of 'n1.Reshape'"),
        ["a node reading a channel shuffle's groups"] = (() =>
        {
            var g = new GraphBuilder([4, 6, 6], opset: 13);
            g.Then("Conv", [g.Weights("w", [4, 4, 1, 1])]).Then("Reshape", [Int64Initializer(g.Graph, "grouped", [0, 2, 2, 6, 6], 5)]);
            return g.Then("Relu").Build(144);
        }, "node 2 'n2.Relu' (Relu): it comes in the middle of the channel shuffle"),
        ["a slice along the height"] = (() =>
        {
            var g = new GraphBuilder([4, 6, 6], opset: 13);
            g.Then("Conv", [g.Weights("w", [4, 4, 1, 1])]);
            return g.Then("Slice", [Int64Initializer(g.Graph, "s", [0], 1), Int64Initializer(g.Graph, "e", [3], 1), Int64Initializer(g.Graph, "a", [2], 1)]).Build(72);
        }, "node 1 'n1.Slice' (Slice): it slices a batch × C × H × W tensor with starts [0], ends [3], axes [2], steps [1]; the runtime's slice keeps a "
            + "range of the channels with step 1: one axis, 1 (or -3), step 1. Slice the channels only (x[:, a:b]), or compute the part another way."),
        ["a slice of every other channel"] = (() =>
        {
            var g = new GraphBuilder([4, 6, 6], opset: 13);
            g.Then("Conv", [g.Weights("w", [4, 4, 1, 1])]);
            return g.Then("Slice", [Int64Initializer(g.Graph, "s", [0], 1), Int64Initializer(g.Graph, "e", [4], 1), Int64Initializer(g.Graph, "a", [1], 1),
                Int64Initializer(g.Graph, "st", [2], 1)]).Build(72);
        }, "with starts [0], ends [4], axes [1], steps [2]; the runtime's slice keeps a range of the channels with step 1"),
        ["an empty slice"] = (() =>
        {
            var g = new GraphBuilder([4, 6, 6], opset: 13);
            g.Then("Conv", [g.Weights("w", [4, 4, 1, 1])]);
            return g.Then("Slice", [Int64Initializer(g.Graph, "s", [3], 1), Int64Initializer(g.Graph, "e", [-2], 1), Int64Initializer(g.Graph, "a", [1], 1)]).Build(72);
        }, "(Slice): it keeps channels 3 to 1 of 4: none; the runtime's slice keeps at least one."),
        ["a slice of a flattened channels-first image"] = (() =>
        {
            var g = new GraphBuilder([2, 3, 3], opset: 13);
            g.Then("Flatten");
            return g.Then("Slice", [Int64Initializer(g.Graph, "s", [0], 1), Int64Initializer(g.Graph, "e", [9], 1), Int64Initializer(g.Graph, "a", [1], 1)]).Build(9);
        }, "(Slice): it takes part of 18, which ONNX holds in another order than the runtime (a flattened channels-first image"),
        ["a mean over the channels"] = (() =>
        {
            var g = new GraphBuilder([4, 6, 6], opset: 13);
            return g.Then("Conv", [g.Weights("w", [4, 4, 1, 1])]).Then("ReduceMean", Ints("axes", 1), Int("keepdims", 0)).Build(36);
        }, "node 1 'n1.ReduceMean' (ReduceMean): it averages a batch × C × H × W image along axes [1]; the runtime averages each channel over the "
            + "image (an average pooling): axes 2 and 3 (x.mean([2, 3])) only."),
        ["a mean over every axis"] = (() =>
        {
            var g = new GraphBuilder([4, 6, 6], opset: 13);
            return g.Then("Conv", [g.Weights("w", [4, 4, 1, 1])]).Then("ReduceMean", Int("keepdims", 0)).Build(1);
        }, "node 1 'n1.ReduceMean' (ReduceMean): it gives no axes, so it averages every axis, the batch and the channels too, to one number; "
            + "the runtime averages each channel over the image (an average pooling): give axes 2 and 3 (x.mean([2, 3]))."),
        ["a Split with a part no node reads"] = (() =>
        {
            // x1, x2 = x.chunk(2, dim=1) as other exporters write it (a Split), x1 left unused.
            var g = new GraphBuilder([4, 6, 6], opset: 13);
            string x = g.Then("Conv", [g.Weights("w", [4, 4, 1, 1])]).Current;
            g.Graph.Node.Add(Split(x, g.Int64Constant("split", [2, 2], 2), Int("axis", 1)));
            return g.From("x2").Then("Relu").Build(72);
        }, "node 2 '/Split' (Split): its output 'x1' is read by no node; the runtime's slices are read, each part a path that an Add or a Concat joins"),
        // A security trial's parts of 2⁶² each overflowed their sum (an internal error, exit code 70).
        ["a Split into parts whose sum overflows"] = (() =>
        {
            var g = new GraphBuilder([4, 6, 6], opset: 13);
            string x = g.Then("Conv", [g.Weights("w", [4, 4, 1, 1])]).Current;
            g.Graph.Node.Add(Split(x, g.Int64Constant("split", [1L << 62, 1L << 62], 2), Int("axis", 1)));
            string top = g.From("x1").Then("Relu").Current;
            return g.From("x2").Then("Concat", [top], Int("axis", 1)).Build(144);
        }, "node 2 '/Split' (Split): it splits 4 channels into parts of [4611686018427387904, 4611686018427387904] for its 2 outputs; the parts must be "
            + "positive, one per output, and add up to the channels."),
        ["a Split along the height"] = (() =>
        {
            var g = new GraphBuilder([4, 6, 6], opset: 13);
            string x = g.Then("Conv", [g.Weights("w", [4, 4, 1, 1])]).Current;
            g.Graph.Node.Add(Split(x, g.Int64Constant("split", [3, 3], 2), Int("axis", 2)));
            string top = g.From("x1").Then("Relu").Current;
            return g.From("x2").Then("Concat", [top], Int("axis", 1)).Build(144);
        }, "node 2 '/Split' (Split): it splits a batch × C × H × W tensor along axis 2; the runtime's slice keeps a range of the channels: axis 1 (or -3)."),
        ["a residual Add of two shapes (broadcast)"] = (() =>
        {
            var g = new GraphBuilder([4, 5, 5]);
            g.Then("Conv", [g.Weights("w", [4, 4, 3, 3])], Ints("pads", 1, 1, 1, 1));
            string image = g.Current;
            return g.Then("GlobalAveragePool").Residual(image).Then("Flatten").Build(100);
        }, "node 2 'n2.Add' (Add): it adds 'n0.Conv' (batch × 4 × 5 × 5) to 'n1.GlobalAveragePool' (batch × 4 × 1 × 1): ONNX broadcasts tensors of "
            + "different shapes, but the runtime's Add takes two of the same shape"),
        ["a Sum of three computed tensors"] = (() =>
        {
            var g = Mlp().Then("Relu");
            string first = g.Current;
            g.Then("Gemm", [g.Weights("w2", [10, 10])]).Then("Relu");
            string second = g.Current;
            return g.Then("Gemm", [g.Weights("w3", [10, 10])]).Then("Sum", [first, second]).Build(10);
        }, "(Sum): it adds 3 computed tensors (n4.Gemm, n1.Relu, n3.Relu); the runtime's Add adds one earlier activation to the chain's tensor: "
            + "write it as Adds of two tensors ((a + b) + c)."),
        ["a Sum with a constant"] = (() =>
        {
            var g = Mlp();
            return g.Then("Sum", [g.Weights("c", [10])]).Build(10);
        }, "(Sum): a Sum is read only as a residual connection: two computed tensors, the chain's and an earlier one; this one has 2 inputs, 1 of them computed."),
        ["a tensor added to itself"] = (() =>
        {
            var g = Mlp().Then("Relu");
            return g.Residual(g.Current).Build(10);
        }, "(Add): it adds 'n1.Relu' to itself; a residual connection adds an earlier tensor of the chain."),
        ["a residual Add across an Identity only"] = (() =>
        {
            var g = Mlp().Then("Relu");
            string relu = g.Current;
            return g.Then("Identity").Residual(relu).Build(10);
        }, "'n1.Relu' and 'n2.Identity' are the same tensor (only nodes that make no runtime layer between them"),
        ["a skip from the normalized input"] = (() =>
        {
            var g = new GraphBuilder([10]);
            g.Then("Sub", [Initializer(g.Graph, "mean", [0.5f])]);
            string normalized = g.Current;
            return g.Then("Gemm", [g.Weights("w", [10, 10])]).Then("Relu").Residual(normalized).Build(10);
        }, "its skip input 'n0.Sub' is the input under a normalization that the import folds into the first Gemm, MatMul or Conv"),
        ["a skip from a flattened channels-first image"] = (() =>
        {
            var g = new GraphBuilder([2, 3, 3]);
            string flat = g.Then("Flatten").Current;
            return g.Then("Gemm", [g.Weights("w", [18, 18])]).Residual(flat).Build(18);
        }, "its skip input 'n0.Flatten' is a flattened channels-first image, whose elements ONNX orders (c, h, w) and the runtime (h, w, c)"),
        ["a residual Add of images transposed to channels-last"] = (() =>
        {
            var g = new GraphBuilder([2, 3, 3]);
            string transposed = g.Then("Conv", [g.Weights("w", [2, 2, 1, 1])]).Then("Transpose", Ints("perm", 0, 2, 3, 1)).Current;
            return g.Then("Relu").Residual(transposed).Then("Flatten").Build(18);
        }, "node 3 'n3.Add' (Add): its input 'n2.Relu' is an image after a Transpose to channels-last, which ONNX holds (h, w, c)"),
        ["a skip from before a batch normalization"] = (() =>
        {
            var g = new GraphBuilder([4, 5, 5]);
            string conv = g.Then("Conv", [g.Weights("w", [4, 4, 3, 3])], Ints("pads", 1, 1, 1, 1)).Current;
            g.Then("BatchNormalization", [g.Weights("s", [4]), g.Weights("b", [4]), g.Weights("m", [4]), g.Weights("v", [4], positive: true)]);
            return g.Then("Relu").Residual(conv).Then("Flatten").Build(100);
        }, "(BatchNormalization): only a batch normalization right after a Gemm, MatMul or Conv is supported (it is folded into that layer); its "
            + "input 'n0.Conv' is also read by a residual Add, a Concat or another node, so it must stay the output of the layer before it"),
        // Clip is read only as ReLU6 (0, 6) or a ReLU (0, +∞): the runtime has no other clamp.
        ["Clip(0, 1) from initializers"] = (() =>
        {
            var g = Mlp();
            return g.Then("Clip", [Initializer(g.Graph, "min", [0f]), Initializer(g.Graph, "max", [1f])]).Build(10);
        }, "node 1 'n1.Clip' (Clip): Clip(0, 1) has no runtime layer; only Clip(0, 6) (ReLU6) is supported"),
        ["Clip(-1, 1) from attributes (nn.Hardtanh before opset 11)"] = (() =>
            Mlp(opset: 10).Then("Clip", Float("min", -1), Float("max", 1)).Build(10), "node 1 'n1.Clip' (Clip): Clip(-1, 1) has no runtime layer"),
        ["Clip(−∞, 6): a max without a min"] = (() =>
        {
            var g = Mlp();
            return g.Then("Clip", ["", Initializer(g.Graph, "max", [6f])]).Build(10);
        }, "Clip(-∞, 6) has no runtime layer; only Clip(0, 6) (ReLU6) is supported"),
        ["Clip(0, 6) as attributes in opset 13"] = (() => Mlp().Then("Clip", Float("min", 0), Float("max", 6)).Build(10),
            "(Clip): it gives min as an attribute; at opset 13, the model's, Clip takes (input, min?, max?), and (input) before opset 11, min an input "
            + "(an attribute before opset 11)."),
        ["a Clip bound of two values"] = (() =>
        {
            var g = Mlp();
            return g.Then("Clip", [Initializer(g.Graph, "min", [0f, 0f], 2), Initializer(g.Graph, "max", [6f])]).Build(10);
        }, "its min has 2 values; a Clip's bound is one value"),
        ["gemm alpha"] = (() =>
        {
            var g = new GraphBuilder([4]);
            return g.Then("Gemm", [g.Weights("w", [4, 2])], Float("alpha", 2)).Build(2);
        }, "alpha must be 1"),
        ["weights computed"] = (() =>
        {
            var g = new GraphBuilder([4]);
            return g.Then("MatMul", ["x"]).Build(4);
        }, "is computed in the graph"),
        ["wrong input width"] = (() =>
        {
            var g = new GraphBuilder([4]);
            return g.Then("MatMul", [g.Weights("w", [5, 2])]).Build(2);
        }, "the input has 4"),
        ["grouped convolution"] = (() =>
        {
            var g = new GraphBuilder([4, 5, 5]);
            return g.Then("Conv", [g.Weights("w", [4, 2, 3, 3])], Int("group", 2)).Then("Flatten").Build(36);
        }, "node 0 'n0.Conv' (Conv): a grouped convolution (group 2 over 4 input channels, 4 output channels) is not supported; this runtime supports "
            + "group 1 (an ordinary convolution) or a depthwise convolution (group = input channels = output channels, a depth multiplier of 1)."),
        ["depth multiplier 2"] = (() =>
        {
            var g = new GraphBuilder([3, 5, 5]);
            return g.Then("Conv", [g.Weights("w", [6, 1, 3, 3])], Int("group", 3)).Then("Flatten").Build(54);
        }, "(Conv): a depthwise convolution with depth multiplier 2 (group 3, 3 input channels, 6 output channels) is not supported; this runtime supports group 1"),
        ["a kernel that does not fit the group"] = (() =>
        {
            var g = new GraphBuilder([4, 5, 5]);
            return g.Then("Conv", [g.Weights("w", [4, 4, 3, 3])], Int("group", 4)).Then("Flatten").Build(36);
        }, "(Conv): the kernel is 4×4×3×3, which does not fit group 4 over 4 input channels: a Conv of group g over c channels to c_out has a c_out × c/g × k × k kernel"),
        ["int8 depthwise kernel"] = (() =>
        {
            var g = new GraphBuilder([2, 5, 5]);
            string w = Node(g.Graph, "DequantizeLinear", "w", [Int8Initializer(g.Graph, "w.q", new sbyte[18], 2, 1, 3, 3), Initializer(g.Graph, "w.s", [0.1f, 0.2f], 2)],
                Int("axis", 0));
            return g.Then("Conv", [w], Int("group", 2)).Then("Flatten").Build(18);
        }, "(Conv): the depthwise kernel is int8 behind a DequantizeLinear; the runtime keeps depthwise filters in f32"),
        ["dynamic reshape"] = (() =>
        {
            var g = new GraphBuilder([1, 4, 4]);
            string shape = Node(g.Graph, "Shape", "shape", ["x"]);
            return g.Then("Reshape", [shape]).Build(16);
        }, "only a reshape to (batch, 16) is supported, written (0, -1), (0, 16) or (-1, 16), or x.size(0) for the batch; this one is to (batch, 1, 4, 4)"),
        ["a shape-based reshape that is not a flatten"] = (() =>
        {
            var g = new GraphBuilder([2, 4, 4]);
            return g.Then("Reshape", [g.TorchViewShape([-1, 2])]).Build(16);
        }, "(Reshape): only a reshape to (batch, 32) is supported, written (0, -1), (0, 32) or (-1, 32), or x.size(0) for the batch; this one is to (batch, -1, 2)"),
        ["x.reshape(x.shape[0], n) of another size"] = (() =>
        {
            var g = new GraphBuilder([2, 4, 4]);
            return g.Then("Reshape", [g.TorchViewShape([20])]).Build(20);
        }, "this one is to (batch, 20)"),
        ["a reshape to x.size(1) rows"] = (() =>
        {
            var g = new GraphBuilder([2, 4, 4]);
            return g.Then("Reshape", [g.TorchViewShape([-1], index: 1)]).Build(16);
        }, "this one is to (2, -1)"),
        ["the shape of a weight"] = (() =>
        {
            var g = new GraphBuilder([2, 4, 4]);
            return g.Then("Reshape", [g.TorchViewShape([-1], of: g.Weights("w", [3, 2]))]).Build(32);
        }, "(Shape): it takes the shape of 'w', not of the tensor the chain is at ('x'); only the shape of the tensor a Reshape flattens is read; export with torch.flatten(x, 1)"),
        ["the shape of the input after a layer"] = (() =>
        {
            var g = new GraphBuilder([2, 4, 4]);
            g.Then("Relu");
            return g.Then("Reshape", [g.TorchViewShape([-1], of: "x")]).Build(32);
        }, "(Shape): it takes the shape of 'x', not of the tensor the chain is at ('n0.Relu')"),
        ["a shape cast to float"] = (() =>
        {
            var g = new GraphBuilder([4]);
            string shape = Node(g.Graph, "Shape", "shape", ["x"]);
            return g.Then("Reshape", [Node(g.Graph, "Cast", "cast", [shape], Int("to", 1))]).Build(4);
        }, "(Cast): only a Cast of a shape to int64"),
        ["a reshape to a computed tensor"] = (() =>
        {
            var g = new GraphBuilder([4]);
            return g.Then("Reshape", ["x"]).Build(4);
        }, "(Reshape): its input 'x' is computed in the graph, neither a constant nor from the tensor's shape (x.size(…))"),
        ["a shape in arithmetic"] = (() =>
        {
            var g = new GraphBuilder([4]);
            return g.Then("Mul", [Node(g.Graph, "Shape", "shape", ["x"])]).Build(4);
        }, "(Mul): it computes with a shape and 'x', which is neither a shape nor an int64 constant"),
        ["reshape to an image"] = (() =>
        {
            var g = new GraphBuilder([16]);
            return g.Then("Reshape", [Int64Initializer(g.Graph, "s", [-1, 1, 4, 4], 4)]).Build(16);
        }, "only a reshape to (batch, 16)"),
        ["ends on an image"] = (() =>
        {
            var g = new GraphBuilder([1, 4, 4]);
            return g.Then("Relu").Build(16);
        }, "ends on an image"),
        ["quantized activations"] = (() =>
        {
            var g = new GraphBuilder([4]);
            return g.Then("QuantizeLinear", [Initializer(g.Graph, "s", [0.1f])]).Build(4);
        }, "quantized activations are imported only in quantize_dynamic's form of a matrix product"),
        ["uint8 weights"] = (() =>
        {
            var g = new GraphBuilder([4]);
            var q = new TensorProto { Name = "w.q", DataType = (int)TensorProto.Types.DataType.Uint8, RawData = ByteString.CopyFrom(new byte[8]) };
            q.Dims.AddRange([4L, 2]);
            g.Graph.Initializer.Add(q);
            string w = Node(g.Graph, "DequantizeLinear", "w", ["w.q", Initializer(g.Graph, "w.s", [0.1f])]);
            return g.Then("MatMul", [w]).Build(2);
        }, "zero point 0 (symmetric)"),
        ["scales per row"] = (() =>
        {
            var g = new GraphBuilder([4]);
            string w = Node(g.Graph, "DequantizeLinear", "w", [Int8Initializer(g.Graph, "w.q", new sbyte[8], 4, 2), Initializer(g.Graph, "w.s", [0.1f, 0.2f, 0.3f, 0.4f], 4)], Int("axis", 0));
            return g.Then("MatMul", [w]).Build(2);
        }, "one scale per output (axis 1, 2 scales)"),
        ["external data"] = (() =>
        {
            var g = new GraphBuilder([4]);
            var w = new TensorProto { Name = "w", DataType = (int)TensorProto.Types.DataType.Float, DataLocation = TensorProto.Types.DataLocation.External };
            w.Dims.AddRange([4L, 2]);
            g.Graph.Initializer.Add(w);
            return g.Then("MatMul", ["w"]).Build(2);
        }, "external data"),
        ["damaged tensor"] = (() =>
        {
            var g = new GraphBuilder([4]);
            string w = g.Weights("w", [4, 2]);
            g.Graph.Initializer[^1].Dims[0] = 5;
            return g.Then("MatMul", [w]).Build(2);
        }, "has 8 values for its dimensions 5×2"),
        // A model exported after .double(): the message said "not a float tensor", naming neither the type nor what to do.
        ["a float64 input"] = (() => WithInputType(TensorProto.Types.DataType.Double),
            "the graph's input 'x' is float64 (ONNX's DOUBLE, 11); the runtime takes float32 inputs and computes in float32. Export the model in float32: "
            + "in PyTorch, model.float() before torch.onnx.export, with a float32 example input (torch.float32)."),
        ["a float16 input"] = (() => WithInputType(TensorProto.Types.DataType.Float16), "the graph's input 'x' is float16 (ONNX's FLOAT16, 10); "
            + "the runtime takes float32 inputs and computes in float32. Export the model in float32: in PyTorch, model.float()"),
        ["a bfloat16 input"] = (() => WithInputType(TensorProto.Types.DataType.Bfloat16), "the graph's input 'x' is bfloat16 (ONNX's BFLOAT16, 16);"),
        ["a uint8 input"] = (() => WithInputType(TensorProto.Types.DataType.Uint8), "the graph's input 'x' is uint8 (ONNX's UINT8, 2); the runtime takes "
            + "float32 inputs and computes in float32. Export the network with a float32 input and scale the pixels outside the graph (p / 255 for 8-bit images"),
        ["an int8 input"] = (() => WithInputType(TensorProto.Types.DataType.Int8), "the graph's input 'x' is int8 (ONNX's INT8, 3); the runtime takes"),
        ["an int64 input"] = (() => WithInputType(TensorProto.Types.DataType.Int64), "the graph's input 'x' is int64 (ONNX's INT64, 7); the runtime takes "
            + "float32 inputs and computes in float32. Export the network with a float32 input (torch.float32) of pixels."),
        ["an input of no element type"] = (() => WithInputType(TensorProto.Types.DataType.Undefined), "the graph's input 'x' is of no element type (ONNX's UNDEFINED, 0)"),
        ["an input of an element type unknown here"] = (() => WithInputType((TensorProto.Types.DataType)99),
            "the graph's input 'x' is of an element type this import does not know (ONNX data type 99, unknown here)"),
        ["float64 weights"] = (() => WithWeightType(TensorProto.Types.DataType.Double),
            "holds DOUBLE; expected FLOAT. Its values are float64 (ONNX's DOUBLE, 11); the runtime computes in float32: export the model after model.float()."),
        ["float16 weights"] = (() => WithWeightType(TensorProto.Types.DataType.Float16), "holds FLOAT16; expected FLOAT"),
        ["training dropout"] = (() =>
        {
            var g = Mlp();
            var mode = new TensorProto { Name = "mode", DataType = (int)TensorProto.Types.DataType.Bool, RawData = ByteString.CopyFrom([1]) };
            g.Graph.Initializer.Add(mode);
            return g.Then("Dropout", ["", "mode"]).Build(10);
        }, "training_mode must be a constant false"),
        ["batch norm alone"] = (() =>
        {
            var g = new GraphBuilder([1, 4, 4]);
            g.Then("Relu");
            return g.Then("BatchNormalization", [g.Weights("s", [1]), g.Weights("b", [1]), g.Weights("m", [1]), g.Weights("v", [1], positive: true)]).Build(16);
        }, "only a batch normalization right after a Gemm, MatMul or Conv"),
        ["unknown attribute"] = (() =>
        {
            var g = new GraphBuilder([1, 4, 4]);
            return g.Then("MaxPool", Ints("kernel_shape", 2, 2), Int("count_include_pad", 1)).Then("Flatten").Build(9);
        }, "the attribute 'count_include_pad' is not supported"),
        ["labels of another model"] = (() => Mlp().Build(10, model =>
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = "edgelowrank.producer", Value = "elr" });
            model.MetadataProps.Add(new StringStringEntryProto { Key = "edgelowrank.labels", Value = "[\"cat\",\"dog\"]" });
        }), "holds 2 labels for the model's 10 outputs"),
        ["unknown factorization"] = (() => Mlp().Build(10, model =>
            model.MetadataProps.Add(new StringStringEntryProto { Key = "edgelowrank.factorizations", Value = "qr" })), "names the method 'qr'"),
        ["padding as large as the kernel"] = (() =>
        {
            var g = new GraphBuilder([1, 4, 4]);
            return g.Then("Conv", [g.Weights("w", [2, 1, 1, 1])], Ints("pads", 1, 1, 1, 1)).Then("Flatten").Build(72);
        }, "node 0 'n0.Conv' (Conv): The padding must be 0 to 0 on each side for a kernel of 1, not 1."),
        ["uneven padding as large as the kernel on one side"] = (() =>
        {
            var g = new GraphBuilder([1, 4, 4]);
            return g.Then("Conv", [g.Weights("w", [2, 1, 3, 3])], Ints("strides", 2, 2), Ints("pads", 0, 0, 3, 1)).Then("Flatten").Build(12);
        }, "node 0 'n0.Conv' (Conv): The padding must be 0 to 2 on each side for a kernel of 3, not top 0, left 0, bottom 3, right 1."),
        ["stride beyond the runtime's limit"] = (() =>
        {
            var g = new GraphBuilder([1, 4, 4]);
            return g.Then("Conv", [g.Weights("w", [2, 1, 1, 1])], Ints("strides", 1000, 1000)).Then("Flatten").Build(2);
        }, "(Conv): "),
        ["empty pooling window"] = (() =>
        {
            var g = new GraphBuilder([1, 4, 4]);
            return g.Then("MaxPool", Ints("kernel_shape", 0, 0)).Then("Flatten").Build(16);
        }, "a square kernel_shape of two positive values"),
        ["padded average pooling"] = (() =>
        {
            var g = new GraphBuilder([1, 4, 4]);
            return g.Then("AveragePool", Ints("kernel_shape", 2, 2), Ints("pads", 1, 1, 1, 1)).Then("Flatten").Build(25);
        }, "(AveragePool): padded average pooling is not supported: the runtime's average pooling never pads a window (only its max pooling does), "
            + "and the mean over a padded one depends on count_include_pad"),
        ["average pooling with auto_pad SAME"] = (() =>
        {
            var g = new GraphBuilder([1, 5, 5]);
            return g.Then("AveragePool", Ints("kernel_shape", 3, 3), String("auto_pad", "SAME_UPPER")).Then("Flatten").Build(25);
        }, "(AveragePool): padded average pooling is not supported"),
        ["dilated max pooling"] = (() =>
        {
            var g = new GraphBuilder([1, 8, 8]);
            return g.Then("MaxPool", Ints("kernel_shape", 3, 3), Ints("pads", 1, 1, 1, 1), Ints("dilations", 2, 2)).Then("Flatten").Build(16);
        }, "(MaxPool): dilated pooling is not supported"),
        ["max pooling padded as much as its window"] = (() =>
        {
            var g = new GraphBuilder([1, 4, 4]);
            return g.Then("MaxPool", Ints("kernel_shape", 2, 2), Ints("pads", 2, 2, 2, 2)).Then("Flatten").Build(49);
        }, "node 0 'n0.MaxPool' (MaxPool): The padding must be 0 to 1 on each side for a kernel of 2, not 2."),
        ["max pooling padded as much as its window after the image"] = (() =>
        {
            var g = new GraphBuilder([1, 4, 4]);
            return g.Then("MaxPool", Ints("kernel_shape", 2, 2), Ints("pads", 0, 0, 2, 1)).Then("Flatten").Build(16);
        }, "node 0 'n0.MaxPool' (MaxPool): The padding must be 0 to 1 on each side for a kernel of 2, not top 0, left 0, bottom 2, right 1."),
        ["ceil-mode average pooling"] = (() =>
        {
            var g = new GraphBuilder([1, 5, 5]);
            return g.Then("AveragePool", Ints("kernel_shape", 2, 2), Ints("strides", 2, 2), Int("ceil_mode", 1)).Then("Flatten").Build(9);
        }, "(AveragePool): ceil_mode 1 is not supported here: over the 5×5 image (height × width) it gives 3×3 windows"),
        ["oblong average pooling"] = (() =>
        {
            var g = new GraphBuilder([1, 4, 4]);
            return g.Then("AveragePool", Ints("kernel_shape", 2, 3)).Then("Flatten").Build(6);
        }, "(AveragePool): expected a square kernel_shape of two positive values"),
        ["global average of an oblong image"] = (() =>
        {
            var g = new GraphBuilder([2, 5, 7]);
            return g.Then("GlobalAveragePool").Then("Flatten").Build(2);
        }, "(GlobalAveragePool): GlobalAveragePool over a 5×7 image (height × width): the runtime's windows are square"),
        ["kernel_shape against the kernel"] = (() =>
        {
            var g = new GraphBuilder([1, 6, 6]);
            return g.Then("Conv", [g.Weights("w", [2, 1, 3, 3])], Ints("kernel_shape", 5, 5)).Then("Flatten").Build(32);
        }, "kernel_shape differs from the kernel's 2×1×3×3"),
        ["empty dilations"] = (() =>
        {
            var g = new GraphBuilder([1, 6, 6]);
            return g.Then("Conv", [g.Weights("w", [2, 1, 3, 3])], Ints("dilations")).Then("Flatten").Build(32);
        }, "the attribute 'dilations' has 0 values; expected 2"),
        ["attribute of another type"] = (() =>
        {
            var g = new GraphBuilder([4]);
            return g.Then("Gemm", [g.Weights("w", [4, 4])], Float("transB", 1)).Build(4);
        }, "the attribute 'transB' is FLOAT; expected INT"),
        ["node without output"] = (() =>
        {
            var g = Mlp();
            g.Graph.Node[0].Output.Clear();
            return g.Build(10);
        }, "the node has no output"),
        ["node whose output has no name"] = (() =>
        {
            var g = Mlp();
            g.Graph.Node[0].Output[0] = "";
            return g.Build(10);
        }, "the node's output has no name; the file is damaged"),
        ["input too large"] = (() => new GraphBuilder([3, 100000, 100000]).Then("Flatten").Build(10), "the graph's input 'x' is 3×100000×100000 per sample"),
        ["input dimension beyond int"] = (() => new GraphBuilder([1]).Then("Relu").Build(1, model =>
            model.Graph.Input[0].Type.TensorType.Shape.Dim[1].DimValue = (1L << 32) + 4), "a positive number"),
        ["zero dimension"] = (() =>
        {
            var g = new GraphBuilder([4]);
            string w = Initializer(g.Graph, "w", [], 4, 0);
            return g.Then("MatMul", [w]).Build(1);
        }, "has a dimension below 1 (4×0)"),
        ["dimensions that overflow"] = (() =>
        {
            var g = new GraphBuilder([4]);
            string w = Initializer(g.Graph, "w", new float[8], 4, (1L << 62) + 2);
            return g.Then("MatMul", [w]).Build(2);
        }, "more elements than a file holds"),
        ["int8 value out of range"] = (() =>
        {
            var g = new GraphBuilder([4]);
            var q = new TensorProto { Name = "w.q", DataType = (int)TensorProto.Types.DataType.Int8 };
            q.Dims.AddRange([4L, 2]);
            q.Int32Data.AddRange([200, 0, 0, 0, 0, 0, 0, 0]);
            g.Graph.Initializer.Add(q);
            string w = Node(g.Graph, "DequantizeLinear", "w", ["w.q", Initializer(g.Graph, "w.s", [0.1f])]);
            return g.Then("MatMul", [w]).Build(2);
        }, "holds 200"),
        ["raw data cut short"] = (() =>
        {
            var g = new GraphBuilder([4]);
            var w = new TensorProto { Name = "w", DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(new byte[33]) };
            w.Dims.AddRange([4L, 2]);
            g.Graph.Initializer.Add(w);
            return g.Then("MatMul", ["w"]).Build(2);
        }, "has 33 bytes for its dimensions 4×2"),
        ["null label"] = (() => Mlp().Build(10, model =>
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = "edgelowrank.producer", Value = "elr" });
            model.MetadataProps.Add(new StringStringEntryProto { Key = "edgelowrank.labels", Value = "[null,\"a\"]" });
        }), "not a JSON array of non-empty strings"),
        ["reshape to a fixed batch"] = (() =>
        {
            var g = new GraphBuilder([1, 4, 4]);
            return g.Then("Reshape", [Int64Initializer(g.Graph, "s", [5, -1], 2)]).Build(16);
        }, "written (0, -1), (0, 16) or (-1, 16)"),
        ["reshape to another batch than the input's"] = (() =>
        {
            var g = new GraphBuilder([1, 4, 4], fixedBatch: 1);
            return g.Then("Reshape", [Int64Initializer(g.Graph, "s", [5, -1], 2)]).Build(16);
        }, "or 1 (the batch size the graph's input states); this one is to (5, -1)"),
        ["bias of a higher rank"] = (() =>
        {
            var g = new GraphBuilder([4]);
            return g.Then("MatMul", [g.Weights("w", [4, 3])]).Then("Add", [g.Weights("b", [1, 1, 3])]).Build(3);
        }, "the bias is 1×1×3"),
        ["normalization before a pooling"] = (() =>
        {
            var g = new GraphBuilder([1, 4, 4]);
            return g.Then("Sub", [Initializer(g.Graph, "m", [0.5f])]).Then("MaxPool", Ints("kernel_shape", 2, 2)).Then("Flatten").Build(9);
        }, "comes between the input's normalization and the first Gemm, MatMul or Conv"),
        ["constant minus the input"] = (() =>
        {
            var g = new GraphBuilder([4]);
            string flipped = Node(g.Graph, "Sub", "flipped", [Initializer(g.Graph, "c", [1f]), "x"]);
            return g.Then("Identity").Build(4, model =>
            {
                model.Graph.Node[^1].Input[0] = flipped;   // the chain goes through the Sub
            });
        }, "only the input minus a constant"),
        ["division by zero"] = (() =>
        {
            var g = new GraphBuilder([4]);
            return g.Then("Div", [Initializer(g.Graph, "zero", [0f])]).Then("MatMul", [g.Weights("w", [4, 2])]).Build(2);
        }, "divides the input by 0"),
        ["a normalization per pixel before a padded convolution"] = (() =>
        {
            var g = new GraphBuilder([1, 4, 4]);
            return g.Then("Sub", [g.Weights("m", [1, 4, 4])]).Then("Conv", [g.Weights("w", [2, 1, 3, 3])], Ints("pads", 1, 1, 1, 1)).Then("Flatten").Build(32);
        }, "(Conv): the input's normalization differs from pixel to pixel; before a convolution only one per channel, or one for all, is supported."),
        ["a normalization per pixel before a convolution"] = (() =>
        {
            var g = new GraphBuilder([1, 4, 4]);
            return g.Then("Mul", [g.Weights("m", [1, 4, 4], positive: true)]).Then("Conv", [g.Weights("w", [2, 1, 3, 3])]).Then("Flatten").Build(8);
        }, "differs from pixel to pixel"),
        ["a normalization and nothing to absorb it"] = (() =>
        {
            var g = new GraphBuilder([4]);
            return g.Then("Mul", [Initializer(g.Graph, "s", [2f])]).Then("Softmax").Build(4);
        }, "comes between the input's normalization"),
        ["a normalization after the transpose"] = (() =>
        {
            var g = new GraphBuilder([2, 2, 2]);
            return g.Then("Transpose", Ints("perm", 0, 2, 3, 1)).Then("Sub", [Initializer(g.Graph, "m", [0.5f])]).Then("Flatten")
                .Then("MatMul", [g.Weights("w", [8, 2])]).Build(2);
        }, "a normalization after the transpose to channels-last is not supported"),
        ["a NaN in the normalization"] = (() =>
        {
            var g = new GraphBuilder([4]);
            return g.Then("Sub", [Initializer(g.Graph, "m", [float.NaN])]).Then("MatMul", [g.Weights("w", [4, 2])]).Build(2);
        }, "the input's normalization is not a finite number"),
        ["a constant of more dimensions than the input"] = (() =>
        {
            var g = new GraphBuilder([4]);
            return g.Then("Mul", [Initializer(g.Graph, "s", [2f], 1, 1, 1)]).Then("MatMul", [g.Weights("w", [4, 2])]).Build(2);
        }, "of more dimensions than the input's 2"),
        ["second output used"] = (() =>
        {
            var g = Mlp();
            var node = new NodeProto { OpType = "Dropout", Name = "drop" };
            node.Input.Add(g.Current);
            node.Output.AddRange(["dropped", "mask"]);
            g.Graph.Node.Add(node);
            return g.Then("Mul", ["mask"]).Build(10);
        }, "only the first output of a node"),
        // Format 1.9: the activations and squeeze-and-excitation gates of MobileNetV3 and EfficientNet.
        // Found by scripts/fuzz.sh onnx: a HardSigmoid's alpha mutated to NaN reached the layer's constructor (ArgumentOutOfRangeException,
        // elr's "internal error").
        ["HardSigmoid of NaN alpha"] = (() => Mlp().Then("HardSigmoid", Float("alpha", float.NaN)).Build(10),
            "node 1 'n1.HardSigmoid' (HardSigmoid): alpha NaN and beta 0.5 must be finite numbers"),
        ["LeakyRelu of NaN alpha"] = (() => Mlp().Then("LeakyRelu", Float("alpha", float.NaN)).Build(10),
            "node 1 'n1.LeakyRelu' (LeakyRelu): alpha NaN must be a finite number (ONNX's default is 0.01)"),
        ["x · HardSigmoid(x) with ONNX's default alpha"] = (() =>
        {
            var g = ImageConv();
            string x = g.Current, gate = g.Then("HardSigmoid").Current;
            return g.Of("Mul", [x, gate]).Then("GlobalAveragePool").Then("Flatten").Build(4);
        }, "node 2 'n2.Mul' (Mul): it multiplies 'n0.Conv' (batch × 4 × 6 × 6) by 'n1.HardSigmoid' (batch × 4 × 6 × 6); the runtime multiplies two "
            + "computed tensors only as x·σ(x) (SiLU: a Sigmoid whose output only that Mul reads), x·HardSigmoid(x) with alpha 1/6 and beta 0.5 (hardswish)"),
        ["a Mul of two images of one shape"] = (() =>
        {
            var g = ImageConv();
            string x = g.Current;
            return g.Then("Relu").Of("Mul", [x, g.Current]).Then("GlobalAveragePool").Then("Flatten").Build(4);
        }, "node 2 'n2.Mul' (Mul): it multiplies 'n0.Conv' (batch × 4 × 6 × 6) by 'n1.Relu' (batch × 4 × 6 × 6); the runtime multiplies two computed tensors "
            + "only as x·σ(x)"),
        ["x · σ(x) whose σ(x) another node reads too"] = (() =>
        {
            var g = ImageConv();
            string x = g.Current, sigmoid = g.Then("Sigmoid").Current;
            return g.Of("Mul", [x, sigmoid]).Residual(sigmoid).Then("GlobalAveragePool").Then("Flatten").Build(4);
        }, "node 2 'n2.Mul' (Mul): it multiplies 'n0.Conv' (batch × 4 × 6 × 6) by 'n1.Sigmoid' (batch × 4 × 6 × 6)"),
        ["σ(y) times another tensor of its shape"] = (() =>
        {
            var g = ImageConv();
            string x = g.Current, sigmoid = g.Then("Relu").Then("Sigmoid").Current;
            return g.Of("Mul", [x, sigmoid]).Then("GlobalAveragePool").Then("Flatten").Build(4);
        }, "node 3 'n3.Mul' (Mul): it multiplies 'n0.Conv' (batch × 4 × 6 × 6) by 'n2.Sigmoid' (batch × 4 × 6 × 6)"),
        ["a gate of one value per channel not unsqueezed"] = (() =>
        {
            var g = ImageConv();
            string x = g.Current;
            g.Then("GlobalAveragePool").Then("Flatten").Then("Gemm", [g.Weights("fc", [4, 4])]).Then("Sigmoid");
            return g.Of("Mul", [x, g.Current]).Then("GlobalAveragePool").Then("Flatten").Build(4);
        }, "by 'n4.Sigmoid' (batch × 4); the runtime multiplies two computed tensors only as x·σ(x) (SiLU: a Sigmoid whose output only that Mul reads), "
            + "x·HardSigmoid(x) with alpha 1/6 and beta 0.5 (hardswish), or as a squeeze-and-excitation gate: an earlier activation (batch × C × H × W, or "
            + "batch × C) times the chain's tensor, one value per channel (batch × C × 1 × 1, or batch × C), computed from it: the gate must be batch × 4 × 1 × 1"),
        ["a Mul of the chain's tensor by itself"] = (() =>
        {
            var g = ImageConv();
            return g.Of("Mul", [g.Current, g.Current]).Then("GlobalAveragePool").Then("Flatten").Build(4);
        }, "node 1 'n1.Mul' (Mul): it multiplies 'n0.Conv' by itself"),
        ["an Unsqueeze of an image"] = (() =>
        {
            var g = ImageConv();
            return g.Then("Unsqueeze", [Int64Initializer(g.Graph, "axes", [4], 1)]).Build(4);
        }, "(Unsqueeze): only an Unsqueeze of a vector (batch × C) at axes 2 and 3, to batch × C × 1 × 1 (a squeeze-and-excitation gate for a Mul with an "
            + "image), is supported; this one is of batch × 4 × 6 × 6 at axes (4)"),
        ["an Unsqueeze of a vector at axes 1 and 2"] = (() => UnsqueezedMlp(1, 2).Build(10), "is supported; this one is of batch × 10 at axes (1, 2)"),
        ["an unsqueezed vector read by a Relu"] = (() => UnsqueezedMlp(2, 3).Then("Relu").Build(10), "node 2 'n2.Relu' (Relu): it reads 'n1.Unsqueeze', a vector Unsqueezed to batch × C × 1 × 1, which is read only as a squeeze-and-excitation gate "
            + "by a Mul"),
        ["a graph ending on an unsqueezed vector"] = (() => UnsqueezedMlp(2, 3).Build(10), "the graph ends on 'n1.Unsqueeze', a vector Unsqueezed to batch × C × 1 × 1, which is read only as a gate by a Mul"),
        ["a mean over a 67×67 image"] = (() =>
        {
            var g = new GraphBuilder([1, 67, 67]);
            return g.Then("GlobalAveragePool").Then("Flatten").Build(1);
        }, "node 0 'n0.GlobalAveragePool' (GlobalAveragePool): a mean over a 67×67 image: the runtime's windows are at most 64 pixels wide, and 67 is no "
            + "product of two sides of at most 64"),
    };

    [Fact]
    public void ANormalizationThatDoesNotFitTheInputIsRefused()
    {
        byte[] onnx = Mlp().Build(10);

        // The caller's values, not the file, are wrong: elr names them as a command line to change (exit code 1, not 2).
        var e = Assert.Throws<InputNormalizationException>(() => OnnxImporter.Import(onnx, new InputNormalization([0.1f, 0.2f], [0.3f])));
        var zero = Assert.Throws<InputNormalizationException>(() => OnnxImporter.Import(onnx, new InputNormalization([0.1f], [0f])));
        var tiny = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(onnx, new InputNormalization([3e38f], [1e-3f])));

        Assert.Contains("gives 2 means for an input of 20 features", e.Message);
        Assert.Contains("standard deviations positive numbers", zero.Message);
        Assert.Contains("the input's normalization is not a finite number", tiny.Message);   // its shift, −3e41, held in single precision
    }

    [Fact]
    public void ASkipFromAnInputTheImportNormalizesIsRefused()
    {
        var g = new GraphBuilder([10]);
        byte[] onnx = g.Then("Gemm", [g.Weights("w", [10, 10])]).Then("Relu").Residual("x").Build(10);

        var e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(onnx, new InputNormalization([0.5f], [0.25f])));

        Assert.Contains("node 2 'n2.Add' (Add): its skip input 'x' is the input under a normalization that the import folds into the first Gemm", e.Message);
    }

    [Fact]
    public void ANormalizationCannotBeFoldedIntoInt8Weights()
    {
        var g = new GraphBuilder([4]);
        string w = Node(g.Graph, "DequantizeLinear", "w", [Int8Initializer(g.Graph, "w.q", new sbyte[8], 4, 2), Initializer(g.Graph, "w.s", [0.1f])]);
        byte[] onnx = g.Then("MatMul", [w]).Build(2);

        var e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(onnx, new InputNormalization([0.5f], [0.25f])));

        Assert.Contains("cannot be folded into int8 weights", e.Message);
    }

    /// <summary><see cref="Mlp"/>'s vector Unsqueezed at <paramref name="axes"/> (opset 13: an input).</summary>
    private static GraphBuilder UnsqueezedMlp(params long[] axes)
    {
        var g = Mlp();
        return g.Then("Unsqueeze", [Int64Initializer(g.Graph, "axes", axes, axes.Length)]);
    }

    /// <summary>A 3 × 6 × 6 image through a 3×3 Conv to 4 channels, padded to keep its size, to build on.</summary>
    private static GraphBuilder ImageConv(int opset = 13)
    {
        var g = new GraphBuilder([3, 6, 6], opset);
        return g.ConvBn("conv", [4, 3, 3, 3], relu: false, folded: true);
    }

    /// <summary>nn.GELU of <paramref name="g"/>'s tensor as torch.onnx.export writes it at opset 17: x / √2, Erf, + 1, x ·, · 0.5.</summary>
    private static GraphBuilder Gelu(GraphBuilder g)
    {
        string x = g.Current;
        string erf = g.Then("Div", [Initializer(g.Graph, "sqrt2", [1.4142135f])]).Then("Erf").Then("Add", [Initializer(g.Graph, "one", [1f])]).Current;
        return g.Of("Mul", [x, erf]).Then("Mul", [Initializer(g.Graph, "half", [0.5f])]);
    }

    /// <summary><see cref="Mlp"/> with its input declared of <paramref name="type"/>.</summary>
    private static byte[] WithInputType(TensorProto.Types.DataType type)
    {
        var g = Mlp();
        g.Graph.Input[0].Type.TensorType.ElemType = (int)type;
        return g.Build(10);
    }

    /// <summary>A 4 → 2 MatMul whose weight initializer is declared of <paramref name="type"/>.</summary>
    private static byte[] WithWeightType(TensorProto.Types.DataType type)
    {
        var g = new GraphBuilder([4]);
        string w = g.Weights("w", [4, 2]);
        g.Graph.Initializer[^1].DataType = (int)type;
        return g.Then("MatMul", [w]).Build(2);
    }

    /// <summary>A 20 → 10 Gemm to build on.</summary>
    private static GraphBuilder Mlp(int opset = 13)
    {
        var g = new GraphBuilder([20], opset);
        return g.Then("Gemm", [g.Weights("w", [20, 10]), g.Weights("b", [10])]);
    }

    /// <summary>A Split of <paramref name="x"/> into 'x1' and 'x2' with <paramref name="sizes"/> as its second input.</summary>
    private static NodeProto Split(string x, string sizes, params AttributeProto[] attributes)
    {
        var split = new NodeProto { OpType = "Split", Name = "/Split" };
        split.Input.AddRange([x, sizes]);
        split.Output.AddRange(["x1", "x2"]);
        split.Attribute.AddRange(attributes);
        return split;
    }
}
