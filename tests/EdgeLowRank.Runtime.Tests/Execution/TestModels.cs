using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Tests.Execution;

/// <summary>Small seeded models and a plain float64 forward pass to check the session against.</summary>
internal static class TestModels
{
    public static float[] RandomFloats(Random random, int count, float scale = 1f) =>
        Enumerable.Range(0, count).Select(_ => (random.NextSingle() * 2 - 1) * scale).ToArray();

    public static PackedMatrix RandomMatrix(Random random, int rows, int columns) =>
        PackedMatrix.FromRowMajor(RandomFloats(random, rows * columns, 1f / MathF.Sqrt(rows)), rows, columns);

    /// <summary>Dense layers from <paramref name="widths"/>[0] inputs through each width in turn, ReLU fused into all but the
    /// last, on a vector input: the digits MLP is DenseChain(seed, 64, 128, 64, 10).</summary>
    public static Model DenseChain(int seed, params int[] widths)
    {
        var random = new Random(seed);
        Layer[] layers = [.. Enumerable.Range(1, widths.Length - 1).Select(i => new DenseLayer(RandomMatrix(random, widths[i - 1], widths[i]),
            RandomFloats(random, widths[i], 0.1f), i < widths.Length - 1 ? Activation.Relu : Activation.None))];
        return new Model(new TensorShape(widths[0]), layers, new ModelMetadata());
    }

    /// <summary>784-300-100-10 with the middle layers factorized (ranks 30 and 20), ReLU as separate layers so the planner fuses them.</summary>
    public static Model FactorizedMlp(int seed = 7)
    {
        var random = new Random(seed);
        Layer[] layers =
        [
            new FactorizedDenseLayer(RandomMatrix(random, 784, 30), RandomMatrix(random, 30, 300), RandomFloats(random, 300, 0.1f), Activation.None, FactorizationMethod.Cur),
            new ReluLayer(),
            new FactorizedDenseLayer(RandomMatrix(random, 300, 20), RandomMatrix(random, 20, 100), RandomFloats(random, 100, 0.1f), Activation.Relu, FactorizationMethod.Svd),
            new DenseLayer(RandomMatrix(random, 100, 10), RandomFloats(random, 10, 0.1f)),
            new SoftmaxLayer(),
        ];
        return new Model(new TensorShape(28, 28, 1), [new FlattenLayer(), .. layers], new ModelMetadata { Producer = "tests" });
    }

    /// <summary>An odd-shaped chain that exercises panel tails: 37 → 19 → (r=5) 7, ReLU first.</summary>
    public static Model OddChain(int seed = 11)
    {
        var random = new Random(seed);
        Layer[] layers =
        [
            new ReluLayer(),
            new DenseLayer(RandomMatrix(random, 37, 19), RandomFloats(random, 19), Activation.Relu),
            new FactorizedDenseLayer(RandomMatrix(random, 19, 5), RandomMatrix(random, 5, 7), ReadOnlyMemory<float>.Empty, Activation.None, FactorizationMethod.Svd),
        ];
        return new Model(new TensorShape(37), layers, new ModelMetadata());
    }

    /// <summary>The forward pass in float64, one sample at a time, straight from the layer definitions.</summary>
    public static double[] Reference(Model model, ReadOnlySpan<float> input)
    {
        double[] x = input.ToArray().Select(v => (double)v).ToArray();
        var activations = new List<double[]> { x }; // activation j: the output of layer j − 1, for the Add, Concat and Branch layers
        for (int i = 0; i < model.Layers.Count; i++)
        {
            Layer layer = model.Layers[i];
            x = layer switch
            {
                AddLayer a => Activate(x.Zip(activations[a.Source], (left, right) => left + right).ToArray(), a.Activation),
                ConcatLayer c when c.InputFirst => StackChannels(x, model.InputShapeOf(i), activations[c.Source], model.InputShapeOf(c.Source)),
                ConcatLayer c => StackChannels(activations[c.Source], model.InputShapeOf(c.Source), x, model.InputShapeOf(i)),
                ChannelSliceLayer s => SliceChannels(x, model.InputShapeOf(i), s.Start, s.Count),
                ChannelShuffleLayer s => ShuffleChannels(x, model.InputShapeOf(i), s.Groups),
                ChannelScaleLayer s => ScaleChannels(activations[s.Source], model.InputShapeOf(s.Source), x),
                BranchLayer b => activations[b.Source],
                DenseLayer d => Activate(Affine(x, d.Weights, d.Bias.Span), d.Activation),
                FactorizedDenseLayer f => Activate(Affine(Affine(x, f.First, ReadOnlySpan<float>.Empty), f.Second, f.Bias.Span), f.Activation),
                ReluLayer => x.Select(v => Math.Max(0, v)).ToArray(),
                SoftmaxLayer => Softmax(x),
                SigmoidLayer or HardSwishLayer or HardSigmoidLayer or SiluLayer or LeakyReluLayer => x.Select(Squash(layer)).ToArray(),
                FlattenLayer => x,
                _ => throw new NotSupportedException(layer.Kind.ToString()),
            };
            activations.Add(x);
        }
        return x;
    }

