using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.FixtureGenerator;

/// <summary>
/// The oracle for the expected outputs: a plain float64 forward pass over the row-major weights,
/// written independently of the runtime's packing and kernels so a bug there cannot hide in both.
/// Convolution is a direct loop over output pixels and window positions (no im2col).
/// </summary>
internal static class ReferenceForward
{
    /// <summary>Runs one sample (of shape <see cref="NetSpec.InputShape"/>, channels-last for images) through every layer.</summary>
    public static double[] Run(NetSpec net, ReadOnlySpan<float> sample)
    {
        double[] x = new double[sample.Length];
        for (int i = 0; i < x.Length; i++) x[i] = sample[i];
        int[] shape = (int[])net.InputShape.Clone();
        // Activation j, the output of layer j − 1, and its shape, for the Add, Concat, ChannelScale and Branch layers.
        var activations = new List<(double[] Values, int[] Shape)> { (x, shape) };
        foreach (var layer in net.Layers)
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
                DenseSpec { DynamicInputs: true } d => (Relu(Integer(net, x, d.Weights, d.Inputs, d.Outputs, d.Bias), d.Relu), [d.Outputs]),
                FactorizedSpec { DynamicInputs: true } f =>
                    (Relu(Integer(net, Integer(net, x, f.First, f.Inputs, f.Rank, []), f.Second, f.Rank, f.Outputs, f.Bias), f.Relu), [f.Outputs]),
                DenseSpec d => (Affine(MatVec(x, d.Weights, d.Inputs, d.Outputs), d.Bias, d.Relu), [d.Outputs]),
                FactorizedSpec f => (Affine(MatVec(MatVec(x, f.First, f.Inputs, f.Rank), f.Second, f.Rank, f.Outputs), f.Bias, f.Relu), [f.Outputs]),
                ConvSpec { DynamicInputs: true } c => IntegerConv(net, x, shape, c.Weights, c.Kernel, c.Stride, c.Padding, c.OutputChannels, c.Bias, c.Relu),
                FactorizedConvSpec { DynamicInputs: true } f => IntegerFactorizedConv(net, x, shape, f),
                ConvSpec c => Conv(x, shape, c.Weights, c.Kernel, c.Stride, c.Padding, c.OutputChannels, c.Bias, c.Relu),
                FactorizedConvSpec f => FactorizedConv(x, shape, f),
                DepthwiseSpec d => Depthwise(x, shape, d),
                MaxPoolSpec p => MaxPool(x, shape, p.Size, p.Stride, p.Padding),
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

    /// <summary>The integer product (format 1.10) with the int8 form of <paramref name="weights"/>.</summary>
    private static double[] Integer(NetSpec net, double[] x, float[] weights, int inputs, int outputs, float[] bias)
    {
        (sbyte[] q, float[] scales) = net.Int8[weights];
        return IntegerProduct.Multiply(x, q, scales, inputs, outputs, bias);
    }

    /// <summary>The integer convolution (format 1.11) with the int8 form of <paramref name="weights"/>.</summary>
    private static (double[], int[]) IntegerConv(NetSpec net, double[] x, int[] shape, float[] weights, int k, int stride, int padding, int cout,
        float[] bias, bool relu)
    {
        (sbyte[] q, float[] scales) = net.Int8[weights];
        (double[] y, int[] outShape) = IntegerProduct.Convolve(x, shape, q, scales, k, stride, padding, cout, bias);
        return (Relu(y, relu), outShape);
    }

    /// <summary>The two integer convolutions of a factorized one, the rank-r image quantized again between them.</summary>
    private static (double[], int[]) IntegerFactorizedConv(NetSpec net, double[] x, int[] shape, FactorizedConvSpec f)
    {
        (double[] inner, int[] innerShape) = IntegerConv(net, x, shape, f.First, f.Kernel, f.Stride, f.Padding, f.Rank, [], relu: false);
        return IntegerConv(net, inner, innerShape, f.Second, 1, 1, 0, f.OutputChannels, f.Bias, f.Relu);
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

    /// <summary>y[oy, ox, co] = act(b[co] + Σ x[oy·s − p + ky, ox·s − p + kx, ci] · W[(ky·k + kx)·c_in + ci, co]) over
    /// the window positions inside the image (outside is zero padding); images channels-last.</summary>
    private static (double[], int[]) Conv(double[] x, int[] shape, float[] w, int k, int stride, int padding, int cout, float[] bias, bool relu)
    {
        int h = shape[0], width = shape[1], cin = shape[2];
        int oh = (h + 2 * padding - k) / stride + 1, ow = (width + 2 * padding - k) / stride + 1;
        var y = new double[oh * ow * cout];
        for (int oy = 0; oy < oh; oy++)
            for (int ox = 0; ox < ow; ox++)
                for (int co = 0; co < cout; co++)
                {
                    double sum = bias.Length > 0 ? bias[co] : 0;
                    for (int ky = 0; ky < k; ky++)
                    {
                        int iy = oy * stride - padding + ky;
                        if (iy < 0 || iy >= h) continue;
                        for (int kx = 0; kx < k; kx++)
                        {
                            int ix = ox * stride - padding + kx;
                            if (ix < 0 || ix >= width) continue;
                            for (int ci = 0; ci < cin; ci++)
                                sum += x[(iy * width + ix) * cin + ci] * w[((ky * k + kx) * cin + ci) * cout + co];
                        }
                    }
                    y[(oy * ow + ox) * cout + co] = relu ? Math.Max(0, sum) : sum;
                }
        return (y, [oh, ow, cout]);
    }

    /// <summary>The k×k convolution to r channels without bias, then the 1×1 convolution with bias and activation.</summary>
    private static (double[], int[]) FactorizedConv(double[] x, int[] shape, FactorizedConvSpec f)
    {
        (double[] inner, int[] innerShape) = Conv(x, shape, f.First, f.Kernel, f.Stride, f.Padding, f.Rank, [], relu: false);
        return Conv(inner, innerShape, f.Second, 1, 1, 0, f.OutputChannels, f.Bias, f.Relu);
    }

    /// <summary>Each channel convolved with its own filter, tap (ky, kx) of channel ch at Filters[(ky·k + kx)·c + ch], over the
    /// window positions inside the image.</summary>
    private static (double[], int[]) Depthwise(double[] x, int[] shape, DepthwiseSpec d)
    {
        int h = shape[0], width = shape[1], c = shape[2], k = d.Kernel;
        int oh = (h + 2 * d.Padding - k) / d.Stride + 1, ow = (width + 2 * d.Padding - k) / d.Stride + 1;
        var y = new double[oh * ow * c];
        for (int oy = 0; oy < oh; oy++)
            for (int ox = 0; ox < ow; ox++)
                for (int ch = 0; ch < c; ch++)
                {
                    double sum = d.Bias.Length > 0 ? d.Bias[ch] : 0;
                    for (int ky = 0; ky < k; ky++)
                        for (int kx = 0; kx < k; kx++)
                        {
                            int iy = oy * d.Stride - d.Padding + ky, ix = ox * d.Stride - d.Padding + kx;
                            if (iy >= 0 && iy < h && ix >= 0 && ix < width)
                                sum += x[(iy * width + ix) * c + ch] * d.Filters[(ky * k + kx) * c + ch];
                        }
                    y[(oy * ow + ox) * c + ch] = d.Relu ? Math.Max(0, sum) : sum;
                }
        return (y, [oh, ow, c]);
    }

    /// <summary>The maximum over each size×size window, channel by channel, windows moved by stride; windows hang over each
    /// edge by <paramref name="padding"/> pixels, of which only those inside the image count.</summary>
    private static (double[], int[]) MaxPool(double[] x, int[] shape, int size, int stride, int padding) =>
        Pool(x, shape, size, stride, padding, window => window.Max());

    /// <summary>The mean of each window (no padding), as <see cref="MaxPool"/> takes the maximum.</summary>
    private static (double[], int[]) AvgPool(double[] x, int[] shape, int size, int stride) => Pool(x, shape, size, stride, 0, window => window.Average());

    private static (double[], int[]) Pool(double[] x, int[] shape, int size, int stride, int padding, Func<IEnumerable<double>, double> reduce)
    {
        int h = shape[0], width = shape[1], c = shape[2];
        int oh = (h + 2 * padding - size) / stride + 1, ow = (width + 2 * padding - size) / stride + 1;
        var y = new double[oh * ow * c];
        for (int oy = 0; oy < oh; oy++)
            for (int ox = 0; ox < ow; ox++)
                for (int ch = 0; ch < c; ch++)
                    y[(oy * ow + ox) * c + ch] = reduce(
                        from row in Enumerable.Range(oy * stride - padding, size)
                        from column in Enumerable.Range(ox * stride - padding, size)
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
