using EdgeLowRank.Runtime.Layers;
using Onnx;

namespace EdgeLowRank.Onnx;

// The matrix layers (Gemm, MatMul, Conv, depthwise Conv, quantize_dynamic's products) and what joins the layer before them: a bias, a batch
// normalization, a fused Relu, a second factor.
internal sealed partial class GraphWalk
{
    private void Gemm(NodeProto node, NodeAttributes a)
    {
        a.AllowOnly("alpha", "beta", "transA", "transB");
        a.Require(a.Float("alpha", 1) == 1 && a.Int("transA", 0) == 0, "alpha must be 1 and transA 0 (a layer's x·W + b).");
        bool hasBias = node.Input.Count > 2 && node.Input[2].Length > 0;
        a.Require(!hasBias || a.Float("beta", 1) == 1, "beta must be 1 (the bias added as it is).");
        Matrix(node.Name, _weights.Of(node, 1, a), a.Int("transB", 0) != 0, hasBias ? _weights.Of(node, 2, a) : null, a);
    }

    /// <summary>A DynamicQuantizeLinear: the products of its values (<see cref="DynamicProductNodes"/>), one or, as quantize_dynamic
    /// shares one node among every MatMul or Conv of a tensor, several, each made a layer where its MatMulInteger or ConvInteger
    /// comes, reading the DynamicQuantizeLinear's input on whatever path it lies.</summary>
    private void DynamicQuantization(NodeProto node, NodeAttributes a)
    {
        foreach (DynamicProductNodes.Pattern product in DynamicProductNodes.Read(_graph, node, _weights, a))
        {
            a.Require(product.Inputs <= Layer.MaxIntegerInputs, $"the product of the {product.Integer.OpType} '{product.Integer.Name}' takes {product.Inputs:N0} "
                + $"inputs; the runtime's integer products take at most {Layer.MaxIntegerInputs:N0}.");
            _dynamicParts.UnionWith(product.Nodes);
            _dynamicProducts[product.Index] = (node.Input[0], product);
        }
    }

    /// <summary>quantize_dynamic's product of int8 weights and inputs quantized as it runs: a matrix layer or a convolution with
    /// <see cref="InputQuantization.Dynamic"/>, read up to its last node; <paramref name="a"/> is its MatMulInteger's or ConvInteger's.</summary>
    private void DynamicProduct(DynamicProductNodes.Pattern product, NodeAttributes a)
    {
        if (product.Convolution)
        {
            RequireChannelsFirstImage(a);
            ConvolutionGeometry window = a.ConvolutionWindow((int)product.Weights.Dims[2], product.Weights.Shape, _shape);
            Convolution(product.End.Name, product.Weights, window, ReadOnlyMemory<float>.Empty, a, InputQuantization.Dynamic);
        }
        else Matrix(product.End.Name, product.Weights, transposed: false, bias: null, a, InputQuantization.Dynamic);
        _current = product.End.Output[0];
        Reached();
    }

    /// <summary>x·W (W of ONNX shape K×N, or N×K when <paramref name="transposed"/>) plus an optional bias: a dense layer,
    /// or the second factor of a factorized one when the layer before it is a plain linear map whose inputs are treated alike
    /// (<paramref name="inputs"/>: quantized as it runs or not).</summary>
    private void Matrix(string nodeName, WeightTensor w, bool transposed, WeightTensor? bias, NodeAttributes a, InputQuantization inputs = InputQuantization.None)
    {
        if (ChannelsFirst.IsImage(_shape))
            throw new OnnxImportException($"{a.Where}: its input is an image ({_shape}); put a Flatten before it.");
        a.Require(w.Dims.Length == 2, $"the weights are {w.Shape}; expected a matrix.");
        int rows = (int)w.Dims[transposed ? 1 : 0], columns = (int)w.Dims[transposed ? 0 : 1];
        a.Require(rows == _shape.ElementCount, $"the weights are {w.Shape}{(transposed ? " (transposed)" : "")}, for {rows} inputs; the input has {_shape.ElementCount}.");
        // The order only now, for a matrix of as many rows: an image declared large costs nothing before (ChannelsFirst.FlattenOrder).
        int[]? order = _flattenedImage is { } image ? ChannelsFirst.FlattenOrder(image) : null;
        T[] Arrange<T>(T[] values)
        {
            T[] kxn = transposed ? WeightTensor.Transposed(values, columns, rows) : values;
            return order is null ? kxn : ChannelsFirst.RowsInRuntimeOrder<T>(kxn, columns, order);
        }
        PackedMatrix matrix = w.ToMatrix(rows, columns, transposed ? 0 : 1, Arrange, Arrange, a.Where);
        ReadOnlyMemory<float> b = bias is null ? ReadOnlyMemory<float>.Empty : bias.ToBias(columns, image: false, a);
        double[]? shift = null;
        if (TakeNormalization() is { } normalization)
        {
            // int8 weights cannot absorb it; a flattened image's normalization can stay a layer before the flatten.
            if ((matrix.ElementType == ElementType.Int8 || _keepNormalization) && normalization.FitsALayer) KeepNormalization(normalization, a);
            else (matrix, shift) = normalization.FoldDense(matrix, a.Where);
        }
        if (_factorable && _layers[^1] is DenseLayer first && first.InputQuantization == inputs && Completes(nodeName, first.Weights.Rows, first.Weights.Columns, columns))
            _layers[^1] = new FactorizedDenseLayer(first.Weights, matrix, ShiftedThrough(matrix, b), Activation.None, FactorizationMethod.None, inputs);
        else
        {
            Settle();
            _layers.Add(new DenseLayer(matrix, b, Activation.None, inputs));
        }
        _shiftOut = shift;
        _flattenedImage = null;
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
        int outputs = (int)w.Dims[0], k = (int)w.Dims[2];
        bool depthwise = DepthwiseNodes.IsDepthwise(a, w, _shape[2], _depthwise.Contains(node.Name));
        ConvolutionGeometry geometry = a.ConvolutionWindow(k, w.Shape, _shape, _pad);
        _pad = null;
        ReadOnlyMemory<float> b = node.Input.Count > 2 && node.Input[2].Length > 0 ? _weights.Of(node, 2, a).ToBias(outputs, image: false, a) : ReadOnlyMemory<float>.Empty;
        if (depthwise) Depthwise(DepthwiseNodes.Read(a, w, b, geometry), a);
        else Convolution(node.Name, w, geometry, b, a);
    }

