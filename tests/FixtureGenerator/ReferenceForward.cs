// The one float64 reference pass of the tests. This file is compiled into the generator (which records the golden files'
// expected outputs with it) and, linked, into EdgeLowRank.Runtime.Tests (which checks loaded files and sessions with it):
// a new layer kind gets its spec, its case in Run and its case in Spec here, once.

using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.FixtureGenerator;

/// <summary>A layer as the reference pass reads it: plain row-major f32 arrays. The generator builds its networks of them (and
/// its runtime models from those); a runtime model's layers are read back into them (<see cref="ReferenceForward.Run(Model, ReadOnlySpan{float})"/>).</summary>
internal abstract record LayerSpec;

/// <summary>y = act(xW + b), W row-major inputs × outputs; an empty bias means none. With DynamicInputs (since format
/// 1.10; int8 weights only) the product is an integer one over inputs quantized per sample (<see cref="IntegerProduct"/>).</summary>
internal sealed record DenseSpec(int Inputs, int Outputs, float[] Weights, float[] Bias, bool Relu, bool DynamicInputs = false) : LayerSpec;

/// <summary>y = act((xA)B + b), A row-major inputs × rank, B row-major rank × outputs; DynamicInputs as for
/// <see cref="DenseSpec"/>, each of the two products quantizing its own inputs.</summary>
internal sealed record FactorizedSpec(int Inputs, int Rank, int Outputs, float[] First, float[] Second, float[] Bias,
    bool Relu, FactorizationMethod Method, bool DynamicInputs = false) : LayerSpec;

/// <summary>A k×k convolution over a channels-last image: y = act(conv(x, W) + b), W row-major (k·k·c_in) × c_out with
/// row index (ky·k + kx)·c_in + ci, zero-padded by Pads (top, left, bottom, right; different per side since format 1.13); an
/// empty bias means none. With DynamicInputs (since format 1.11; int8 weights only) the sums are integer ones over the image
/// quantized as one sample (<see cref="IntegerProduct.Convolve"/>).</summary>
internal sealed record ConvSpec(int InputChannels, int OutputChannels, int Kernel, int Stride, WindowPadding Pads, float[] Weights, float[] Bias,
    bool Relu, bool DynamicInputs = false) : LayerSpec;

/// <summary>A k×k convolution to Rank channels (First, row-major (k·k·c_in) × rank, no bias) followed by a 1×1
/// convolution (Second, row-major rank × c_out) with the bias and activation; DynamicInputs as for <see cref="ConvSpec"/>,
/// the rank-r image quantized again.</summary>
internal sealed record FactorizedConvSpec(int InputChannels, int Rank, int OutputChannels, int Kernel, int Stride, WindowPadding Pads,
    float[] First, float[] Second, float[] Bias, bool Relu, FactorizationMethod Method, bool DynamicInputs = false) : LayerSpec;

/// <summary>A depthwise k×k convolution (since format 1.5): y[.., ch] = act(b[ch] + Σ x[oy·s − p_top + ky, ox·s − p_left + kx, ch] ·
/// Filters[(ky·k + kx)·c + ch]); an empty bias means none.</summary>
internal sealed record DepthwiseSpec(int Channels, int Kernel, int Stride, WindowPadding Pads, float[] Filters, float[] Bias, bool Relu) : LayerSpec;

/// <summary>A residual Add (since format 1.6): y = act(x + activation Source), activation 0 the network's input and j the
/// output of layer j − 1.</summary>
internal sealed record AddSpec(int Source, bool Relu) : LayerSpec;

/// <summary>A branch (since format 1.7): the chain continues from activation Source instead of this layer's input.</summary>
internal sealed record BranchSpec(int Source) : LayerSpec;

/// <summary>A concatenation (since format 1.8): each pixel's channels of activation Source and then of this layer's input,
/// or the input's first when InputFirst.</summary>
internal sealed record ConcatSpec(int Source, bool InputFirst = false) : LayerSpec;

