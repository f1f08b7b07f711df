using Google.Protobuf;
using Onnx;
using static EdgeLowRank.Onnx.OnnxProto;

namespace EdgeLowRank.Fuzz;

/// <summary>
/// <c>elr import-onnx</c> on graphs built from the fuzz bytes rather than on mutated file bytes, which rarely get past the
/// protobuf parser to the graph walk: each byte string is read as a list of choices that builds a ModelProto, an input (an
/// image C×H×W or a vector) then a chain of up to 16 nodes the importer reads (Conv, Gemm, MatMul, pooling, batch
/// normalizations, biases, activations, flattens and reshapes, residual Adds, Concats and branches from earlier tensors),
/// their attributes, weight shapes and opset chosen from the bytes, usually consistent with the tensor they read and
/// sometimes not. The graph is imported as <see cref="OnnxTarget"/> imports a file, under the same contract.
/// </summary>
internal static class OnnxGraphTarget
{
    public static void Run(byte[] bytes) => OnnxTarget.Run(Build(bytes));

    /// <summary>The ONNX file <paramref name="bytes"/> choose.</summary>
    public static byte[] Build(byte[] bytes) => new GraphChoices(new Choices(bytes)).Build().ToByteArray();

    /// <summary>The fuzz bytes, read one choice at a time; zeros once they run out.</summary>
    private sealed class Choices(byte[] bytes)
    {
        private int _at;

        /// <summary>Whether <see cref="Fit"/> may stray: in half of the graphs, so that the other half stay consistent.</summary>
        public bool Loose { get; set; }

        public bool Done => _at >= bytes.Length;

        public int Next() => _at < bytes.Length ? bytes[_at++] : 0;

        /// <summary>0 to <paramref name="count"/> − 1 (at most 256).</summary>
        public int Below(int count) => Next() % count;

        public int Between(int low, int high) => low + Below(high - low + 1);

        /// <summary>True in <paramref name="sixteenths"/> cases of 16.</summary>
        public bool Chance(int sixteenths) => Below(16) < sixteenths;

        /// <summary><paramref name="consistent"/>, or in a loose graph in one case of 16 a value near it (perhaps zero or negative).</summary>
        public long Fit(long consistent) => Loose && Chance(1) ? consistent + Between(-2, 2) : consistent;

        public T Of<T>(params T[] items) => items[Below(items.Length)];
    }

    /// <summary>A tensor of the graph and its shape per sample, ONNX's: (C, H, W) or (n).</summary>
    private sealed record Tensor(string Name, long[] Dims)
    {
        public bool IsImage => Dims.Length == 3;
        public long Channels => Dims[0];
        public long Elements => Dims.Aggregate(1L, (a, b) => a * b);
    }

    private sealed class GraphChoices(Choices c)
    {
        private readonly GraphProto _graph = new() { Name = "fuzz" };
        private readonly List<Tensor> _earlier = [];
        private Tensor _current = null!;
        private XorShift _random;
        private long _opset;
        private bool _ended; // by a Softmax or LogSoftmax

