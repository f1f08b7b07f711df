using Google.Protobuf;
using Onnx;
using static EdgeLowRank.Onnx.OnnxProto;

namespace EdgeLowRank.Fuzz;

/// <summary>
/// <c>elr import-onnx</c> on graphs built from the fuzz bytes rather than on mutated file bytes, which rarely get past the
/// protobuf parser to the graph walk: each byte string is read as a list of choices that builds a ModelProto, an input (an
/// image C×H×W or a vector) then a chain of up to 16 nodes the importer reads (Conv, Gemm, MatMul, pooling, batch
/// normalizations, biases, activations, flattens and reshapes (among them x.view(x.size(0), -1) computed from the shape),
/// residual Adds, Concats and branches from earlier tensors, quantize_dynamic's products, and explicit Pads, folded into the Conv after them or refused),
/// their attributes, weight shapes and opset chosen from the bytes, usually consistent with the tensor they read and
/// sometimes not. The graph is imported as <see cref="OnnxTarget"/> imports a file, under the same contract.
/// </summary>
internal static class OnnxGraphTarget
{
    public static void Run(byte[] bytes) => OnnxTarget.Run(Build(bytes));

    /// <summary>Builds and imports the graphs of <paramref name="tries"/> random byte strings (fixed seed, as the seeds are
    /// found) and prints how many contain each operator, how many of those import, and the commonest refusals: how far the
    /// builder reaches without AFL; with <paramref name="op"/>, the refusals of the graphs that contain that operator only. An
    /// exception outside the import's contract escapes, as under AFL.</summary>
    public static void Census(int tries, string? op = null)
    {
        var random = new Random(2);
        var made = new Dictionary<string, int>();
        var taken = new Dictionary<string, int>();
        var refusals = new Dictionary<string, int>();
        int imported = 0;
        for (int i = 0; i < tries; i++)
        {
            byte[] choices = new byte[random.Next(16, 120)];
            random.NextBytes(choices);
            byte[] file = Build(choices);
            string[] ops = ModelProto.Parser.ParseFrom(file).Graph.Node.Select(n => n.OpType).Distinct().ToArray();
            foreach (string o in ops) made[o] = made.GetValueOrDefault(o) + 1;
            try
            {
                using EdgeLowRank.Runtime.Layers.Model model = EdgeLowRank.Onnx.OnnxImporter.Import(file, null);
                imported++;
                foreach (string o in ops) taken[o] = taken.GetValueOrDefault(o) + 1;
            }
            catch (Exception e) when (e is EdgeLowRank.Onnx.OnnxImportException or EdgeLowRank.Runtime.Format.ModelFormatException && op is not null && !ops.Contains(op))
            {
            }
            catch (Exception e) when ((e is EdgeLowRank.Onnx.OnnxImportException or EdgeLowRank.Runtime.Format.ModelFormatException) && (op is null || ops.Contains(op)))
            {
                // The message without its node's name and numbers: one line per kind of refusal.
                string kind = System.Text.RegularExpressions.Regex.Replace(e.Message, @"'[^']*'|\d+", "#");
                refusals[kind[..Math.Min(kind.Length, 150)]] = refusals.GetValueOrDefault(kind[..Math.Min(kind.Length, 150)]) + 1;
            }
        }
        Console.WriteLine($"{imported:N0} of {tries:N0} graphs imported");
        foreach ((string name, int n) in made.OrderByDescending(p => p.Value)) Console.WriteLine($"  {name,-22} in {n,6:N0}, imported {taken.GetValueOrDefault(name),6:N0}");
        foreach ((string kind, int n) in refusals.OrderByDescending(p => p.Value).Take(30)) Console.WriteLine($"  {n,6:N0}  {kind}");
    }

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

        /// <summary><paramref name="consistent"/>, or in a loose graph in one case of 16 a value near it (perhaps zero or negative);
        /// not once the bytes have run out, where every Chance holds and every value near it was 2 less (the final Gemm of a
        /// loose graph that ran out took a matrix of the wrong size).</summary>
        public long Fit(long consistent) => Stray() ? consistent + Between(-2, 2) : consistent;