/// <summary>A run of channels (since format 1.8): each pixel's channels Start … Start + Count − 1.</summary>
internal sealed record ChannelSliceSpec(int Start, int Count) : LayerSpec;

/// <summary>ShuffleNet's channel shuffle (since format 1.8): output channel i·Groups + k is input channel k·(c/Groups) + i.</summary>
internal sealed record ChannelShuffleSpec(int Groups) : LayerSpec;

/// <summary>The hard sigmoid (since format 1.9): y = min(max(Alpha·x + Beta, 0), 1).</summary>
internal sealed record HardSigmoidSpec(float Alpha, float Beta) : LayerSpec;

/// <summary>The leaky ReLU (since format 1.12): y = x for x ≥ 0, Alpha·x below.</summary>
internal sealed record LeakyReluSpec(float Alpha) : LayerSpec;

/// <summary>Squeeze-and-excitation's scaling (since format 1.9): each pixel's channel k of activation Source times this
/// layer's input's value k (one per channel).</summary>
internal sealed record ChannelScaleSpec(int Source) : LayerSpec;

/// <summary>Max pooling over Size×Size windows moved by Stride; with Pads (since format 1.7; different per side since 1.13)
/// windows hang over each edge by up to that side's pixels, and only the pixels inside count.</summary>
internal sealed record MaxPoolSpec(int Size, int Stride, WindowPadding Pads = default) : LayerSpec;

/// <summary>Average pooling over Size×Size windows moved by Stride, no padding (since format 1.4).</summary>
internal sealed record AvgPoolSpec(int Size, int Stride) : LayerSpec;

/// <summary>A layer without weights (ReLU, softmax, flatten; tanh and sigmoid since format 1.4; ReLU6 since 1.6; hard swish
/// and SiLU since 1.9).</summary>
internal sealed record ElementwiseSpec(LayerKind Kind) : LayerSpec;