        public ModelProto Build()
        {
            c.Loose = c.Chance(8);
            _opset = c.Loose && c.Chance(1) ? c.Between(1, 30) : c.Of(9, 11, 12, 13, 17, 21);
            _random = new XorShift((uint)c.Next() * 2654435761u);
            long side = c.Between(1, 10);
            long[] sample = c.Chance(10)
                ? [c.Between(1, 4), side, c.Chance(12) ? side : c.Between(1, 10)]
                : [c.Between(1, 40)];
            var input = Value("x", sample.Select(d => (int)d));
            if (c.Chance(1)) input.Type.TensorType.Shape.Dim[0] = new TensorShapeProto.Types.Dimension { DimValue = c.Between(0, 2) };
            _graph.Input.Add(input);
            _current = new Tensor("x", sample);
            if (c.Chance(3)) Normalization();
            for (int steps = c.Between(1, 16); steps > 0 && !c.Done && !_ended; steps--)
            {
                if (_current.IsImage) ImageStep();
                else VectorStep();
            }
            if (_current.IsImage && c.Chance(14))
            {
                ToVector();
                Gemm();
            }
            _graph.Output.Add(Value(_current.Name, _current.Dims.Select(d => (int)d)));
            var model = new ModelProto { IrVersion = 8, ProducerName = "fuzz", Graph = _graph };
            model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = _opset });
            if (c.Chance(4)) Metadata(model);
            return model;
        }

        /// <summary>metadata_props as elr's export writes them (docs/ONNX.md): the labels, the factorized layers' methods,
        /// the nodes that are second factors and the depthwise Conv nodes, here picked among the graph's products.</summary>
        private void Metadata(ModelProto model)
        {
            void Add(string key, string value) => model.MetadataProps.Add(new StringStringEntryProto { Key = "edgelowrank." + key, Value = value });
            string[] products = _graph.Node.Where(n => n.OpType is "Conv" or "Gemm" or "MatMul").Select(n => n.Name).ToArray();
            string Some() => string.Join(",", products.Where(_ => c.Chance(6)));
            if (c.Chance(8)) Add("labels", "[" + string.Join(",", Enumerable.Range(0, (int)Math.Clamp(c.Fit(_current.Elements), 0, 4096)).Select(i => $"\"{i}\"")) + "]");
            if (c.Chance(8)) Add("factorizations", string.Join(",", Enumerable.Range(0, c.Below(4)).Select(_ => c.Of("svd", "cur", "none", "qr"))));
            Add("second_factor_nodes", Some());
            if (c.Chance(8)) Add("depthwise_nodes", Some());
        }

        private void ImageStep()
        {
            switch (c.Below(17))
            {
                case 14: Gate(); break;
                case 15: Shuffle(); break;
                case 16: Split(); break;
                case 0 or 1: Conv(); break;
                case 2: Activation(); break;
                case 3: Pool(); break;
                case 4: GlobalPool(); break;
                case 5: if (c.Chance(4)) BatchNormalization(); else Conv(); break;
                case 6: if (c.Chance(4)) Bias(); else Activation(); break;
                case 7: Residual(); break;
                case 8: Concat(); break;
                case 9: BranchFromEarlier(); break;
                case 10: ToVector(); break;
                case 11: Then(c.Of("Dropout", "Identity"), [], _current.Dims); break;
                case 12: if (c.Chance(2)) Then("Mul", [Weights("scale", [1, _current.Channels, 1, 1])], _current.Dims); else Residual(); break;
                default: Slice(); break;
            }
        }

        private void VectorStep()
        {
            switch (c.Below(10))
            {
                case 0 or 1: Gemm(); break;
                case 2: MatMul(); break;
                case 3: Activation(); break;
                case 4: if (c.Chance(4)) BatchNormalization(); else Gemm(); break;
                case 5: Residual(); break;
                case 6: Then(c.Of("Dropout", "Identity"), [], _current.Dims); break;
                case 7:
                    Then(c.Of("Softmax", "LogSoftmax"), [], _current.Dims, Int("axis", c.Of(1, -1, 1, 0)));
                    _ended = !c.Chance(2);
                    break;
                case 8: BranchFromEarlier(); break;
                default: Concat(); break;
            }
        }

        /// <summary>A Sub, Div, Mul or Add of a constant before the first layer: a normalization.</summary>
        private void Normalization()
        {
            long[] dims = _current.IsImage && c.Chance(8) ? [1, _current.Channels, 1, 1] : [1];
            Then(c.Of("Sub", "Div", "Mul", "Add"), [Weights("norm", dims, positive: true)], _current.Dims);
        }

        private void Conv()
        {
            long channels = _current.Channels, h = _current.Dims[1], w = _current.Dims[2];
            long outputs = c.Chance(3) ? channels : c.Between(1, 12);
            long group = c.Chance(3) ? c.Fit(channels) : c.Chance(1) ? c.Between(0, 3) : 1;
            long k = c.Between(1, 3), stride = c.Between(1, 2), dilation = c.Loose && c.Chance(1) ? 2 : 1;
            long pad = c.Below(3);
            long[] pads = c.Chance(4) ? [0, 0, 0, 0] : c.Chance(8) ? [k / 2, k / 2, k / 2, k / 2] : c.Chance(12) ? [pad, pad, pad, pad]
                : [c.Below(3), c.Below(3), c.Below(3), c.Below(3)];
            var attributes = new List<AttributeProto> { Ints("kernel_shape", c.Fit(k), c.Fit(k)) };
            if (group != 1 || c.Chance(2)) attributes.Add(Int("group", group));
            if (c.Chance(14)) attributes.Add(Ints("pads", pads));
            else attributes.Add(String("auto_pad", c.Of("SAME_UPPER", "SAME_LOWER", "VALID", "NOTSET")));
            if (stride != 1 || c.Chance(4)) attributes.Add(Ints("strides", stride, c.Fit(stride)));
            if (dilation != 1) attributes.Add(Ints("dilations", dilation, dilation));
            long perGroup = group > 0 && channels % group == 0 ? channels / group : channels;
            List<string> inputs = [Weights("w", [c.Fit(outputs), c.Fit(perGroup), k, k])];
            if (c.Chance(10)) inputs.Add(Weights("b", [c.Fit(outputs)]));
            long Out(long size, long before, long after) => Math.Max(1, (size + before + after - dilation * (k - 1) - 1) / stride + 1);
            Then("Conv", inputs, [outputs, Out(h, pads[0], pads[2]), Out(w, pads[1], pads[3])], [.. attributes]);
            AfterProduct();
        }

        /// <summary>What may follow a Gemm, MatMul or Conv and be folded into it: a bias, a batch normalization, a Relu.</summary>
        private void AfterProduct()
        {
            if (c.Chance(3)) Bias();
            if (c.Chance(5)) BatchNormalization();
            if (c.Chance(6)) Then("Relu", [], _current.Dims);
        }

        /// <summary>An Add of a constant: one per channel (feature), or a single value.</summary>
        private void Bias()
        {
            long n = _current.Channels;
            long[] dims = _current.IsImage ? c.Of<long[]>([1, c.Fit(n), 1, 1], [1, n, 1, 1], [n], [1]) : c.Of<long[]>([c.Fit(n)], [1, n], [1]);
            Then("Add", [Weights("bias", dims)], _current.Dims);
        }

        private void Activation()
        {
            switch (c.Below(8))
            {
                case 0 or 1: Then("Relu", [], _current.Dims); break;
                case 2: Then(c.Of("Tanh", "Sigmoid", "HardSwish"), [], _current.Dims); break;
                case 3:
                    Tensor x = _current;
                    if (c.Chance(8)) Then("Sigmoid", [], x.Dims);
                    else Then("HardSigmoid", [], x.Dims, Float("alpha", c.Of(0.2f, 1f / 6, 0.5f)), Float("beta", c.Of(0.5f, 0f)));
                    if (c.Chance(10)) Multiply(x); // SiLU, or hard swish: x times its own gate
                    break;
                case 4: if (c.Loose) Then("LeakyRelu", [], _current.Dims, Float("alpha", 0.01f)); else Then("Relu", [], _current.Dims); break;
                default:
                    float low = c.Chance(14) ? 0f : -1f, high = c.Of(6f, float.PositiveInfinity, 6f, 1f);
                    if (_opset < 11 ^ c.Chance(1)) Then("Clip", [], _current.Dims, Float("min", low), Float("max", high));
                    else Then("Clip", [Constant("min", low), c.Chance(2) ? "" : Constant("max", high)], _current.Dims);
                    break;
            }
        }

        private void Pool()
        {
            long k = c.Between(1, 3), stride = c.Fit(c.Between(1, 2)), pad = c.Chance(4) ? c.Below(2) : 0;
            var attributes = new List<AttributeProto> { Ints("kernel_shape", k, c.Fit(k)), Ints("strides", stride, stride) };
            if (pad > 0 || c.Chance(1)) attributes.Add(Ints("pads", pad, pad, c.Fit(pad), pad));
            bool ceil = c.Chance(2);
            if (ceil) attributes.Add(Int("ceil_mode", 1));
            string op = c.Of("MaxPool", "AveragePool");
            if (op == "AveragePool" && c.Chance(4)) attributes.Add(Int("count_include_pad", c.Below(2)));
            long Out(long size) => Math.Max(1, (size + 2 * pad - k + (ceil ? Math.Max(1, stride) - 1 : 0)) / Math.Max(1, stride) + 1);
            Then(op, [], [_current.Channels, Out(_current.Dims[1]), Out(_current.Dims[2])], [.. attributes]);
        }

        private void GlobalPool()
        {
            if (c.Chance(10)) Then("GlobalAveragePool", [], [_current.Channels, 1, 1]);
            else Then("ReduceMean", [], [_current.Channels, 1, 1], Ints("axes", 2, c.Of(3L, -1L, 1L)), Int("keepdims", c.Of(1, 1, 0)));
        }

        private void BatchNormalization()
        {
            long n = _current.Channels;
            string[] parameters = [Weights("bn.scale", [c.Fit(n)]), Weights("bn.bias", [n]), Weights("bn.mean", [n]),
                Weights("bn.var", [n], positive: !c.Chance(1))];
            Then("BatchNormalization", parameters, _current.Dims, Float("epsilon", c.Of(1e-5f, 1e-3f, 0f)));
        }

        /// <summary>An Add of the current tensor and an earlier one, usually of the same shape: a residual connection.</summary>
        private void Residual()
        {
            Tensor? skip = Earlier(t => t.Dims.SequenceEqual(_current.Dims) || c.Chance(1));
            if (skip is null) return;
            string[] inputs = c.Chance(8) ? [_current.Name, skip.Name] : [skip.Name, _current.Name];
            _current = new Tensor(Node(_graph, c.Chance(1) ? "Sum" : "Add", Name("Add"), inputs), _current.Dims);
            _earlier.Add(_current);
        }

        /// <summary>A Concat along the channels (features) of the current tensor and an earlier one.</summary>
        private void Concat()
        {
            Tensor? other = Earlier(t => t.Dims.Length == _current.Dims.Length && t.Dims.Skip(1).SequenceEqual(_current.Dims.Skip(1)) || c.Chance(1));
            if (other is null) return;
            long[] dims = [.. _current.Dims];
            dims[0] += other.Dims[0];
            _current = new Tensor(Node(_graph, "Concat", Name("Concat"), [_current.Name, other.Name], Int("axis", c.Chance(14) ? 1 : c.Of(-3, 0, 2))), dims);
            _earlier.Add(_current);
        }

        /// <summary>Continues from an earlier tensor: the next node starts a second path, which a later Add or Concat may end.</summary>
        private void BranchFromEarlier()
        {
            if (Earlier(_ => true) is { } from) _current = from;
        }

        private Tensor? Earlier(Func<Tensor, bool> fits)
        {
            Tensor[] candidates = _earlier.Where(t => t != _current && fits(t)).ToArray();
            return candidates.Length == 0 ? null : candidates[c.Below(candidates.Length)];
        }

        /// <summary>Squeeze-and-excitation: the image averaged to one pixel, two 1×1 convolutions, a sigmoid, and the
        /// image multiplied by that gate.</summary>
        private void Gate()
        {
            Tensor x = _current;
            long channels = x.Channels, squeezed = c.Between(1, 8);
            Then("GlobalAveragePool", [], [channels, 1, 1]);
            Then("Conv", [Weights("se1.w", [squeezed, channels, 1, 1]), Weights("se1.b", [squeezed])], [squeezed, 1, 1], Ints("kernel_shape", 1, 1));
            Then("Relu", [], _current.Dims);
            Then("Conv", [Weights("se2.w", [c.Fit(channels), squeezed, 1, 1]), Weights("se2.b", [channels])], [channels, 1, 1], Ints("kernel_shape", 1, 1));
            if (c.Chance(10)) Then("Sigmoid", [], _current.Dims);
            else Then("HardSigmoid", [], _current.Dims, Float("alpha", 1f / 6), Float("beta", 0.5f));
            Multiply(x);
        }

        /// <summary>A Mul of the current tensor and <paramref name="x"/>, in either order, of x's shape.</summary>
        private void Multiply(Tensor x)
        {
            string[] inputs = c.Chance(8) ? [x.Name, _current.Name] : [_current.Name, x.Name];
            _current = new Tensor(Node(_graph, "Mul", Name("Mul"), inputs), x.Dims);
            _earlier.Add(_current);
        }

        /// <summary>ShuffleNet's channel shuffle: a Reshape into groups, a Transpose of the groups, a Reshape back.</summary>
        private void Shuffle()
        {
            long channels = _current.Channels, h = _current.Dims[1], w = _current.Dims[2];
            long groups = c.Chance(12) ? c.Of(2L, 3L, 4L) : c.Between(0, 5);
            long batch = c.Of(0L, -1L, 1L);
            Then("Reshape", [Int64Initializer(_graph, Name("groups"), [batch, groups, groups == 0 ? channels : c.Fit(channels / groups), h, w], 5)], _current.Dims);
            Then("Transpose", [], _current.Dims, Ints("perm", 0, 2, c.Fit(1), 3, 4));
            Then("Reshape", [Int64Initializer(_graph, Name("back"), [batch, c.Fit(channels), h, w], 4)], _current.Dims);
        }

        /// <summary>A Split of the channels in two: the chain goes on with the first part (or the second), the other part
        /// is an earlier tensor a later Concat or Add may take.</summary>
        private void Split()
        {
            long channels = _current.Channels, first = Math.Max(1, c.Chance(12) ? channels / 2 : c.Between(0, (int)Math.Min(channels, 255)));
            var node = new NodeProto { OpType = "Split", Name = Name("Split") };
            node.Input.Add(_current.Name);
            if (_opset >= 13 ^ c.Chance(1)) node.Input.Add(Int64Initializer(_graph, Name("split"), [first, c.Fit(channels - first)], 2));
            else node.Attribute.Add(Ints("split", first, c.Fit(channels - first)));
            node.Attribute.Add(Int("axis", c.Chance(14) ? 1 : c.Of(0, 2, -3)));
            Tensor a = new(node.Name + ".0", [first, _current.Dims[1], _current.Dims[2]]), b = new(node.Name + ".1", [Math.Max(1, channels - first), _current.Dims[1], _current.Dims[2]]);
            node.Output.Add(a.Name);
            node.Output.Add(b.Name);
            _graph.Node.Add(node);
            (_current, Tensor other) = c.Chance(12) ? (a, b) : (b, a);
            _earlier.Add(other);
            _earlier.Add(_current);
        }

        /// <summary>A Slice of the channels, its starts, ends and axes int64 initializers (opset 10 on).</summary>
        private void Slice()
        {
            long channels = _current.Channels, start = c.Below((int)Math.Min(channels, 8)), end = c.Chance(2) ? long.MaxValue : c.Between((int)start + 1, (int)channels + 1);
            string[] inputs = [Int64Initializer(_graph, Name("starts"), [start], 1), Int64Initializer(_graph, Name("ends"), [end], 1),
                Int64Initializer(_graph, Name("axes"), [c.Fit(1)], 1)];
            Then("Slice", inputs, [Math.Max(1, Math.Min(end, channels) - start), _current.Dims[1], _current.Dims[2]]);
        }

        /// <summary>A Flatten, a Reshape to (batch, n) or a Transpose to channels-last then a Flatten.</summary>
        private void ToVector()
        {
            long n = _current.Elements;
            switch (c.Below(3))
            {
                case 0: Then("Flatten", [], [n], c.Chance(4) ? [Int("axis", c.Of(1, 0, 2))] : []); break;
                case 1: Then("Reshape", [Int64Initializer(_graph, Name("shape"), [c.Of(-1L, 0L, 1L), c.Fit(n)], 2)], [n]); break;
                default:
                    Then("Transpose", [], [_current.Dims[1], _current.Dims[2], _current.Channels], Ints("perm", 0, 2, 3, c.Fit(1)));
                    Then("Flatten", [], [n]);
                    break;
            }
        }

        private void Gemm()
        {
            long n = _current.Dims[0], outputs = c.Between(1, 24);
            bool transB = c.Chance(10);
            var attributes = new List<AttributeProto>();
            if (transB || c.Chance(2)) attributes.Add(Int("transB", transB ? 1 : 0));
            if (c.Loose && c.Chance(1)) attributes.Add(Int("transA", 1));
            if (c.Chance(2)) attributes.Add(Float("alpha", c.Loose ? c.Of(1f, 0.5f, 2f) : 1f));
            if (c.Chance(2)) attributes.Add(Float("beta", c.Of(1f, 0f, 0.5f)));
            List<string> inputs = [Weights("w", transB ? [outputs, c.Fit(n)] : [c.Fit(n), outputs])];
            if (c.Chance(11)) inputs.Add(Weights("b", c.Of<long[]>([c.Fit(outputs)], [1, outputs])));
            Then("Gemm", inputs, [outputs], [.. attributes]);
            AfterProduct();
        }

        private void MatMul()
        {
            long outputs = c.Between(1, 24);
            Then("MatMul", [Weights("w", [c.Fit(_current.Dims[0]), outputs])], [outputs]);
            if (c.Chance(8)) Then("Add", [Weights("b", [c.Fit(outputs)])], [outputs]);
            AfterProduct();
        }

        /// <summary>Adds a node that reads the current tensor and <paramref name="inputs"/>; its output, of
        /// <paramref name="dims"/>, becomes the current tensor.</summary>
        private void Then(string op, IEnumerable<string> inputs, long[] dims, params AttributeProto[] attributes)
        {
            _current = new Tensor(Node(_graph, op, Name(op), [_current.Name, .. inputs], attributes), dims);
            _earlier.Add(_current);
        }

        private string Name(string what) => $"n{_graph.Node.Count}.{what}.{_graph.Initializer.Count}";

        /// <summary>A float initializer of <paramref name="dims"/> (perhaps zero or negative ones, which give no values; above
        /// 65,536 values, none and a shape of (0)), its values in [-1, 1), or in [0.5, 1.5) when <paramref name="positive"/>,
        /// in one case of 16 one of them NaN, 0, −1 or 1e30.</summary>
        private string Weights(string what, long[] dims, bool positive = false)
        {
            long count = dims.Aggregate(1L, (a, b) => a * Math.Max(0, b));
            float[] values = new float[count is >= 0 and <= 65_536 ? count : 0];
            for (int i = 0; i < values.Length; i++) values[i] = positive ? 1 + _random.NextFloat() / 2 : _random.NextFloat();
            if (values.Length > 0 && c.Chance(1)) values[c.Below(values.Length > 256 ? 256 : values.Length)] = c.Of(float.NaN, 0f, -1f, 1e30f);
            long[] shape = values.Length == count ? dims : [values.Length];
            switch (c.Below(8))
            {
                case 0: // a Constant node, as torch.onnx.export writes some weights
                    var tensor = new TensorProto { DataType = (int)TensorProto.Types.DataType.Float,
                        RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan())) };
                    tensor.Dims.AddRange(shape);
                    return Node(_graph, "Constant", Name(what), [], new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = tensor });
                case 1: // int8 values behind a DequantizeLinear, one scale or one per output (axis 0)
                    bool perAxis = shape.Length > 1 && shape[0] > 0 && c.Chance(8);
                    sbyte[] q = values.Select(v => (sbyte)Math.Clamp(float.IsNaN(v) ? 0 : v * 127, -127, 127)).ToArray();
                    string[] inputs = [Int8Initializer(_graph, Name(what + ".q"), q, shape),
                        Initializer(_graph, Name(what + ".scale"), perAxis ? [.. Enumerable.Repeat(1f / 127, (int)Math.Min(shape[0], 4096))] : [1f / 127],
                            perAxis ? [Math.Min(shape[0], 4096)] : []),
                        .. c.Chance(4) ? [Int8Initializer(_graph, Name(what + ".zero"), [(sbyte)(c.Chance(14) ? 0 : 1)])] : Array.Empty<string>()];
                    return perAxis ? Node(_graph, "DequantizeLinear", Name(what), inputs, Int("axis", c.Fit(0)))
                        : Node(_graph, "DequantizeLinear", Name(what), inputs);
                case 2: // an Identity of an initializer
                    return Node(_graph, "Identity", Name(what), [Initializer(_graph, Name(what + ".init"), values, shape)]);
                default:
                    return Initializer(_graph, Name(what), values, shape);
            }
        }

        private string Constant(string what, float value) => Initializer(_graph, Name(what), [value]);
    }
}
