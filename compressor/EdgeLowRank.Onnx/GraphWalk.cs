using EdgeLowRank.Runtime.Layers;
using Onnx;

namespace EdgeLowRank.Onnx;

/// <summary>
/// One pass over an ONNX graph's nodes in order, turning the chain from its input to its output into runtime layers
/// (<see cref="OnnxImporter"/> says which graphs). Constants, DequantizeLinear nodes over constants and Identity
/// nodes of weights are weights, and computations on the current tensor's shape (<see cref="ShapeValues"/>) are a
/// Reshape's shape, not steps. A residual Add joins the chain's tensor and an earlier one, a Concat stacks their channels
/// (<see cref="ConcatNodes"/>), and a node that reads an earlier tensor of the chain instead of the current one starts a
/// path with nodes of its own, which such a join ends: a Branch to that tensor's activation (<see cref="ResidualNodes"/>).
/// </summary>
internal sealed partial class GraphWalk
{
    private static string Supported => OperatorTable.Supported;

    private readonly GraphProto _graph;
    private readonly long _opset;
    private readonly IReadOnlySet<string>? _secondFactors; // the nodes an elr export wrote as second factors; null: another tool's file
    private readonly IReadOnlySet<string> _depthwise; // the Conv nodes an elr export wrote for depthwise layers
    private readonly GraphWeights _weights;
    private readonly ShapeValues _shapes;
    private readonly ResidualNodes _residuals;
    private readonly ActivationNodes _activations;
    private readonly ChannelShuffleNodes _shuffle = new();
    private readonly Dictionary<string, (string Source, ChannelSliceLayer Slice)> _splitParts = []; // a Split's later outputs no node has read yet
    private readonly HashSet<int> _dynamicParts = []; // the nodes after a product of a DynamicQuantizeLinear that its matrix layer took in
    private readonly Dictionary<int, (string Input, DynamicProductNodes.Pattern Product)> _dynamicProducts = []; // by MatMulInteger or ConvInteger
    private readonly long? _fixedBatch; // the batch size the graph was exported for, if its input states one
    private readonly List<Layer> _layers = [];
    private TensorShape _shape;   // the runtime shape of the current activation
    private string _current;      // the name of the current activation
    private TensorShape? _flattenedImage; // after a channels-first flatten, the image: ONNX's element order is not the runtime's
    private bool _channelsLast;   // the current image went through Transpose(0, 2, 3, 1)
    private bool _vectorAsImage;  // the current vector went through an Unsqueeze to N×C×1×1, as a gate for a ChannelScale
    private int[]? _squeezed;     // the current image went through a Squeeze to these ONNX dimensions after the batch, on its way to a vector
    private PadNodes.Fold? _pad;  // the current image is a Pad's output, whose zeros the Conv that reads it takes as its own padding
    private bool _open;           // the last layer made the current activation: a bias, batch norm or Relu may join it
    private bool _factorable;     // ... and is a plain linear map (no bias, no activation): a second linear map makes it factorized
    private bool _reluJoins;      // the last layer is a residual Add that a Relu may join (a bias or batch norm may not)
    private readonly bool _keepNormalization; // the file's own record: its normalization is the model's first layer, not to be folded
    private InputAffine? _normalization; // the input's normalization until the first matrix layer absorbs it or it is kept as a layer
    private double[]? _shiftOut;  // what that normalization's shift adds to the first layer's outputs, not yet in a bias: it
                                  // goes through the second factor if a factorized layer forms, else into the layer's own bias