/// <summary>
/// The oracle for the expected outputs and for the tests' checks of loaded files and sessions: a plain float64 forward pass
/// over row-major weights, written independently of the runtime's packing and kernels so a bug there cannot hide in both.
/// Convolution is a direct loop over output pixels and window positions (no im2col); the integer products are
/// <see cref="IntegerProduct"/>'s, written from the format's definition.
/// </summary>
internal static class ReferenceForward
{
    /// <summary>Runs one sample (of shape <paramref name="inputShape"/>, channels-last for images) through every layer;
    /// <paramref name="int8"/> holds the int8 form (quantized values, row-major, and column scales) of the weight arrays of
    /// the layers with DynamicInputs, keyed by the array.</summary>
    public static double[] Run(int[] inputShape, IReadOnlyList<LayerSpec> layers,
        IReadOnlyDictionary<float[], (sbyte[] Quantized, float[] Scales)> int8, ReadOnlySpan<float> sample)
    {
        double[] x = new double[sample.Length];
        for (int i = 0; i < x.Length; i++) x[i] = sample[i];
        int[] shape = (int[])inputShape.Clone();
        // Activation j, the output of layer j − 1, and its shape, for the Add, Concat, ChannelScale and Branch layers.
        var activations = new List<(double[] Values, int[] Shape)> { (x, shape) };
        foreach (var layer in layers)
        {
            (x, shape) = layer switch
            {
                AddSpec a => (Add(x, activations[a.Source].Values, a.Relu), shape),
                BranchSpec b => activations[b.Source],
                ConcatSpec c when c.InputFirst => Stack((x, shape), activations[c.Source]),
                ConcatSpec c => Stack(activations[c.Source], (x, shape)),
                ChannelSliceSpec s => Slice(x, shape, s.Start, s.Count),
                ChannelShuffleSpec s => (Shuffle(x, shape[^1], s.Groups), shape),
                ChannelScaleSpec s => Scale(activations[s.Source], x),
                HardSigmoidSpec h => (x.Select(v => Math.Min(Math.Max((double)h.Alpha * v + h.Beta, 0), 1)).ToArray(), shape),
                LeakyReluSpec l => (x.Select(v => v >= 0 ? v : (double)l.Alpha * v).ToArray(), shape),
                DenseSpec { DynamicInputs: true } d => (Relu(Integer(int8, x, d.Weights, d.Inputs, d.Outputs, d.Bias), d.Relu), [d.Outputs]),
                FactorizedSpec { DynamicInputs: true } f =>
                    (Relu(Integer(int8, Integer(int8, x, f.First, f.Inputs, f.Rank, []), f.Second, f.Rank, f.Outputs, f.Bias), f.Relu), [f.Outputs]),
                DenseSpec d => (Affine(MatVec(x, d.Weights, d.Inputs, d.Outputs), d.Bias, d.Relu), [d.Outputs]),
                FactorizedSpec f => (Affine(MatVec(MatVec(x, f.First, f.Inputs, f.Rank), f.Second, f.Rank, f.Outputs), f.Bias, f.Relu), [f.Outputs]),
                ConvSpec { DynamicInputs: true } c => IntegerConv(int8, x, shape, c.Weights, c.Kernel, c.Stride, c.Pads, c.OutputChannels, c.Bias, c.Relu),
                FactorizedConvSpec { DynamicInputs: true } f => IntegerFactorizedConv(int8, x, shape, f),
                ConvSpec c => Conv(x, shape, c.Weights, c.Kernel, c.Stride, c.Pads, c.OutputChannels, c.Bias, c.Relu),
                FactorizedConvSpec f => FactorizedConv(x, shape, f),
                DepthwiseSpec d => Depthwise(x, shape, d),
                MaxPoolSpec p => MaxPool(x, shape, p.Size, p.Stride, p.Pads),
                AvgPoolSpec p => AvgPool(x, shape, p.Size, p.Stride),
                ElementwiseSpec { Kind: LayerKind.Relu } => (x.Select(v => Math.Max(0, v)).ToArray(), shape),
                ElementwiseSpec { Kind: LayerKind.Tanh } => (x.Select(Math.Tanh).ToArray(), shape),
                ElementwiseSpec { Kind: LayerKind.Relu6 } => (x.Select(v => Math.Min(Math.Max(0, v), 6)).ToArray(), shape),
                ElementwiseSpec { Kind: LayerKind.Sigmoid } => (x.Select(v => 1 / (1 + Math.Exp(-v))).ToArray(), shape),
                ElementwiseSpec { Kind: LayerKind.HardSwish } => (x.Select(v => v * Math.Min(Math.Max(v + 3, 0), 6) / 6).ToArray(), shape),
                ElementwiseSpec { Kind: LayerKind.Silu } => (x.Select(v => v / (1 + Math.Exp(-v))).ToArray(), shape),
                ElementwiseSpec { Kind: LayerKind.Softmax } => (Softmax(x), shape),
                ElementwiseSpec { Kind: LayerKind.Flatten } => (x, [x.Length]),
                _ => throw new NotSupportedException(layer.ToString()),
            };
            activations.Add((x, shape));
        }
        return x;
    }

    /// <summary>Runs one sample through a runtime model's layers, each read back into its spec (<see cref="Spec"/>): what a
    /// loaded file or a test's model holds, through the same pass as the generator's networks.</summary>
    public static double[] Run(Model model, ReadOnlySpan<float> sample)
    {
        var int8 = new Dictionary<float[], (sbyte[] Quantized, float[] Scales)>(ReferenceEqualityComparer.Instance);
        LayerSpec[] layers = model.Layers.Select(layer => Spec(layer, int8)).ToArray();
        return Run(model.InputShape.Dimensions.ToArray(), layers, int8, sample);
    }