        public T Of<T>(params T[] items) => items[Below(items.Length)];

        /// <summary>In a loose graph, in one case of 16, true: a near miss the importer must refuse. Never once the bytes have
        /// run out (zeros), so that a short string's graph ends as one the importer may take.</summary>
        public bool Stray() => Loose && Below(16) == 15;
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
                case 0: Conv(); break;
                case 1: if (c.Chance(5)) DynamicProduct(); else Conv(); break;
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
                case 2: if (c.Chance(6)) DynamicProduct(); else MatMul(); break;
                case 3: Activation(); break;
                case 4: if (c.Chance(4)) BatchNormalization(); else Gemm(); break;
                case 5: Residual(); break;
                case 6: if (c.Chance(3)) ViewFlatten(); else Then(c.Of("Dropout", "Identity"), [], _current.Dims); break;
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
            if (c.Below(16) == 15) Pad(); // in one case of 16, but not once the bytes have run out: most Pads are refused
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
                case 4:
                    // Elu is an operator the import refuses (LeakyRelu was, before format 1.12).
                    if (c.Loose) Then("Elu", [], _current.Dims, Float("alpha", 1f));
                    else if (c.Chance(8)) Then("LeakyRelu", [], _current.Dims, Float("alpha", c.Of(0.01f, 0.2f, -0.5f)));
                    else Then("Relu", [], _current.Dims);
                    break;
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
            switch (c.Below(4))
            {
                case 3: ViewFlatten(); break;
                case 0: Then("Flatten", [], [n], c.Chance(4) ? [Int("axis", c.Of(1, 0, 2))] : []); break;
                case 1: Then("Reshape", [Int64Initializer(_graph, Name("shape"), [c.Of(-1L, 0L, 1L), c.Fit(n)], 2)], [n]); break;
                default:
                    Then("Transpose", [], [_current.Dims[1], _current.Dims[2], _current.Channels], Ints("perm", 0, 2, 3, c.Fit(1)));
                    Then("Flatten", [], [n]);
                    break;
            }
        }

        /// <summary>x.view(x.size(0), -1) as torch.onnx.export writes it with a dynamic batch: Shape → Gather of entry 0 →
        /// Unsqueeze → Concat with −1 (or n) → Reshape, and forms the importer reads too (a Cast to int64, opset 15's Shape
        /// with start and end, an unsqueezed Constant −1, n as a Mul of the sizes gathered from the shape, x.view(-1,
        /// x.size(1)) after a global pool); in a loose graph, near misses it must refuse cleanly (the shape of another tensor,
        /// a Gather along axis 1 or of an index past the shape, Unsqueeze axes other than 0, a Concat along axis 1, a Div
        /// of the batch, a Reshape to (C, −1)).</summary>
        private void ViewFlatten()
        {
            Tensor x = _current;
            long n = x.Elements;
            int rank = x.Dims.Length + 1;
            string ShapeOf(params AttributeProto[] attributes) =>
                Node(_graph, "Shape", Name("Shape"), [c.Stray() && Earlier(_ => true) is { } other ? other.Name : x.Name], attributes);
            string Index(long i) => c.Stray() ? Int64Initializer(_graph, Name("index"), [i], 1) : Int64Scalar("index", i); // a vector: a near miss
            string Gather(string shape, long i) => Node(_graph, "Gather", Name("Gather"), [shape, Index(c.Fit(i))],
                c.Chance(8) ? [Int("axis", c.Stray() ? 1 : c.Of(0, -1))] : []);
            string Unsqueeze(string scalar)
            {
                long axis = c.Fit(0);
                return _opset >= 13 ^ c.Chance(1)
                    ? Node(_graph, "Unsqueeze", Name("Unsqueeze"), [scalar, Int64Initializer(_graph, Name("axes"), [axis], 1)])
                    : Node(_graph, "Unsqueeze", Name("Unsqueeze"), [scalar], Ints("axes", axis));
            }
            string size0, rest, shape = "";
            // x.view(-1, x.size(1)): the batch inferred, the features from the shape; it flattens a C × 1 × 1 image or a vector.
            if ((n == x.Dims[0] || c.Stray()) && c.Chance(3))
            {
                shape = ShapeOf();
                (size0, rest) = (Int64Initializer(_graph, Name("minus_one"), [-1], 1), Unsqueeze(Gather(shape, 1)));
            }
            else
            {
                if (_opset >= 15 && c.Chance(4)) size0 = ShapeOf(Int("start", 0), Int("end", c.Fit(1)));
                else
                {
                    shape = ShapeOf();
                    string batch = Gather(shape, 0);
                    if (c.Chance(3)) batch = Node(_graph, "Cast", Name("Cast"), [batch], Int("to", c.Stray() ? 1 : 7));
                    if (c.Stray()) batch = Node(_graph, "Div", Name("Div"), [batch, Int64Scalar("two", 2)]);
                    size0 = Unsqueeze(batch);
                }
                switch (c.Below(4))
                {
                    case 0: // without constant folding, torch unsqueezes the scalar −1 as it does the batch
                        rest = Unsqueeze(Int64Scalar("minus_one", -1));
                        break;
                    case 1 when x.Dims.Length > 1 || c.Stray(): // n as the product of the sizes after the batch, as x.size(1) * x.size(2) * … writes it
                        if (shape.Length == 0) shape = ShapeOf();
                        string product = Gather(shape, 1);
                        for (int d = 2; d < rank; d++) product = Node(_graph, "Mul", Name("Mul"), [product, Gather(shape, d)]);
                        rest = Unsqueeze(product);
                        break;
                    default:
                        rest = Int64Initializer(_graph, Name("rest"), [c.Chance(10) ? -1 : c.Fit(n)], 1);
                        break;
                }
            }
            string target = Node(_graph, "Concat", Name("Concat"), c.Stray() ? [rest, size0] : [size0, rest], Int("axis", c.Fit(0)));
            Then("Reshape", [target], [n]);
        }

        /// <summary>An int64 scalar, an initializer or a Constant node, as torch writes a Gather's index or the −1 it unsqueezes.</summary>
        private string Int64Scalar(string what, long value)
        {
            if (c.Chance(8)) return Int64Initializer(_graph, Name(what), [value]);
            var tensor = new TensorProto { DataType = (int)TensorProto.Types.DataType.Int64 };
            tensor.Int64Data.Add(value);
            return Node(_graph, "Constant", Name(what), [], new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = tensor });
        }

        /// <summary>An explicit Pad of the image (as F.pad or tf2onnx writes before a Conv whose own pads are then 0): the
        /// importer folds a Pad of zeros on the height and width into the Conv's pads where every side comes out alike, and
        /// must refuse any other cleanly. Opset 11 on takes the pads (and the constant value) as inputs, earlier ones as
        /// attributes.</summary>
        private void Pad()
        {
            long p = c.Between(0, 2);
            long[] pads = c.Chance(12) ? [0, 0, p, p, 0, 0, p, p] : [.. Enumerable.Range(0, 8).Select(_ => (long)c.Between(-1, 2))];
            long h = _current.Dims[1] + pads[2] + pads[6], w = _current.Dims[2] + pads[3] + pads[7];
            long[] dims = [Math.Max(1, _current.Channels + pads[1] + pads[5]), Math.Max(1, h), Math.Max(1, w)]; // pads of −1 crop, to nothing at worst
            AttributeProto mode = String("mode", c.Chance(12) ? "constant" : c.Of("reflect", "edge", "wrap"));
            if (_opset >= 11 ^ c.Chance(1))
                Then("Pad", [Int64Initializer(_graph, Name("pads"), pads, 8), .. c.Chance(8) ? [Constant("value", 0f)] : Array.Empty<string>()], dims,
                    c.Chance(8) ? [mode] : []);
            else Then("Pad", [], dims, Ints("pads", pads), mode, Float("value", 0f));
        }

        /// <summary>onnxruntime's quantize_dynamic form of a MatMul (of a vector) or a Conv (of an image), as the importer reads it
        /// (DynamicProductNodes): DynamicQuantizeLinear(x) → (q, s, z); MatMulInteger or ConvInteger(q, W int8, z[, zeros]); Cast to
        /// float; Mul of that by Mul(s, the weights' scales), either order in each; a Conv's bias through a Reshape of it to
        /// (1, −1, 1, 1) and an Add. One DynamicQuantizeLinear may feed two products (as the tool shares it among the readers of
        /// a tensor); the second is an earlier tensor a later Add or Concat may join. In a loose graph, the near misses the
        /// importer refuses: uint8 weights with a zero point (weight_type=QUInt8), a weight zero point other than 0, an int32
        /// bias added before the Cast, a Cast to another type, a grouped ConvInteger, scales of the wrong count or shape, the
        /// quantized values read by another node.</summary>
        private void DynamicProduct()
        {
            Tensor x = _current;
            string q = Name("dql.q"), scale = q + ".scale", zero = q + ".zero";
            var quantize = new NodeProto { OpType = "DynamicQuantizeLinear", Name = Name("DynamicQuantizeLinear"), Input = { x.Name }, Output = { q, scale, zero } };
            _graph.Node.Add(quantize);
            Tensor first = IntegerProduct(x, q, scale, zero);
            if (c.Chance(3))
            {
                Tensor second = IntegerProduct(x, q, scale, zero);
                _earlier.Add(second);
                if (c.Chance(8) && second.Dims.SequenceEqual(first.Dims))
                {
                    _current = new Tensor(Node(_graph, "Add", Name("Add"), [first.Name, second.Name]), first.Dims);
                    _earlier.Add(_current);
                    return;
                }
            }
            if (c.Stray()) Node(_graph, "Relu", Name("stray"), [c.Of(q, zero)]); // a tensor of the pattern used elsewhere
            _current = first;
            if (c.Chance(5)) Then("Relu", [], _current.Dims);
        }

        /// <summary>One product of the quantized <paramref name="q"/> of <paramref name="x"/>: a MatMulInteger of a vector or a
        /// ConvInteger of an image, through its Cast and scaling, and its bias; returns its output.</summary>
        private Tensor IntegerProduct(Tensor x, string q, string scale, string zero)
        {
            bool conv = x.IsImage;
            long outputs = c.Between(1, conv ? 12 : 24), k = c.Between(1, 3), stride = c.Between(1, 2), group = c.Stray() ? c.Between(2, 3) : 1;
            long[] pads = conv ? c.Chance(8) ? [k / 2, k / 2, k / 2, k / 2] : c.Chance(12) ? [0, 0, 0, 0] : [c.Below(3), c.Below(3), c.Below(3), c.Below(3)] : [];
            long[] wDims = conv ? [c.Fit(outputs), c.Fit(x.Channels / group), k, c.Fit(k)] : [c.Fit(x.Dims[0]), outputs];
            bool uint8 = c.Stray();
            List<string> inputs = [q, Int8Weights("wq", wDims, uint8), zero];
            if (uint8) inputs.Add(Int8Weights("wzero", [], uint8: true, value: 128));
            else if (c.Chance(8)) inputs.Add(Int8Weights("wzero", c.Chance(12) ? [] : [outputs], value: c.Stray() ? 1 : 0));
            if (c.Stray()) (inputs[0], inputs[2]) = (inputs[2], inputs[0]);
            string op = conv ? "ConvInteger" : "MatMulInteger";
            var attributes = new List<AttributeProto>();
            long[] dims = [outputs];
            if (conv)
            {
                attributes.Add(Ints("kernel_shape", k, k));
                if (c.Chance(12)) attributes.Add(Ints("pads", pads));
                else attributes.Add(String("auto_pad", c.Of("SAME_UPPER", "VALID", "NOTSET")));
                if (stride != 1 || c.Chance(4)) attributes.Add(Ints("strides", stride, stride));
                if (group != 1) attributes.Add(Int("group", group));
                long Out(long size, long before, long after) => Math.Max(1, (size + before + after - k) / stride + 1);
                dims = [outputs, Out(x.Dims[1], pads.ElementAtOrDefault(0), pads.ElementAtOrDefault(2)), Out(x.Dims[2], pads.ElementAtOrDefault(1), pads.ElementAtOrDefault(3))];
            }
            string sums = Node(_graph, op, Name(op), [.. inputs], [.. attributes]);
            if (c.Stray()) // an int32 bias before the Cast, as earlier versions of the tool wrote a Conv's
                sums = Node(_graph, "Add", Name("int32bias"), [sums, Int32Initializer("bias32", outputs)]);
            string floats = Node(_graph, "Cast", Name("Cast"), [sums], Int("to", c.Stray() ? c.Of(6, 10, 11) : 1));
            long[] scaleDims = c.Chance(10) ? [] : conv ? c.Of<long[]>([outputs, 1, 1], [1, outputs, 1, 1], [c.Fit(outputs)]) : c.Of<long[]>([c.Fit(outputs)], [1]);
            string weightScales = Initializer(_graph, Name("wscale"),
                [.. Enumerable.Range(0, (int)Math.Clamp(scaleDims.Aggregate(1L, (a, b) => a * b), 0, 4096)).Select(_ => (1 + _random.NextFloat()) / 254)], scaleDims);
            string scales = Node(_graph, "Mul", Name("scales"), c.Chance(12) ? [scale, weightScales] : [weightScales, scale]);
            string product = Node(_graph, "Mul", Name("scaled"), c.Chance(12) ? [floats, scales] : [scales, floats]);
            if (c.Chance(8))
            {
                string bias = Initializer(_graph, Name("b"), [.. Enumerable.Range(0, (int)outputs).Select(_ => _random.NextFloat())], c.Fit(outputs));
                if (conv) bias = Node(_graph, "Reshape", Name("b.reshaped"), [bias, Int64Initializer(_graph, Name("b.shape"), [1, -1, 1, 1], 4)]);
                product = Node(_graph, "Add", Name("bias"), c.Chance(12) ? [product, bias] : [bias, product]);
            }
            return new Tensor(product, dims);
        }

        /// <summary>An int8 (or uint8) initializer of <paramref name="dims"/>, its values random or all <paramref name="value"/>.</summary>
        private string Int8Weights(string what, long[] dims, bool uint8 = false, int? value = null)
        {
            long count = dims.Aggregate(1L, (a, b) => a * Math.Max(0, b));
            byte[] values = new byte[count is >= 0 and <= 65_536 ? count : 0];
            for (int i = 0; i < values.Length; i++) values[i] = (byte)(value ?? (int)(_random.NextFloat() * 127) + (uint8 ? 128 : 0));
            var tensor = new TensorProto { Name = Name(what), DataType = (int)(uint8 ? TensorProto.Types.DataType.Uint8 : TensorProto.Types.DataType.Int8),
                RawData = ByteString.CopyFrom(values) };
            tensor.Dims.AddRange(values.Length == count ? dims : [values.Length]);
            _graph.Initializer.Add(tensor);
            return tensor.Name;
        }

        /// <summary>An int32 vector of <paramref name="count"/> small values.</summary>
        private string Int32Initializer(string what, long count)
        {
            var tensor = new TensorProto { Name = Name(what), DataType = (int)TensorProto.Types.DataType.Int32 };
            tensor.Int32Data.AddRange(Enumerable.Range(0, (int)Math.Clamp(count, 0, 4096)).Select(i => i - 2));
            tensor.Dims.Add(tensor.Int32Data.Count);
            _graph.Initializer.Add(tensor);
            return tensor.Name;
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
