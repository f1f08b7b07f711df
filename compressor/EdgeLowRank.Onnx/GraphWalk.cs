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
internal sealed class GraphWalk
{
    private const string Supported = "Gemm, MatMul, Add (a bias, or a residual connection), Sum (a residual connection), Conv (group 1, or depthwise with a depth multiplier of 1), BatchNormalization, MaxPool, AveragePool, GlobalAveragePool (of a square image), Relu, Clip(0, 6) (ReLU6) or Clip(0, +∞) (a Relu), Concat (of computed tensors along the channels: paths joined), Slice (of the channels, step 1), Split (of the channels), a channel shuffle (Reshape into groups, Transpose, Reshape back), ReduceMean (over the height and width), Tanh, Sigmoid, Flatten, Reshape, Transpose (to channels-last), Softmax, LogSoftmax (at the end), Dropout, Identity, and Sub, Div, Mul or Add of a constant before the first layer";

    private readonly GraphProto _graph;
    private readonly long _opset;
    private readonly IReadOnlySet<string>? _secondFactors; // the nodes an elr export wrote as second factors; null: another tool's file
    private readonly IReadOnlySet<string> _depthwise; // the Conv nodes an elr export wrote for depthwise layers
    private readonly GraphWeights _weights;
    private readonly ShapeValues _shapes;
    private readonly ResidualNodes _residuals;
    private readonly ChannelShuffleNodes _shuffle = new();
    private readonly Dictionary<string, (string Source, ChannelSliceLayer Slice)> _splitParts = []; // a Split's later outputs no node has read yet
    private readonly long? _fixedBatch; // the batch size the graph was exported for, if its input states one
    private readonly List<Layer> _layers = [];
    private TensorShape _shape;   // the runtime shape of the current activation
    private string _current;      // the name of the current activation
    private int[]? _rowOrder;     // after a channels-first flatten: ONNX element j lies at runtime index _rowOrder[j]
    private bool _channelsLast;   // the current image went through Transpose(0, 2, 3, 1)
    private bool _open;           // the last layer made the current activation: a bias, batch norm or Relu may join it
    private bool _factorable;     // ... and is a plain linear map (no bias, no activation): a second linear map makes it factorized
    private bool _reluJoins;      // the last layer is a residual Add that a Relu may join (a bias or batch norm may not)
    private InputAffine? _normalization; // the input's normalization until the first matrix layer absorbs it
    private double[]? _shiftOut;  // what that normalization's shift adds to the first layer's outputs, not yet in a bias: it
                                  // goes through the second factor if a factorized layer forms, else into the layer's own bias

    /// <param name="graph">The graph.</param>
    /// <param name="opset">Its default-domain operator set.</param>
    /// <param name="secondFactors">The nodes that complete a factorized layer, as an elr export records them; null for a
    /// file from another tool, where two linear maps in a row are one factorized layer when their inner size is below
    /// both outer ones (a real low-rank product).</param>
    /// <param name="depthwise">The Conv nodes an elr export recorded as depthwise layers (empty for another tool's file).</param>
    /// <param name="normalization">The mean and standard deviation the network was trained with outside its graph, per
    /// channel (or one for all), folded into its first matrix layer; null for none.</param>
    public GraphWalk(GraphProto graph, long opset, IReadOnlySet<string>? secondFactors, IReadOnlySet<string> depthwise, InputNormalization? normalization)
    {
        _graph = graph;
        _opset = opset;
        _secondFactors = secondFactors;
        _depthwise = depthwise;
        _weights = new GraphWeights(graph);
        _shapes = new ShapeValues(_weights);
        _residuals = new ResidualNodes(graph);
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
        var used = _graph.Node.SelectMany(n => n.Input).Concat(_graph.Output.Select(o => o.Name)).ToHashSet();
        for (int i = 0; i < _graph.Node.Count; i++) Step(_graph.Node[i], i, used);
        string output = _graph.Output[0].Name;
        if (_shuffle.UnderWay) throw new OnnxImportException($"the graph ends on {_shuffle.Middle}: end it after the shuffle's Reshape back.");
        if (output != _current)
            throw new OnnxImportException($"the graph's output '{output}' is not the end of its chain of nodes ('{_current}'); branches are not supported.");
        if (_normalization is { IsIdentity: false })
            throw new OnnxImportException("the graph normalizes its input but has no Gemm, MatMul or Conv to absorb the normalization.");
        Settle();
        if (_rowOrder is not null)
            throw new OnnxImportException("the graph ends on a flattened channels-first image, whose order the runtime does not keep; end it with a Gemm or MatMul.");
        if (ChannelsFirst.IsImage(_shape) && !_channelsLast)
            throw new OnnxImportException($"the graph ends on an image ({_shape}), not a vector of class scores; end it with Flatten and a Gemm or MatMul.");
        return Labelled(methods);
    }