    /// <summary>A runtime layer as a spec. Its matrices are read element by element through <see cref="PackedMatrix"/>'s indexer
    /// (the panel layout, an int8 element widened to q × scale), which tests a loaded file and that layout, not the kernels;
    /// an int8 matrix's quantized values and scales go into <paramref name="int8"/> for the integer products.</summary>
    private static LayerSpec Spec(Layer layer, Dictionary<float[], (sbyte[] Quantized, float[] Scales)> int8)
    {
        float[] Matrix(PackedMatrix w)
        {
            var values = new float[w.Rows * w.Columns];
            for (int k = 0; k < w.Rows; k++)
                for (int n = 0; n < w.Columns; n++)
                    values[k * w.Columns + n] = w[k, n];
            if (w.ElementType == ElementType.Int8) int8.Add(values, (w.QuantizedToRowMajor(), w.Scales.ToArray()));
            return values;
        }
        static bool Relu(Activation activation) => activation switch
        {
            Activation.None => false,
            Activation.Relu => true,
            _ => throw new NotSupportedException($"The float64 pass does not know the activation {activation}."),
        };
        static bool Dynamic(InputQuantization inputs) => inputs == InputQuantization.Dynamic;
        return layer switch
        {
            DenseLayer d => new DenseSpec(d.Weights.Rows, d.Weights.Columns, Matrix(d.Weights), d.Bias.ToArray(), Relu(d.Activation),
                Dynamic(d.InputQuantization)),
            FactorizedDenseLayer f => new FactorizedSpec(f.First.Rows, f.First.Columns, f.Second.Columns, Matrix(f.First), Matrix(f.Second),
                f.Bias.ToArray(), Relu(f.Activation), f.Method, Dynamic(f.InputQuantization)),
            Conv2dLayer c => new ConvSpec(c.InputChannels, c.Weights.Columns, c.Geometry.KernelSize, c.Geometry.Stride, c.Geometry.Pads,
                Matrix(c.Weights), c.Bias.ToArray(), Relu(c.Activation), Dynamic(c.InputQuantization)),
            FactorizedConv2dLayer f => new FactorizedConvSpec(f.InputChannels, f.First.Columns, f.Second.Columns, f.Geometry.KernelSize,
                f.Geometry.Stride, f.Geometry.Pads, Matrix(f.First), Matrix(f.Second), f.Bias.ToArray(), Relu(f.Activation), f.Method,
                Dynamic(f.InputQuantization)),
            DepthwiseConv2dLayer d => new DepthwiseSpec(d.Channels, d.Geometry.KernelSize, d.Geometry.Stride, d.Geometry.Pads,
                d.Filters.ToArray(), d.Bias.ToArray(), Relu(d.Activation)),
            AddLayer a => new AddSpec(a.Source, Relu(a.Activation)),
            BranchLayer b => new BranchSpec(b.Source),
            ConcatLayer c => new ConcatSpec(c.Source, c.InputFirst),
            ChannelSliceLayer s => new ChannelSliceSpec(s.Start, s.Count),
            ChannelShuffleLayer s => new ChannelShuffleSpec(s.Groups),
            ChannelScaleLayer s => new ChannelScaleSpec(s.Source),
            HardSigmoidLayer h => new HardSigmoidSpec(h.Alpha, h.Beta),
            LeakyReluLayer l => new LeakyReluSpec(l.Alpha),
            MaxPool2dLayer p => new MaxPoolSpec(p.Geometry.KernelSize, p.Geometry.Stride, p.Geometry.Pads),
            AvgPool2dLayer p => new AvgPoolSpec(p.Geometry.KernelSize, p.Geometry.Stride),
            ReluLayer or TanhLayer or Relu6Layer or SigmoidLayer or HardSwishLayer or SiluLayer or SoftmaxLayer or FlattenLayer => new ElementwiseSpec(layer.Kind),
            _ => throw new NotSupportedException($"The float64 pass does not know {layer.Kind} layers."),
        };
    }