    /// <param name="graph">The graph.</param>
    /// <param name="opset">Its default-domain operator set.</param>
    /// <param name="secondFactors">The nodes that complete a factorized layer, as an elr export records them; null for a
    /// file from another tool, where two linear maps in a row are one factorized layer when their inner size is below
    /// both outer ones (a real low-rank product).</param>
    /// <param name="depthwise">The Conv nodes an elr export recorded as depthwise layers (empty for another tool's file).</param>
    /// <param name="normalization">The mean and standard deviation the network was trained with outside its graph, per
    /// channel (or one for all), folded into its first matrix layer (or kept as a layer before it); null for none.</param>
    /// <param name="keepNormalization">Whether the input's normalization is to stay a layer of its own before the first layer
    /// even where that layer could absorb it: an elr export of a model whose first layer it was.</param>
    public GraphWalk(GraphProto graph, long opset, IReadOnlySet<string>? secondFactors, IReadOnlySet<string> depthwise, InputNormalization? normalization,
        bool keepNormalization = false)
    {
        _keepNormalization = keepNormalization;
        _graph = graph;
        _opset = opset;
        _secondFactors = secondFactors;
        _depthwise = depthwise;
        _weights = new GraphWeights(graph);
        _shapes = new ShapeValues(_weights);
        _activations = new ActivationNodes(graph);
        _residuals = new ResidualNodes(graph, _activations.EndsPair);
        var inputs = graph.Input.Where(i => !_weights.IsWeight(i.Name)).ToArray();
        if (inputs.Length != 1)
            throw new OnnxImportException($"the graph has {inputs.Length} inputs ({string.Join(", ", inputs.Select(i => i.Name))}); an image classifier has one.");
        if (graph.Output.Count != 1)
            throw new OnnxImportException($"the graph has {graph.Output.Count} outputs ({string.Join(", ", graph.Output.Select(o => o.Name))}); an image classifier has one.");
        _current = inputs[0].Name;
        _shape = InputShape = GraphInput.ShapeOf(inputs[0]);
        _fixedBatch = GraphInput.FixedBatch(inputs[0]);
        _normalization = new InputAffine(InputShape);
        if (normalization is not null) _normalization.Normalize(normalization);
        Reached();
    }

    /// <summary>One sample's shape, channels-last for an image.</summary>
    public TensorShape InputShape { get; }

    /// <summary>Whether the graph ended with a LogSoftmax, read as a Softmax: the model gives probabilities, exp of the
    /// graph's log-probabilities (the same class).</summary>
    public bool FinalLogSoftmaxReadAsSoftmax { get; private set; }

    /// <summary>The layers, factorized ones labelled with <paramref name="methods"/> when the file recorded one per such layer.</summary>
    public IReadOnlyList<Layer> Layers(IReadOnlyList<FactorizationMethod> methods)
    {
        UnsupportedOperators.Refuse(_graph);
        var used = _graph.Node.SelectMany(n => n.Input).Concat(_graph.Output.Select(o => o.Name)).ToHashSet();
        for (int i = 0; i < _graph.Node.Count; i++) Step(_graph.Node[i], i, used);
        string output = _graph.Output[0].Name;
        if (_shuffle.UnderWay) throw new OnnxImportException($"the graph ends on {_shuffle.Middle}: end it after the shuffle's Reshape back.");
        if (_vectorAsImage) throw new OnnxImportException($"the graph ends on '{_current}', a vector Unsqueezed to batch × C × 1 × 1, which is read only as a gate by a Mul.");
        if (_squeezed is not null) throw new OnnxImportException($"the graph ends on '{_current}', squeezed to {Squeezed}: squeeze it to a vector (batch × classes).");
        if (output != _current)
            throw new OnnxImportException($"the graph's output '{output}' is not the end of its chain of nodes ('{_current}'); branches are not supported.");
        if (_normalization is { IsIdentity: false })
            throw new OnnxImportException("the graph normalizes its input but has no Gemm, MatMul or Conv to absorb the normalization.");
        Settle();
        if (_flattenedImage is not null)
            throw new OnnxImportException("the graph ends on a flattened channels-first image, whose order the runtime does not keep; end it with a Gemm or MatMul.");
        if (ChannelsFirst.IsImage(_shape) && !_channelsLast)
            throw new OnnxImportException($"the graph ends on an image ({_shape}), not a vector of class scores; end it with Flatten and a Gemm or MatMul.");
        return Labelled(methods);
    }