    private void Step(NodeProto node, int index, HashSet<string> used)
    {
        var a = new NodeAttributes(node, index);
        if (node.Output.Count == 0 || node.Output[0].Length == 0)
            throw new OnnxImportException($"{a.Where}: the node has no output; the file is damaged.");
        if (node.Domain is not ("" or "ai.onnx"))
            throw new OnnxImportException($"{a.Where}: an operator of the domain '{node.Domain}' (a custom or runtime-specific operator); supported: {Supported}.");
        if (_weights.TryAdd(node, a)) return;   // a Constant, a DequantizeLinear of weights or an Identity of a weight: not a step
        // In a channel shuffle, the shape of the current tensor (its groups) is none the import knows.
        if (node.OpType == "Shape") _shuffle.RequireNext(node, _current, a);
        // A computation on the shape of the current tensor (x.size(0)), in ONNX's order: the batch then C, H, W or H, W, C.
        if (_shapes.TryAdd(node, a, _current, _channelsLast ? _shape.Dimensions.ToArray() : ChannelsFirst.OnnxShape(_shape))) return;
        _shuffle.RequireNext(node, _current, a);
        // The tensors the node computes on: for an element-wise operator (a bias, a normalization, a residual Add) or a
        // Concat, its computed inputs; for any other, its first input (the others are weights or shapes).
        string[] data = node.OpType is "Add" or "Sub" or "Mul" or "Div" or "Sum" or "Concat"
            ? node.Input.Where(i => i.Length > 0 && !_weights.IsWeight(i)).ToArray()
            : node.Input.Take(1).ToArray();
        if (!data.Contains(_current) && data.FirstOrDefault(_splitParts.ContainsKey) is { } part) SplitPart(part, index, a);
        if (!data.Contains(_current)) Branch(data, index, a);
        if (node.OpType == "Split")
        {
            SplitChannels(node, a, used);   // before its second output is refused
            return;
        }
        if (node.Output.Skip(1).FirstOrDefault(o => o.Length > 0 && used.Contains(o)) is { } extra)
            throw new OnnxImportException($"{a.Where}: its second output '{extra}' is used; only the first output of a node may be.");
        switch (node.OpType)
        {
            case "Gemm": Gemm(node, a); break;
            case "MatMul": Matrix(node.Name, _weights.Of(node, 1, a), transposed: false, bias: null, a); break;
            case "Add" or "Sum" when ResidualNodes.Reads(node, _weights): Residual(node, a); break;
            case "Add" or "Sub" or "Mul" or "Div" when _layers.Count == 0: Normalization(node, a); break;
            case "Add": Bias(node, a); break;
            case "Conv": Conv(node, a); break;
            case "Concat": foreach (ConcatLayer layer in ConcatNodes.Read(node, a, _current, _layers.Count, _shape, _residuals, _weights)) Add(layer); break;
            case "Slice": Add(ChannelSliceNodes.Read(node, a, _shapes, _shape, layoutKept: _rowOrder is null && !_channelsLast)); break;
            case "BatchNormalization": BatchNormalization(node, a); break;
            case var op when PoolingNodes.Reads(op): Pool(op, a); break;
            case "ReduceMean": ReduceMean(node, a); break;
            case "Relu": a.AllowOnly(); Relu(); break;
            case "Clip": Clip(node, a); break;
            case "Tanh": a.AllowOnly(); Add(new TanhLayer()); break;
            case "Sigmoid": a.AllowOnly(); Add(new SigmoidLayer()); break;
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
            case "QuantizeLinear" or "DynamicQuantizeLinear" or "QLinearMatMul" or "QLinearConv" or "MatMulInteger" or "ConvInteger" or "DequantizeLinear":
                throw new OnnxImportException($"{a.Where}: quantized activations are not imported; import the float model, then quantize its weights with elr quantize.");
            default:
                throw new OnnxImportException($"{a.Where}: the operator {node.OpType} is not supported; supported: {Supported}.");
        }
        _current = node.Output[0];
        Reached();
    }