    /// <summary>The integer product (format 1.10) with the int8 form of <paramref name="weights"/>.</summary>
    private static double[] Integer(IReadOnlyDictionary<float[], (sbyte[] Quantized, float[] Scales)> int8, double[] x, float[] weights, int inputs, int outputs, float[] bias)
    {
        (sbyte[] q, float[] scales) = int8[weights];
        return IntegerProduct.Multiply(x, q, scales, inputs, outputs, bias);
    }

    /// <summary>The integer convolution (format 1.11) with the int8 form of <paramref name="weights"/>.</summary>
    private static (double[], int[]) IntegerConv(IReadOnlyDictionary<float[], (sbyte[] Quantized, float[] Scales)> int8, double[] x, int[] shape, float[] weights, int k, int stride, WindowPadding pads, int cout,
        float[] bias, bool relu)
    {
        (sbyte[] q, float[] scales) = int8[weights];
        (double[] y, int[] outShape) = IntegerProduct.Convolve(x, shape, q, scales, k, stride, pads, cout, bias);
        return (Relu(y, relu), outShape);
    }

    /// <summary>The two integer convolutions of a factorized one, the rank-r image quantized again between them.</summary>
    private static (double[], int[]) IntegerFactorizedConv(IReadOnlyDictionary<float[], (sbyte[] Quantized, float[] Scales)> int8, double[] x, int[] shape, FactorizedConvSpec f)
    {
        (double[] inner, int[] innerShape) = IntegerConv(int8, x, shape, f.First, f.Kernel, f.Stride, f.Pads, f.Rank, [], relu: false);
        return IntegerConv(int8, inner, innerShape, f.Second, 1, 1, default, f.OutputChannels, f.Bias, f.Relu);
    }

    private static double[] Relu(double[] y, bool relu) => relu ? y.Select(v => Math.Max(0, v)).ToArray() : y;

    /// <summary>y[i] = act(x[i] + a[i]); the shapes agree (the runtime model checks it).</summary>
    private static double[] Add(double[] x, double[] a, bool relu) =>
        x.Zip(a, (left, right) => relu ? Math.Max(0, left + right) : left + right).ToArray();

    /// <summary>y[.., 0 … c_a − 1] = a[..], y[.., c_a …] = b[..]: the last dimension (channels, or a vector's features)
    /// stacked; the other dimensions agree (the runtime model checks it).</summary>
    private static (double[], int[]) Stack((double[] Values, int[] Shape) a, (double[] Values, int[] Shape) b)
    {
        int ca = a.Shape[^1], cb = b.Shape[^1], pixels = a.Values.Length / ca;
        var y = new double[pixels * (ca + cb)];
        for (int p = 0; p < pixels; p++)
        {
            Array.Copy(a.Values, p * ca, y, p * (ca + cb), ca);
            Array.Copy(b.Values, p * cb, y, p * (ca + cb) + ca, cb);
        }
        int[] shape = (int[])a.Shape.Clone();
        shape[^1] = ca + cb;
        return (y, shape);
    }

    /// <summary>y[p, k] = a[p, k]·scales[k] for every pixel p of <paramref name="a"/>: its shape, each channel scaled.</summary>
    private static (double[], int[]) Scale((double[] Values, int[] Shape) a, double[] scales)
    {
        int c = a.Shape[^1];
        var y = new double[a.Values.Length];
        for (int i = 0; i < y.Length; i++) y[i] = a.Values[i] * scales[i % c];
        return (y, a.Shape);
    }

    /// <summary>y[.., i] = x[.., start + i] for i below count: a run of the last dimension.</summary>
    private static (double[], int[]) Slice(double[] x, int[] shape, int start, int count)
    {
        int c = shape[^1], pixels = x.Length / c;
        var y = new double[pixels * count];
        for (int p = 0; p < pixels; p++) Array.Copy(x, p * c + start, y, p * count, count);
        int[] sliced = (int[])shape.Clone();
        sliced[^1] = count;
        return (y, sliced);
    }