    private static double[] Affine(double[] x, PackedMatrix w, ReadOnlySpan<float> bias)
    {
        var y = new double[w.Columns];
        for (int n = 0; n < w.Columns; n++)
        {
            double sum = bias.IsEmpty ? 0 : bias[n];
            for (int k = 0; k < w.Rows; k++) sum += x[k] * w[k, n];
            y[n] = sum;
        }
        return y;
    }

    /// <summary>Each pixel's (or the vector's) channels of <paramref name="first"/>, then those of <paramref name="second"/>.</summary>
    internal static double[] StackChannels(double[] first, TensorShape firstShape, double[] second, TensorShape secondShape)
    {
        int a = firstShape.Dimensions[^1], b = secondShape.Dimensions[^1];
        return Enumerable.Range(0, first.Length / a).SelectMany(pixel => first.Skip(pixel * a).Take(a).Concat(second.Skip(pixel * b).Take(b))).ToArray();
    }

    /// <summary>Each pixel's (or the vector's) channels <paramref name="start"/> … <paramref name="start"/> + <paramref name="count"/> − 1.</summary>
    internal static double[] SliceChannels(double[] x, TensorShape shape, int start, int count)
    {
        int c = shape.Dimensions[^1];
        return Enumerable.Range(0, x.Length / c).SelectMany(pixel => x.Skip(pixel * c + start).Take(count)).ToArray();
    }

    /// <summary>Each pixel's (or the vector's) channels of <paramref name="a"/> times <paramref name="scales"/>, one per channel.</summary>
    internal static double[] ScaleChannels(double[] a, TensorShape shape, double[] scales)
    {
        int c = shape.Dimensions[^1];
        return a.Select((v, i) => v * scales[i % c]).ToArray();
    }

    /// <summary>The element-wise function of a sigmoid, hard swish, hard sigmoid, SiLU or leaky ReLU layer, in float64 from its definition.</summary>
    internal static Func<double, double> Squash(Layer layer) => layer switch
    {
        SigmoidLayer => v => 1 / (1 + Math.Exp(-v)),
        HardSwishLayer => v => v * Math.Min(Math.Max(v + 3, 0), 6) / 6,
        HardSigmoidLayer h => v => Math.Min(Math.Max((double)h.Alpha * v + h.Beta, 0), 1),
        SiluLayer => v => v / (1 + Math.Exp(-v)),
        LeakyReluLayer l => v => v >= 0 ? v : (double)l.Alpha * v,
        _ => throw new NotSupportedException(layer.Kind.ToString()),
    };

    /// <summary>Each pixel's channels as PyTorch's view(g, c/g), transpose and reshape leave them: output channel
    /// i·g + k is input channel k·(c/g) + i.</summary>
    internal static double[] ShuffleChannels(double[] x, TensorShape shape, int groups)
    {
        int c = shape.Dimensions[^1], perGroup = c / groups;
        var y = new double[x.Length];
        for (int pixel = 0; pixel < x.Length / c; pixel++)
            for (int output = 0; output < c; output++)
                y[pixel * c + output] = x[pixel * c + output % groups * perGroup + output / groups];
        return y;
    }

    private static double[] Activate(double[] x, Activation activation) =>
        activation == Activation.Relu ? x.Select(v => Math.Max(0, v)).ToArray() : x;

    private static double[] Softmax(double[] x)
    {
        double max = x.Max();
        double[] e = x.Select(v => Math.Exp(v - max)).ToArray();
        double sum = e.Sum();
        return e.Select(v => v / sum).ToArray();
    }
}