    /// <summary>A node whose <paramref name="data"/> inputs leave out the chain's tensor: the chain continues from the earlier
    /// tensor of the chain it reads (a shortcut with nodes of its own starts, or an Add of two such tensors reads one as the
    /// chain's), through a <see cref="BranchLayer"/> unless it is the same activation.</summary>
    private void Branch(string[] data, int index, NodeAttributes a)
    {
        string target = _residuals.BranchTarget(data, a)
            ?? throw new OnnxImportException($"{a.Where}: its input is not a tensor of the chain of nodes from the graph's input (the chain is at "
                + $"'{_current}'); only a chain of nodes is supported, with paths that Adds or Concats join: {ResidualNodes.Shortcuts}; {ConcatNodes.Joins}.");
        if (_residuals.Branch(target, _current, index, _layers.Count, a) is { } source) Add(new BranchLayer(source));
        _current = target;
        _rowOrder = null;        // a tensor the chain may continue from is an activation: neither a channels-first flatten ...
        _channelsLast = false;   // ... nor transposed to channels-last
    }

    /// <summary>A Split of the chain's tensor: the first output's slice now; each other output's slice where a node first
    /// reads it (<see cref="SplitPart"/>), since the chain holds one tensor at a time.</summary>
    private void SplitChannels(NodeProto node, NodeAttributes a, HashSet<string> used)
    {
        if (node.Output.FirstOrDefault(o => !used.Contains(o)) is { } unused)
            throw new OnnxImportException($"{a.Where}: its output '{unused}' is read by no node; the runtime's slices are read, each part a path that an "
                + $"Add or a Concat joins: {ConcatNodes.Joins}. Leave out the part, or slice only what is read (x[:, a:b], a Slice).");
        IReadOnlyList<ChannelSliceLayer> slices = ChannelSliceNodes.ReadSplit(node, a, _shapes, _shape, layoutKept: _rowOrder is null && !_channelsLast);
        for (int i = 1; i < slices.Count; i++) _splitParts[node.Output[i]] = (_current, slices[i]);
        Add(slices[0]);
        _current = node.Output[0];
        Reached();
    }

    /// <summary>A Split's later output <paramref name="part"/>, first read by node <paramref name="index"/>: a Branch back to
    /// the Split's input, then the part's slice, as two Slices of one tensor import.</summary>
    private void SplitPart(string part, int index, NodeAttributes a)
    {
        (string source, ChannelSliceLayer slice) = _splitParts[part];
        _splitParts.Remove(part);
        Branch([source], index, a);
        Add(slice);
        _current = part;
        Reached();
    }

    /// <summary>The chain is at <see cref="_current"/>. If a join (a residual Add, a Concat) or a second node (a path's first) reads that
    /// tensor, it must be an activation of the runtime model: the layer that made it is finished (no bias, batch norm, Relu
    /// or second factor joins it, so a Relu after it becomes a layer of its own), and the tensor is recorded as that
    /// activation, or with why it cannot be one.</summary>
    private void Reached()
    {
        if (!_residuals.IsShared(_current)) return;
        Settle();
        _open = _factorable = _reluJoins = false;
        string? notAnActivation = _shuffle.UnderWay ? $"{_shuffle.Middle}; read the tensor before the shuffle or after it"
            : _normalization is { IsIdentity: false }
            ? "the input under a normalization that the import folds into the first Gemm, MatMul or Conv (Sub, Div, Mul or Add of a constant in the "
                + "graph, or the mean and std given to the import): the runtime model takes the input unnormalized, so this tensor is none of its "
                + "activations; normalize the pixels before the network, or add the input as it comes"
            : _rowOrder is not null
                ? "a flattened channels-first image, whose elements ONNX orders (c, h, w) and the runtime (h, w, c); join (add or concatenate) the "
                    + "images before the flatten, or flatten after a Transpose to channels-last"
                : _channelsLast
                    ? "an image after a Transpose to channels-last, which ONNX holds (h, w, c) where the chain's other images are (c, h, w) (the "
                        + "import follows that layout only into a flatten); join the images before the Transpose"
                    : null;
        _residuals.Record(_current, _layers.Count, _shape, notAnActivation);
    }