    /// <summary>PyTorch's channel_shuffle: each pixel's c channels viewed as [groups][c/groups], transposed to
    /// [c/groups][groups] and read out row by row.</summary>
    private static double[] Shuffle(double[] x, int c, int groups)
    {
        int perGroup = c / groups;
        var y = new double[x.Length];
        for (int p = 0; p < x.Length / c; p++)
            for (int g = 0; g < groups; g++)
                for (int i = 0; i < perGroup; i++)
                    y[p * c + i * groups + g] = x[p * c + g * perGroup + i];
        return y;
    }

    /// <summary>y[n] = Σ_k x[k] · W[k, n], W row-major rows × columns.</summary>
    private static double[] MatVec(double[] x, float[] w, int rows, int columns)
    {
        var y = new double[columns];
        for (int k = 0; k < rows; k++)
            for (int n = 0; n < columns; n++)
                y[n] += x[k] * w[k * columns + n];
        return y;
    }

    /// <summary>y[oy, ox, co] = act(b[co] + Σ x[oy·s − p_top + ky, ox·s − p_left + kx, ci] · W[(ky·k + kx)·c_in + ci, co])
    /// over the window positions inside the image (outside is zero padding); images channels-last.</summary>
    private static (double[], int[]) Conv(double[] x, int[] shape, float[] w, int k, int stride, WindowPadding pads, int cout, float[] bias, bool relu)
    {
        var window = new ConvWindow(shape, k, stride, pads);
        var y = new double[window.OutHeight * window.OutWidth * cout];
        for (int oy = 0; oy < window.OutHeight; oy++)
            for (int ox = 0; ox < window.OutWidth; ox++)
                for (int co = 0; co < cout; co++)
                {
                    double sum = window.Sum(oy, ox, bias.Length > 0 ? bias[co] : 0, (pixel, row) => x[pixel] * w[row * cout + co]);
                    y[(oy * window.OutWidth + ox) * cout + co] = relu ? Math.Max(0, sum) : sum;
                }
        return (y, [window.OutHeight, window.OutWidth, cout]);
    }

    /// <summary>The k×k convolution to r channels without bias, then the 1×1 convolution with bias and activation.</summary>
    private static (double[], int[]) FactorizedConv(double[] x, int[] shape, FactorizedConvSpec f)
    {
        (double[] inner, int[] innerShape) = Conv(x, shape, f.First, f.Kernel, f.Stride, f.Pads, f.Rank, [], relu: false);
        return Conv(inner, innerShape, f.Second, 1, 1, default, f.OutputChannels, f.Bias, f.Relu);
    }

    /// <summary>Each channel convolved with its own filter, tap (ky, kx) of channel ch at Filters[(ky·k + kx)·c + ch], over the
    /// window positions inside the image.</summary>
    private static (double[], int[]) Depthwise(double[] x, int[] shape, DepthwiseSpec d)
    {
        int h = shape[0], width = shape[1], c = shape[2], k = d.Kernel;
        var window = new ConvWindow(shape, k, d.Stride, d.Pads);
        int oh = window.OutHeight, ow = window.OutWidth;
        var y = new double[oh * ow * c];
        for (int oy = 0; oy < oh; oy++)
            for (int ox = 0; ox < ow; ox++)
                for (int ch = 0; ch < c; ch++)
                {
                    double sum = d.Bias.Length > 0 ? d.Bias[ch] : 0;
                    for (int ky = 0; ky < k; ky++)
                        for (int kx = 0; kx < k; kx++)
                        {
                            int iy = oy * d.Stride - d.Pads.Top + ky, ix = ox * d.Stride - d.Pads.Left + kx;
                            if (iy >= 0 && iy < h && ix >= 0 && ix < width)
                                sum += x[(iy * width + ix) * c + ch] * d.Filters[(ky * k + kx) * c + ch];
                        }
                    y[(oy * ow + ox) * c + ch] = d.Relu ? Math.Max(0, sum) : sum;
                }
        return (y, [oh, ow, c]);
    }