    private void Step(NodeProto node, int index, HashSet<string> used)
    {
        var a = new NodeAttributes(node, index);
        // A node without outputs is refused before the walk (OnnxImporter); one whose output has no name is as damaged.
        if (node.Output[0].Length == 0)
            throw new OnnxImportException($"{a.Where}: the node's output has no name; the file is damaged.");
        if (node.Domain is not ("" or "ai.onnx"))
            throw new OnnxImportException($"{a.Where}: an operator of the domain '{node.Domain}' (a custom or runtime-specific operator); supported: {Supported}.");
        if (_dynamicParts.Contains(index)) return;   // read with the product before it
        if (_weights.TryAdd(node, a)) return;   // a Constant, a DequantizeLinear of weights or an Identity of a weight: not a step
        // In a channel shuffle, the shape of the current tensor (its groups) is none the import knows.
        if (node.OpType == "Shape") _shuffle.RequireNext(node, _current, a);
        // A computation on the shape of the current tensor (x.size(0)), in ONNX's order: the batch then C, H, W or H, W, C.
        if (_shapes.TryAdd(node, a, _current, OnnxDims)) return;
        _shuffle.RequireNext(node, _current, a);
        if (node.OpType == "DynamicQuantizeLinear")
        {
            DynamicQuantization(node, a);   // its products become layers where their MatMulInteger or ConvInteger comes
            return;
        }
        _dynamicProducts.TryGetValue(index, out var dynamic);
        // The tensors the node computes on: for an element-wise operator (a bias, a normalization, a residual Add) or a
        // Concat, its computed inputs; for a product of a DynamicQuantizeLinear, that node's input, which its layer quantizes;
        // for any other, its first input (the others are weights or shapes).
        string[] data = dynamic.Product is not null ? [dynamic.Input]
            : node.OpType is "Add" or "Sub" or "Mul" or "Div" or "Sum" or "Concat"
            ? node.Input.Where(i => i.Length > 0 && !_weights.IsWeight(i)).ToArray()
            : node.Input.Take(1).ToArray();
        if (!data.Contains(_current) && data.FirstOrDefault(_splitParts.ContainsKey) is { } part) SplitPart(part, index, a);
        if (!data.Contains(_current)) Branch(data, index, a);
        if (node.OpType == "Split")
        {
            SplitChannels(node, a, used);   // before its second output is refused
            return;
        }
        if (dynamic.Product is { } product)
        {
            DynamicProduct(product, a);
            return;
        }
        if (node.Output.Skip(1).FirstOrDefault(o => o.Length > 0 && used.Contains(o)) is { } extra)
            throw new OnnxImportException($"{a.Where}: its second output '{extra}' is used; only the first output of a node may be.");
        // The runtime's layers read a vector, not ONNX's N×C×1×1 of it: only a ChannelScale takes it as a gate of one value per channel.
        a.Require(!_vectorAsImage || ChannelScaleNodes.Reads(node, _weights), $"it reads '{_current}', a vector Unsqueezed to batch × C × 1 × 1, which is read "
            + "only as a squeeze-and-excitation gate by a Mul; compute on the vector before the Unsqueeze.");
        a.Require(_squeezed is null || node.OpType == "Squeeze", $"it reads '{_current}', squeezed to {Squeezed}, which the runtime has no tensor of and only "
            + "a Squeeze to a vector may read; squeeze the axes of size 1 in one Squeeze (x.squeeze((2, 3))), or flatten (torch.flatten(x, 1)).");
        switch (node.OpType)
        {
            case "Gemm": Gemm(node, a); break;
            case "MatMul": Matrix(node.Name, _weights.Of(node, 1, a), transposed: false, bias: null, a); break;
            case "Add" or "Sum" when ResidualNodes.Reads(node, _weights): Residual(node, a); break;
            case "Mul" when _activations.EndsPair(node): a.AllowOnly(); break;   // x·σ(x) or x·HardSigmoid(x): the gate's node made the layer
            case "Mul" when ChannelScaleNodes.Reads(node, _weights): Scale(node, a); break;
            case "Add" or "Sub" or "Mul" or "Div" when _layers.Count == 0: Normalization(node, a); break;
            case "Sub" or "Mul" or "Div": throw ArithmeticAfterTheFirstLayer(node, a);
            case "Add": Bias(node, a); break;
            case "Conv": Conv(node, a); break;
            case "Concat": foreach (ConcatLayer layer in ConcatNodes.Read(node, a, _current, _layers.Count, _shape, _residuals, _weights)) Add(layer); break;
            case "Slice": Add(ChannelSliceNodes.Read(node, a, _shapes, _shape, layoutKept: _flattenedImage is null && !_channelsLast)); break;
            case "BatchNormalization": BatchNormalization(node, a); break;
            case var op when PoolingNodes.Reads(op): Pool(op, a); break;
            case "ReduceMean": ReduceMean(node, a); break;
            case "Relu": a.AllowOnly(); Relu(); break;
            case "Clip": Clip(node, a); break;
            case "Tanh": a.AllowOnly(); Add(new TanhLayer()); break;
            case "Sigmoid": Add(_activations.Sigmoid(node, a)); break;
            case "HardSigmoid": Add(_activations.HardSigmoid(node, a)); break;
            case "HardSwish": a.AllowOnly(); Add(new HardSwishLayer()); break;
            case "LeakyRelu": Add(ActivationNodes.LeakyRelu(a)); break;
            case "Unsqueeze": Unsqueeze(node, a); break;
            case "Squeeze": Squeeze(node, a); break;
            case "Pad": Pad(node, a); break;
            case "Flatten": Flatten(a); break;
            case "Reshape": Reshape(node, a); break;
            case "Transpose": Transpose(a); break;
            case "Softmax": Softmax(a); break;
            case "Dropout": Dropout(node, a); break;
            case "Identity": break;
            case "LogSoftmax":
                // The runtime has no LogSoftmax. At the end of a classifier (PyTorch's MNIST example ends with log_softmax)
                // a Softmax gives the same class and exp of the same scores; anywhere else it would change what follows.
                a.Require(node.Output[0] == _graph.Output[0].Name,
                    "the runtime has no LogSoftmax; one at the end of the graph is read as a Softmax (the same class), but this one is not at the end.");
                Softmax(a);
                FinalLogSoftmaxReadAsSoftmax = true;
                break;
            case "QuantizeLinear" or "QLinearMatMul" or "QLinearConv" or "MatMulInteger" or "ConvInteger" or "DequantizeLinear":
                throw new OnnxImportException($"{a.Where}: quantized activations are imported only in quantize_dynamic's form of a matrix product or a convolution "
                    + "(DynamicQuantizeLinear, MatMulInteger or ConvInteger, Cast, Mul by the scales); import the float model, then quantize it with elr quantize (--activations dynamic).");
            default:
                throw new OnnxImportException($"{a.Where}: the operator {node.OpType} is not supported; supported: {Supported}.");
        }
        _current = node.Output[0];
        Reached();
    }