    /// <summary>Why nothing may be folded into the layer before the current tensor when a residual Add or another node reads
    /// that tensor; empty otherwise.</summary>
    private string AlsoAnOperand() => _residuals.IsShared(_current)
        ? $"; its input '{_current}' is also read by a residual Add, a Concat or another node, so it must stay the output of the layer before it, and the "
            + "runtime has no layer that adds a bias or a batch normalization alone: let the join or the other path read the tensor after them"
        : "";

    /// <summary>A residual connection: the chain's tensor plus an earlier activation; a Relu after it joins it.</summary>
    private void Residual(NodeProto node, NodeAttributes a)
    {
        a.AllowOnly();
        Add(_residuals.Read(node, a, _current, _layers.Count, _weights));
        _reluJoins = true;
    }

    private void Gemm(NodeProto node, NodeAttributes a)
    {
        a.AllowOnly("alpha", "beta", "transA", "transB");
        a.Require(a.Float("alpha", 1) == 1 && a.Int("transA", 0) == 0, "alpha must be 1 and transA 0 (a layer's x·W + b).");
        bool hasBias = node.Input.Count > 2 && node.Input[2].Length > 0;
        a.Require(!hasBias || a.Float("beta", 1) == 1, "beta must be 1 (the bias added as it is).");
        Matrix(node.Name, _weights.Of(node, 1, a), a.Int("transB", 0) != 0, hasBias ? _weights.Of(node, 2, a) : null, a);
    }

    /// <summary>x·W (W of ONNX shape K×N, or N×K when <paramref name="transposed"/>) plus an optional bias: a dense layer,
    /// or the second factor of a factorized one when the layer before it is a plain linear map.</summary>
    private void Matrix(string nodeName, WeightTensor w, bool transposed, WeightTensor? bias, NodeAttributes a)
    {
        if (ChannelsFirst.IsImage(_shape))
            throw new OnnxImportException($"{a.Where}: its input is an image ({_shape}); put a Flatten before it.");
        a.Require(w.Dims.Length == 2, $"the weights are {w.Shape}; expected a matrix.");
        int rows = (int)w.Dims[transposed ? 1 : 0], columns = (int)w.Dims[transposed ? 0 : 1];
        a.Require(rows == _shape.ElementCount, $"the weights are {w.Shape}{(transposed ? " (transposed)" : "")}, for {rows} inputs; the input has {_shape.ElementCount}.");
        int[]? order = _rowOrder;
        T[] Arrange<T>(T[] values)
        {
            T[] kxn = transposed ? WeightTensor.Transposed(values, columns, rows) : values;
            return order is null ? kxn : ChannelsFirst.RowsInRuntimeOrder<T>(kxn, columns, order);
        }
        PackedMatrix matrix = w.ToMatrix(rows, columns, transposed ? 0 : 1, Arrange, Arrange, a.Where);
        ReadOnlyMemory<float> b = bias is null ? ReadOnlyMemory<float>.Empty : bias.ToBias(columns, image: false, a);
        double[]? shift = null;
        if (TakeNormalization() is { } normalization) (matrix, shift) = normalization.FoldDense(matrix, a.Where);
        if (_factorable && _layers[^1] is DenseLayer first && Completes(nodeName, first.Weights.Rows, first.Weights.Columns, columns))
            _layers[^1] = new FactorizedDenseLayer(first.Weights, matrix, ShiftedThrough(matrix, b), Activation.None, FactorizationMethod.None);
        else
        {
            Settle();
            _layers.Add(new DenseLayer(matrix, b));
        }
        _shiftOut = shift;
        _rowOrder = null;
        UpdateShape();
        Opened(plain: b.IsEmpty);
    }

    private void Bias(NodeProto node, NodeAttributes a)
    {
        a.Require(node.Input.Count == 2, "expected two inputs.");
        string other = node.Input[0] == _current ? node.Input[1] : node.Input[0];
        if (!_open || !_weights.IsWeight(other))
            throw new OnnxImportException($"{a.Where}: only the bias of the Gemm, MatMul or Conv before it can be added (an Add of a constant right after one){AlsoAnOperand()}.");
        Settle();
        Layer last = _layers[^1];
        int outputs = LayerEdits.Outputs(last);
        ReadOnlySpan<float> add = _weights.Of(other, a).ToBias(outputs, ChannelsFirst.IsImage(_shape), a).Span;
        ReadOnlySpan<float> old = LayerEdits.Bias(last).Span;
        var sum = new float[outputs];
        for (int j = 0; j < outputs; j++) sum[j] = (old.IsEmpty ? 0 : old[j]) + add[j];
        _layers[^1] = LayerEdits.With(last, sum);
        _factorable = false;
    }