    /// <summary>The maximum over each size×size window, channel by channel, windows moved by stride; windows hang over each
    /// edge by that side's <paramref name="pads"/>, of which only the pixels inside the image count.</summary>
    private static (double[], int[]) MaxPool(double[] x, int[] shape, int size, int stride, WindowPadding pads) =>
        Pool(x, shape, size, stride, pads, window => window.Max());

    /// <summary>The mean of each window (no padding), as <see cref="MaxPool"/> takes the maximum.</summary>
    private static (double[], int[]) AvgPool(double[] x, int[] shape, int size, int stride) => Pool(x, shape, size, stride, default, window => window.Average());

    private static (double[], int[]) Pool(double[] x, int[] shape, int size, int stride, WindowPadding pads, Func<IEnumerable<double>, double> reduce)
    {
        int h = shape[0], width = shape[1], c = shape[2];
        var windows = new ConvWindow(shape, size, stride, pads);
        int oh = windows.OutHeight, ow = windows.OutWidth;
        var y = new double[oh * ow * c];
        for (int oy = 0; oy < oh; oy++)
            for (int ox = 0; ox < ow; ox++)
                for (int ch = 0; ch < c; ch++)
                    y[(oy * ow + ox) * c + ch] = reduce(
                        from row in Enumerable.Range(oy * stride - pads.Top, size)
                        from column in Enumerable.Range(ox * stride - pads.Left, size)
                        where row >= 0 && row < h && column >= 0 && column < width
                        select x[(row * width + column) * c + ch]);
        return (y, [oh, ow, c]);
    }

    private static double[] Affine(double[] y, float[] bias, bool relu)
    {
        for (int n = 0; n < y.Length; n++)
        {
            if (bias.Length > 0) y[n] += bias[n];
            if (relu) y[n] = Math.Max(0, y[n]);
        }
        return y;
    }

    private static double[] Softmax(double[] x)
    {
        double max = x.Max();
        double[] e = x.Select(v => Math.Exp(v - max)).ToArray();
        double sum = e.Sum();
        return e.Select(v => v / sum).ToArray();
    }
}

/// <summary>
/// The integer product of format 1.10 (and the integer convolution of 1.11) as docs/FORMAT.md defines it, written here from the definition for the expected
/// outputs: each sample's inputs quantized to uint8 (lo = min(0, min x), hi = max(0, max x), s = (hi − lo)/255,
/// z = round(−lo/s), q = clamp(round(x/s) + z, 0, 255), ties to even; s = 0 when it is 0 or subnormal), the sum
/// Σ (q − z)·w exact, then y = (float)sum · (s·s_w) + b in f32, the operations the file's numbers are defined by. Its inputs
/// arrive as float64 from the reference pass and are rounded to f32 first, as the runtime holds them.
/// </summary>
internal static class IntegerProduct
{
    /// <summary>x (inputs) times the int8 matrix (q, row-major inputs × outputs, scales per column) plus bias (empty: 0).</summary>
    public static double[] Multiply(double[] input, sbyte[] q, float[] scales, int inputs, int outputs, float[] bias)
    {
        (int[] levels, float s, int z) = Quantize(input);
        var y = new double[outputs];
        for (int n = 0; n < outputs; n++)
        {
            long sum = 0;
            for (int k = 0; k < inputs; k++) sum += (long)(levels[k] - z) * q[k * outputs + n];
            y[n] = Scaled(sum, s, scales[n], bias, n);
        }
        return y;
    }