    /// <summary>A Pad of the image (<see cref="PadNodes"/>): nothing when it adds no zeros, else zeros the Conv that reads it
    /// takes as more padding of its own.</summary>
    private void Pad(NodeProto node, NodeAttributes a)
    {
        RequireChannelsFirstImage(a);
        WindowPads sides = PadNodes.Read(node, a, _opset, _graph, _weights);
        if (!sides.IsZero) _pad = new PadNodes.Fold(sides, a.Where);
    }

    /// <summary>A convolution of group 1 by the c_out × c_in × k × k kernel <paramref name="w"/> plus an optional bias: a Conv2d
    /// layer, or the second factor of a factorized one when it is 1×1 and the layer before it a plain convolution whose inputs are
    /// treated alike (<paramref name="inputs"/>: quantized as it runs or not).</summary>
    private void Convolution(string nodeName, WeightTensor w, ConvolutionGeometry geometry, ReadOnlyMemory<float> b, NodeAttributes a,
        InputQuantization inputs = InputQuantization.None)
    {
        int outputs = (int)w.Dims[0], channels = (int)w.Dims[1], k = (int)w.Dims[2];
        a.Require(channels == _shape[2], $"the kernel takes {channels} channels; the input has {_shape[2]}.");
        T[] Arrange<T>(T[] kernel) => ChannelsFirst.KernelFromOnnx(kernel, channels, k, outputs);
        PackedMatrix matrix = w.ToMatrix(k * k * channels, outputs, 0, Arrange, Arrange, a.Where);
        double[]? shift = null;
        if (TakeNormalization() is { } normalization)
        {
            if (!geometry.Pads.IsZero && normalization.Shifts || matrix.ElementType == ElementType.Int8 || _keepNormalization) KeepNormalization(normalization, a);
            else (matrix, shift) = normalization.FoldConvolution(matrix, a.Where);
        }
        if (_factorable && _layers[^1] is Conv2dLayer first && first.InputQuantization == inputs && geometry == new ConvolutionGeometry(1)
            && Completes(nodeName, first.Weights.Rows, first.Weights.Columns, outputs))
            _layers[^1] = new FactorizedConv2dLayer(first.Weights, matrix, ShiftedThrough(matrix, b), first.InputChannels, first.Geometry, Activation.None,
                FactorizationMethod.None, inputs);
        else
        {
            Settle();
            _layers.Add(new Conv2dLayer(matrix, b, channels, geometry, Activation.None, inputs));
        }
        _shiftOut = shift;
        UpdateShape();
        Opened(plain: b.IsEmpty);
    }

    /// <summary>A depthwise convolution: a bias, batch norm or Relu may join it, but it is no factor of a factorized layer.</summary>
    private void Depthwise(DepthwiseConv2dLayer layer, NodeAttributes a)
    {
        if (TakeNormalization() is { } normalization) KeepNormalization(normalization, a);
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

    /// <summary>ReLU6, a layer of its own (no layer fuses it), a Relu for Clip(0, +∞), or nothing for a Clip that changes no value.</summary>
    private void Clip(NodeProto node, NodeAttributes a)
    {
        // The chain's tensor is a Relu's output when the last layer ends in one and nothing has joined it since (a Transpose,
        // a Dropout or an Identity keep the values; any other step adds a layer).
        bool ofRelu = _layers.Count > 0 && !_open && (_layers[^1] is ReluLayer or Relu6Layer || _layers[^1].Activation == Activation.Relu);
        switch (ClipNodes.Read(node, a, _opset, _weights, ofRelu))
        {
            case ClipNodes.Kind.Relu6: Add(new Relu6Layer()); break;
            case ClipNodes.Kind.Relu: Relu(); break;
        }
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
}