    private void Conv(NodeProto node, NodeAttributes a)
    {
        a.AllowOnly("kernel_shape", "strides", "pads", "dilations", "group", "auto_pad");
        RequireChannelsFirstImage(a);
        WeightTensor w = _weights.Of(node, 1, a);
        a.Require(w.Dims.Length == 4 && w.Dims[2] == w.Dims[3], $"the kernel is {w.Shape}; expected c_out × c_in × k × k (square).");
        int outputs = (int)w.Dims[0], inputs = (int)w.Dims[1], k = (int)w.Dims[2];
        bool depthwise = DepthwiseNodes.IsDepthwise(a, w, _shape[2], _depthwise.Contains(node.Name));
        a.Require(depthwise || inputs == _shape[2], $"the kernel takes {inputs} channels; the input has {_shape[2]}.");
        ConvolutionGeometry geometry = a.ConvolutionWindow(k, w.Shape);
        ReadOnlyMemory<float> b = node.Input.Count > 2 && node.Input[2].Length > 0 ? _weights.Of(node, 2, a).ToBias(outputs, image: false, a) : ReadOnlyMemory<float>.Empty;
        if (depthwise)
        {
            Depthwise(DepthwiseNodes.Read(a, w, b, geometry), a);
            return;
        }
        T[] Arrange<T>(T[] kernel) => ChannelsFirst.KernelFromOnnx(kernel, inputs, k, outputs);
        PackedMatrix matrix = w.ToMatrix(k * k * inputs, outputs, 0, Arrange, Arrange, a.Where);
        double[]? shift = null;
        if (TakeNormalization() is { } normalization) (matrix, shift) = normalization.FoldConvolution(matrix, geometry.Padding, a.Where);
        if (_factorable && _layers[^1] is Conv2dLayer first && geometry == new ConvolutionGeometry(1)
            && Completes(node.Name, first.Weights.Rows, first.Weights.Columns, outputs))
            _layers[^1] = new FactorizedConv2dLayer(first.Weights, matrix, ShiftedThrough(matrix, b), first.InputChannels, first.Geometry, Activation.None,
                FactorizationMethod.None);
        else
        {
            Settle();
            _layers.Add(new Conv2dLayer(matrix, b, inputs, geometry));
        }
        _shiftOut = shift;
        UpdateShape();
        Opened(plain: b.IsEmpty);
    }

    /// <summary>A depthwise convolution: a bias, batch norm or Relu may join it, but it is no factor of a factorized layer.</summary>
    private void Depthwise(DepthwiseConv2dLayer layer, NodeAttributes a)
    {
        if (TakeNormalization() is not null)
            throw new OnnxImportException($"{a.Where}: the input's normalization would have to be folded into this depthwise convolution, which is not "
                + "supported; normalize the pixels before the network, or start it with an ordinary Conv, Gemm or MatMul.");
        Settle();
        _layers.Add(layer);
        UpdateShape();
        Opened(plain: false);
    }

    private void BatchNormalization(NodeProto node, NodeAttributes a)
    {
        a.AllowOnly("epsilon", "momentum", "spatial", "training_mode");
        a.Require(a.Int("training_mode", 0) == 0 && a.Int("spatial", 1) == 1, "only the inference form (training_mode 0, spatial 1) is supported.");
        if (!_open)
            throw new OnnxImportException($"{a.Where}: only a batch normalization right after a Gemm, MatMul or Conv is supported (it is folded into that layer){AlsoAnOperand()}.");
        a.Require(node.Input.Count == 5, "expected five inputs (X, scale, B, mean, var).");
        Settle();
        int channels = LayerEdits.Outputs(_layers[^1]);
        float[] Vector(int i, string role)
        {
            float[] v = _weights.Of(node.Input[i], a).RequireFloats(a.Where, role);
            return v.Length == channels ? v : throw new OnnxImportException($"{a.Where}: its {role} has {v.Length} values; the layer before it has {channels} outputs.");
        }
        float[] gamma = Vector(1, "scale"), beta = Vector(2, "bias"), mean = Vector(3, "mean"), variance = Vector(4, "variance");
        double epsilon = a.Float("epsilon", 1e-5f);
        var scale = new float[channels];
        var shift = new float[channels];
        for (int c = 0; c < channels; c++)
        {
            double s = gamma[c] / Math.Sqrt(variance[c] + epsilon);
            scale[c] = (float)s;
            shift[c] = (float)(beta[c] - mean[c] * s);
        }
        try
        {
            _layers[^1] = LayerEdits.WithAffine(_layers[^1], scale, shift);
        }
        catch (ArgumentException e)
        {
            throw new OnnxImportException($"{a.Where}: {e.Message}");
        }
        _factorable = false;
    }