    /// <summary>The convolution of a channels-last image (shape h × w × c_in) by the int8 matrix (q, row-major (k·k·c_in) ×
    /// c_out, row (ky·k + kx)·c_in + ci) plus bias: the whole image quantized as one sample, and a window's taps in the padding
    /// at the zero point, which adds nothing to the sum.</summary>
    public static (double[], int[]) Convolve(double[] input, int[] shape, sbyte[] q, float[] scales, int k, int stride, WindowPadding pads, int cout,
        float[] bias)
    {
        (int[] levels, float s, int z) = Quantize(input);
        var window = new ConvWindow(shape, k, stride, pads);
        var y = new double[window.OutHeight * window.OutWidth * cout];
        for (int oy = 0; oy < window.OutHeight; oy++)
            for (int ox = 0; ox < window.OutWidth; ox++)
                for (int co = 0; co < cout; co++)
                {
                    // Products of at most 255 × 128 over a window: exact in a double, as the long sum they replace.
                    double sum = window.Sum(oy, ox, 0, (pixel, row) => (levels[pixel] - z) * q[row * cout + co]);
                    y[(oy * window.OutWidth + ox) * cout + co] = Scaled((long)sum, s, scales[co], bias, co);
                }
        return (y, [window.OutHeight, window.OutWidth, cout]);
    }

    /// <summary>One sample's levels, scale and zero point.</summary>
    private static (int[] Levels, float Scale, int ZeroPoint) Quantize(double[] input)
    {
        float[] x = input.Select(v => (float)v).ToArray();
        float lo = Math.Min(0f, x.Min()), hi = Math.Max(0f, x.Max());
        float s = (hi - lo) / 255f;
        if (!float.IsNormal(s)) s = 0f;
        int z = s == 0f ? 0 : Math.Clamp((int)MathF.Round(-lo / s, MidpointRounding.ToEven), 0, 255);
        int[] levels = x.Select(v => s == 0f ? 0 : Math.Clamp((int)MathF.Round(v / s, MidpointRounding.ToEven) + z, 0, 255)).ToArray();
        return (levels, s, z);
    }

    /// <summary>(float)sum · (s·s_w) + b in f32.</summary>
    private static double Scaled(long sum, float s, float columnScale, float[] bias, int n) =>
        (float)sum * (s * columnScale) + (bias.Length == 0 ? 0f : bias[n]);
}

/// <summary>A k×k window's positions over a channels-last image (shape h × w × c_in), padded by <paramref name="pads"/>: the
/// output size, h′ = ⌊(h + top + bottom − k)/s⌋ + 1 and w′ = ⌊(w + left + right − k)/s⌋ + 1, and a convolution's sum over
/// an output pixel's taps inside the image, in one order for the float pass and the integer one (a tap in the padding adds
/// nothing: zero, or the zero point).</summary>
internal readonly struct ConvWindow(int[] shape, int k, int stride, WindowPadding pads)
{
    public int OutHeight => (shape[0] + pads.Top + pads.Bottom - k) / stride + 1;

    public int OutWidth => (shape[1] + pads.Left + pads.Right - k) / stride + 1;

    /// <summary><paramref name="start"/> plus term(input index, weight row) for every tap of output pixel (oy, ox), in the
    /// order ky, kx, c_in; the weight row of a tap is (ky·k + kx)·c_in + ci.</summary>
    public double Sum(int oy, int ox, double start, Func<int, int, double> term)
    {
        int h = shape[0], width = shape[1], cin = shape[2];
        for (int ky = 0; ky < k; ky++)
        {
            int iy = oy * stride - pads.Top + ky;
            if (iy < 0 || iy >= h) continue;
            for (int kx = 0; kx < k; kx++)
            {
                int ix = ox * stride - pads.Left + kx;
                if (ix < 0 || ix >= width) continue;
                for (int ci = 0; ci < cin; ci++)
                    start += term((iy * width + ix) * cin + ci, (ky * k + kx) * cin + ci);
            }
        }
        return start;
    }
}