    /// <summary>The current tensor's dimensions after the batch as ONNX holds them: channels-first for an image not transposed to
    /// channels-last.</summary>
    private int[] OnnxDims => _squeezed ?? (_channelsLast ? _shape.Dimensions.ToArray() : ChannelsFirst.OnnxShape(_shape));

    /// <summary>"batch × 8 × 1": a tensor squeezed on its way to a vector, for messages.</summary>
    private string Squeezed => $"batch × {string.Join(" × ", _squeezed ?? [])}";

    /// <summary>A layer that no bias, batch norm or Relu joins.</summary>
    private void Add(Layer layer)
    {
        if (layer is not FlattenLayer && _normalization is { IsIdentity: false })
            throw new OnnxImportException($"layer {_layers.Count + 1} ({layer.Kind}) comes between the input's normalization and the first Gemm, MatMul or Conv, "
                + "which would absorb it; only a flatten may.");
        if (layer is not FlattenLayer) _normalization = null;
        Settle();
        _layers.Add(layer);
        UpdateShape();
        _open = _factorable = _reluJoins = false;
    }

    /// <summary>The current shape, from the input through every layer (the last may have been replaced by a factorized one;
    /// a Branch's output is an earlier activation's, so every activation's shape is kept on the way).</summary>
    private void UpdateShape()
    {
        var shapes = new TensorShape[_layers.Count + 1];
        shapes[0] = InputShape;
        for (int i = 0; i < _layers.Count; i++)
        {
            try
            {
                shapes[i + 1] = _layers[i].GetOutputShape(shapes.AsSpan(0, i + 1));
            }
            catch (ArgumentException e)
            {
                throw new OnnxImportException($"layer {i + 1} ({_layers[i].Kind}) does not fit its input {shapes[i]}: {e.Message}");
            }
        }
        _shape = shapes[^1];
    }

    private IReadOnlyList<Layer> Labelled(IReadOnlyList<FactorizationMethod> methods)
    {
        if (methods.Count != _layers.Count(l => l is FactorizedDenseLayer or FactorizedConv2dLayer)) return _layers;
        int next = 0;
        return _layers.Select(l => l switch
        {
            FactorizedDenseLayer f => new FactorizedDenseLayer(f.First, f.Second, f.Bias, f.Activation, methods[next++], f.InputQuantization),
            FactorizedConv2dLayer f => new FactorizedConv2dLayer(f.First, f.Second, f.Bias, f.InputChannels, f.Geometry, f.Activation, methods[next++],
                f.InputQuantization),
            _ => l,
        }).ToArray();
    }
}