    private void Pool(string op, NodeAttributes a)
    {
        RequireChannelsFirstImage(a);
        Add(PoolingNodes.Read(op, a, _shape));
    }

    /// <summary>x.mean([2, 3]): an average pooling over the whole image, then a flatten unless the node keeps the dimensions.</summary>
    private void ReduceMean(NodeProto node, NodeAttributes a)
    {
        RequireChannelsFirstImage(a);
        long?[]? axes = a.Ints("axes") is { } attribute ? attribute.Select(x => (long?)x).ToArray() : _shapes.Parameter(node, 1, a);
        (AvgPool2dLayer pool, bool keepsDims) = PoolingNodes.ReduceMean(a, axes, _shape);
        Add(pool);
        if (!keepsDims) FlattenCurrent();
    }

    private void Relu()
    {
        if (!_open && !_reluJoins)
        {
            Add(new ReluLayer());
            return;
        }
        Settle();
        _layers[^1] = LayerEdits.With(_layers[^1], Activation.Relu);
        _open = _factorable = _reluJoins = false;
    }

    /// <summary>ReLU6, a layer of its own (no layer fuses it), or a Relu for Clip(0, +∞).</summary>
    private void Clip(NodeProto node, NodeAttributes a)
    {
        if (ClipNodes.IsRelu6(node, a, _opset, _weights)) Add(new Relu6Layer());
        else Relu();
    }

    private void Flatten(NodeAttributes a)
    {
        a.AllowOnly("axis");
        a.Require(a.Int("axis", 1) == 1, "only axis 1 (batch × everything else) is supported.");
        FlattenCurrent();
    }

    private void Reshape(NodeProto node, NodeAttributes a)
    {
        a.AllowOnly("allowzero");
        long?[] shape = _shapes.ReshapeTarget(node, a);   // null: the batch size, as x.size(0) computed it
        long n = _shape.ElementCount;
        a.Require(a.Int("allowzero", 0) == 0, "allowzero must be 0 (a 0 in the shape copies that dimension).");
        if (_shuffle.UnderWay)
        {
            Add(_shuffle.Finish(shape, _shape, a, _fixedBatch));
            return;
        }
        // Groups of channels in ONNX's layout, the first step of a channel shuffle; not of a flattened or transposed image.
        if (_rowOrder is null && !_channelsLast && _shuffle.TryStart(shape, _shape, a, _fixedBatch))
        {
            Settle();
            _open = _factorable = _reluJoins = false;   // the shuffle's layer comes between the layer before and what follows
            return;
        }
        // The batch stays what it is: 0 copies it, −1 infers it, x.size(0) is it, and so is the batch size the graph was
        // exported for (without dynamic_axes, torch.onnx.export folds x.view(x.size(0), -1) into (1, −1) for a batch-1
        // example); any other fixed number would tie the model to one batch size.
        bool Batch(long? d) => d is null or 0 || d == _fixedBatch;
        bool flattens = shape.Length == 2 && (shape[1] == n && (Batch(shape[0]) || shape[0] == -1) || shape[1] == -1 && Batch(shape[0]));
        string exported = _fixedBatch is { } b ? $", or {b} (the batch size the graph's input states)" : "";
        string groups = ChannelsFirst.IsImage(_shape) ? $"(batch, g, {_shape[2]} / g, {_shape[0]}, {_shape[1]})" : $"(batch, g, {n} / g)";
        a.Require(flattens, $"only a reshape to (batch, {n}) is supported, written (0, -1), (0, {n}) or (-1, {n}), or x.size(0) for the batch{exported}; "
            + $"this one is to ({string.Join(", ", shape.Select(d => d?.ToString() ?? "batch"))}). A reshape into g ≥ 2 groups of channels {groups} is "
            + "read too, as the first step of a channel shuffle (then a Transpose of the groups and a Reshape back).");
        FlattenCurrent();
    }

    private void Transpose(NodeAttributes a)
    {
        if (_shuffle.UnderWay)
        {
            _shuffle.Transpose(a, _shape.Rank + 2);   // the batch, the groups and the sample's dimensions
            return;
        }
        a.AllowOnly("perm");
        a.Require(ChannelsFirst.IsImage(_shape) && !_channelsLast && (a.Ints("perm", 4) ?? []).SequenceEqual([0L, 2, 3, 1]),
            "only a transpose of an image to channels-last (perm 0, 2, 3, 1), before a flatten or at the end, is supported.");
        _channelsLast = true;
        _open = _factorable = _reluJoins = false;
    }

    private void Softmax(NodeAttributes a)
    {
        a.AllowOnly("axis");
        long axis = a.Int("axis", _opset >= 13 ? -1 : 1);
        if (ChannelsFirst.IsImage(_shape) || _rowOrder is not null || axis is not (1 or -1))
            throw new OnnxImportException($"{a.Where}: only a softmax over a vector of class scores (axis 1 of batch × classes, after a Gemm or MatMul) is supported.");
        Add(new SoftmaxLayer());
    }

    private void Dropout(NodeProto node, NodeAttributes a)
    {
        a.AllowOnly("ratio", "seed");
        bool training = node.Input.Count > 2 && node.Input[2].Length > 0
            && (_weights.Constant(node.Input[2]) is not { } mode || mode.RawData.Span.IndexOfAnyExcept((byte)0) >= 0 || mode.Int32Data.Any(v => v != 0));
        a.Require(!training, "training_mode must be a constant false: at inference a dropout passes its input through.");
    }

    /// <summary>Refuses a Conv or pooling node whose input is not a channels-first image (a vector, or an image already
    /// transposed to channels-last).</summary>
    private void RequireChannelsFirstImage(NodeAttributes a)
    {
        if (!ChannelsFirst.IsImage(_shape) || _channelsLast)
            throw new OnnxImportException($"{a.Where}: its input is not a channels-first image ({_shape}).");
    }

    private void FlattenCurrent()
    {
        if (!ChannelsFirst.IsImage(_shape)) return;
        // One channel, one pixel (after a GlobalAveragePool), or already channels-last: ONNX's order is the runtime's.
        _rowOrder = _channelsLast || _shape[2] == 1 || _shape[0] == 1 && _shape[1] == 1 ? null : ChannelsFirst.FlattenOrder(_shape);
        _channelsLast = false;
        Add(new FlattenLayer());
    }

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

    /// <summary>The input's normalization, for the matrix layer being read (the first) to absorb; null when there is none.</summary>
    private InputAffine? TakeNormalization()
    {
        InputAffine? pending = _normalization is { IsIdentity: false } ? _normalization : null;
        _normalization = null;
        return pending;
    }

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

    /// <summary>Whether <paramref name="node"/>, a linear map to <paramref name="outputs"/> right after a plain one of
    /// <paramref name="inputs"/> × <paramref name="inner"/>, completes a factorized layer with it.</summary>
    private bool Completes(string node, int inputs, int inner, int outputs) =>
        _secondFactors?.Contains(node) ?? inner < Math.Min(inputs, outputs);

    private void Opened(bool plain)
    {
        _open = true;
        _factorable = plain;
        _reluJoins = false;
    }

    private IReadOnlyList<Layer> Labelled(IReadOnlyList<FactorizationMethod> methods)
    {
        if (methods.Count != _layers.Count(l => l is FactorizedDenseLayer or FactorizedConv2dLayer)) return _layers;
        int next = 0;
        return _layers.Select(l => l switch
        {
            FactorizedDenseLayer f => new FactorizedDenseLayer(f.First, f.Second, f.Bias, f.Activation, methods[next++]),
            FactorizedConv2dLayer f => new FactorizedConv2dLayer(f.First, f.Second, f.Bias, f.InputChannels, f.Geometry, f.Activation, methods[next++]),
            _ => l,
        }).ToArray();
    }
}
