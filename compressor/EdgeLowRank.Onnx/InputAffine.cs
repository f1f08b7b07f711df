using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Onnx;

/// <summary>
/// A normalization of the input, x' = scale ⊙ x + shift per element of a sample (the runtime's order), waiting to be
/// folded into the first matrix layer, or, where that layer cannot absorb it exactly, kept as a layer before it
/// (<see cref="AsLayer"/>): a graph's leading Sub, Div, Mul and Add of constants (Keras' Normalization layer), or the mean
/// and standard deviation a network was trained with outside its graph (PyTorch's transforms.Normalize), so that the model
/// takes the data set's pixels as they are. Kept as compact as the constants that made it, the scale and the shift each on
/// its own: one for all elements, one per channel (a vector's feature) or one per element, repeating along the sample, in
/// single precision as the constants and the layers that absorb them are; a graph's declared input costs nothing until a
/// constant of its size comes (an 89-byte file declaring a 15,000 × 15,000 image made the import allocate 1.8 GB here, and
/// one of 2 × 32,767 × 32,767 ran out of memory), and a constant of one per element costs its own 4 bytes an element, not
/// more (a per-element Sub of a 2000 × 2000 image took 27 bytes an element in doubles and copies).
/// </summary>
internal sealed class InputAffine
{
    private readonly TensorShape _input;
    private float[] _scale = [1], _shift = [0];   // element i of a sample (the runtime's order) at i % their length

    /// <summary>x' = x.</summary>
    public InputAffine(TensorShape input) => _input = input;

    private double Scale(int element) => _scale[element % _scale.Length];

    private double Shift(int element) => _shift[element % _shift.Length];

    /// <summary>Whether it changes nothing.</summary>
    public bool IsIdentity => _scale.All(s => s == 1) && _shift.All(s => s == 0);

    /// <summary>Applies x' ← x' − c (Sub), x' / c (Div), x' · c (Mul) or x' + c (Add); <paramref name="constant"/> holds c
    /// shaped as ONNX broadcasts it against the input (one value, one per channel as (c, 1, 1), or one per element). Its
    /// values are taken over, and may be overwritten: a per-element shift is held in the constant's own array
    /// (<see cref="GraphWeights.Of(string, NodeAttributes)"/> reads a fresh one for each use).</summary>
    /// <exception cref="OnnxImportException">A shape that is none of these, or a division by 0.</exception>
    public void Apply(string op, WeightTensor constant, string where)
    {
        int inputRank = ChannelsFirst.IsImage(_input) ? 4 : 2;
        if (constant.Dims.Length > inputRank)
            throw new OnnxImportException($"{where}: the constant is {constant.Shape}, of more dimensions than the input's {inputRank}.");
        float[] c = InRuntimeOrder(constant.RequireFloats(where, "constant"), constant.Dims, where);
        switch (op)
        {
            case "Sub": _shift = Combined(_shift, c, reuse: true, (x, v) => x - v); break;
            case "Add": _shift = Combined(_shift, c, reuse: true, (x, v) => x + v); break;
            case "Div" when c.Contains(0): throw new OnnxImportException($"{where}: divides the input by 0.");
            case "Mul" or "Div":
                Func<double, double, double> f = op == "Mul" ? (x, v) => x * v : (x, v) => x / v;
                if (_shift is not [0]) _shift = Combined(_shift, c, reuse: false, f);   // a shift of 0 stays 0
                _scale = Combined(_scale, c, reuse: true, f);
                break;
            default: throw new ArgumentOutOfRangeException(nameof(op), op, "not an affine operation");
        }
        RequireFinite(where);
    }

    /// <summary>(x − mean[c]) / std[c] per channel, as transforms.Normalize(mean, std) applies it before the network.</summary>
    /// <exception cref="OnnxImportException">Means or deviations that do not fit the input, or a result that is not a
    /// finite number (a standard deviation too small).</exception>
    public void Normalize(InputNormalization normalization)
    {
        bool image = ChannelsFirst.IsImage(_input);
        int channels = image ? _input[2] : _input.ElementCount;
        normalization.Require(channels, image);
        int period = normalization.Mean.Count == 1 && normalization.Std.Count == 1 ? 1 : channels;
        float[] Repeated(IReadOnlyList<float> values) => [.. Enumerable.Range(0, period).Select(c => values[values.Count == 1 ? 0 : c])];
        float[] std = Repeated(normalization.Std);
        _shift = Combined(_shift, Repeated(normalization.Mean), reuse: true, (x, m) => x - m);
        _shift = Combined(_shift, std, reuse: false, (x, s) => x / s);
        _scale = Combined(_scale, std, reuse: true, (x, s) => x / s);
        RequireFinite("the normalization (x - mean) / std");
    }

    /// <summary>A dense layer's weights (inputs × outputs, rows in the runtime's order) with the normalization folded in,
    /// W'[i, j] = W[i, j]·scale[i], and what its shift adds to each output, Σᵢ W[i, j]·shift[i] (for the layer's bias, or,
    /// when the layer is a factorized one's first factor, for the second's); null when the shift is 0.</summary>
    public (PackedMatrix Weights, double[]? Shift) FoldDense(PackedMatrix weights, string where) => Fold(weights, row => row, where);

    /// <summary>Whether it shifts the input (a mean), not only scales it.</summary>
    public bool Shifts => _shift.Any(s => s != 0);

    /// <summary>The same for a convolution's (k·k·c_in) × c_out weights, whose row (ky·k + kx)·c_in + ci reads channel ci at
    /// every window position: the normalization must be the same at every pixel. A padded convolution absorbs only one that
    /// does not shift (<see cref="Shifts"/>): the padded zeros would become the shift.</summary>
    public (PackedMatrix Weights, double[]? Shift) FoldConvolution(PackedMatrix weights, string where)
    {
        int channels = RequirePerChannel(where);
        return Fold(weights, row => row % channels, where);
    }

    /// <summary>The normalization as a layer of its own, a 1×1 depthwise convolution (filter scale[c], bias shift[c]), for a
    /// first layer that cannot absorb it exactly: a padded convolution, whose padding stands for normalized zeros, a depthwise
    /// one, or one with int8 weights (an image's). ONNX Runtime or PyTorch run the same arithmetic on an input normalized
    /// before the network.</summary>
    public DepthwiseConv2dLayer AsLayer(string where)
    {
        int channels = RequirePerChannel(where);
        float[] scale = Enumerable.Range(0, channels).Select(c => (float)Scale(c)).ToArray(), shift = Enumerable.Range(0, channels).Select(c => (float)Shift(c)).ToArray();
        if (scale.Concat(shift).Any(v => !float.IsFinite(v)))   // the layer holds f32
            throw new OnnxImportException($"{where}: the input's normalization is not a finite number in single precision; check the mean and standard deviation.");
        return new DepthwiseConv2dLayer(scale, shift.Any(v => v != 0) ? shift : ReadOnlyMemory<float>.Empty, channels, new ConvolutionGeometry(1));
    }

    /// <summary>Whether it can be a layer of its own (<see cref="AsLayer"/>): the input is an image, normalized per channel.</summary>
    public bool FitsALayer => ChannelsFirst.IsImage(_input) && PerChannel;

    private bool PerChannel => RepeatsPerChannel(_scale) && RepeatsPerChannel(_shift);

    private bool RepeatsPerChannel(float[] values)
    {
        int channels = _input[2];
        for (int i = channels; i < values.Length; i++)   // none when they repeat per channel or less
            if (values[i] != values[i % channels]) return false;
        return true;
    }

    /// <summary>The image's channels, once the normalization is checked to be the same at every pixel.</summary>
    private int RequirePerChannel(string where) => PerChannel
        ? _input[2]
        : throw new OnnxImportException($"{where}: the input's normalization differs from pixel to pixel; before a convolution only one per channel, or one for all, is supported.");

    private (PackedMatrix Weights, double[]? Shift) Fold(PackedMatrix weights, Func<int, int> element, string where)
    {
        if (weights.ElementType != ElementType.Float32)
            throw new OnnxImportException($"{where}: an input normalization cannot be folded into int8 weights; import the float model, then quantize it with elr quantize.");
        float[] values = weights.ToRowMajor();
        var shifted = new double[weights.Columns];
        for (int i = 0; i < weights.Rows; i++)
        {
            int e = element(i);
            for (int j = 0; j < weights.Columns; j++)
            {
                shifted[j] += values[i * weights.Columns + j] * Shift(e);
                values[i * weights.Columns + j] = (float)(values[i * weights.Columns + j] * Scale(e));
            }
        }
        if (values.Any(v => !float.IsFinite(v)) || shifted.Any(v => !float.IsFinite((float)v)))   // the bias it goes into is f32
            throw new OnnxImportException($"{where}: with the input's normalization folded in, the layer's weights or bias are not finite numbers; check the mean and standard deviation.");
        return (PackedMatrix.FromRowMajor(values, weights.Rows, weights.Columns), shifted.Any(v => v != 0) ? shifted : null);
    }

    /// <summary>A factorized layer's second-factor bias plus what the normalization's shift, carried through the first
    /// factor (<paramref name="shift"/>), adds through the second: b[k] + Σⱼ shift[j]·B[j, k].</summary>
    public static float[] ThroughSecondFactor(double[] shift, PackedMatrix second, ReadOnlySpan<float> bias)
    {
        float[] values = second.ToRowMajor();
        var result = new float[second.Columns];
        for (int k = 0; k < result.Length; k++)
        {
            double sum = bias.IsEmpty ? 0 : bias[k];
            for (int j = 0; j < shift.Length; j++) sum += shift[j] * values[j * second.Columns + k];
            result[k] = (float)sum;
        }
        return result;
    }

    /// <summary>A layer's bias (empty: zeros) plus the normalization's shift carried through it.</summary>
    public static float[] Plus(ReadOnlySpan<float> bias, double[] shift)
    {
        var result = new float[shift.Length];
        for (int j = 0; j < result.Length; j++) result[j] = (float)((bias.IsEmpty ? 0 : bias[j]) + shift[j]);
        return result;
    }

    private void RequireFinite(string where)
    {
        if (_scale.Any(v => !float.IsFinite(v)) || _shift.Any(v => !float.IsFinite(v)))
            throw new OnnxImportException($"{where}: the input's normalization is not a finite number (a NaN or infinite constant, or a division by a value near 0).");
    }

    /// <summary><paramref name="current"/> combined with <paramref name="c"/> by <paramref name="f"/>, element by element of a
    /// sample, each repeating along it (their lengths 1, the channels or every element; each divides the next): held in
    /// <paramref name="current"/> when it is as long, else in <paramref name="c"/> when it may be overwritten
    /// (<paramref name="reuse"/>), else in a new array.</summary>
    private static float[] Combined(float[] current, float[] c, bool reuse, Func<double, double, double> f)
    {
        float[] result = current.Length >= c.Length ? current : reuse ? c : new float[c.Length];
        for (int i = 0; i < result.Length; i++) result[i] = (float)f(current[i % current.Length], c[i % c.Length]);
        return result;
    }

    /// <summary>A constant broadcast against the input, as values that repeat along a sample in the runtime's order: one, one per
    /// channel, or one per element; <paramref name="values"/> itself where ONNX's order is the runtime's (all but a per-element
    /// constant of an image of several channels, which is reordered into a new array).</summary>
    private float[] InRuntimeOrder(float[] values, long[] dims, string where)
    {
        int n = _input.ElementCount;
        long[] trimmed = dims.SkipWhile((d, i) => d == 1 && dims.Length - i > (ChannelsFirst.IsImage(_input) ? 3 : 1)).ToArray();
        if (values.Length == 1) return values;
        if (!ChannelsFirst.IsImage(_input))
            return trimmed.Length == 1 && trimmed[0] == n
                ? values
                : throw new OnnxImportException($"{where}: the constant is {string.Join("×", dims)}; against an input of {n} values it must be one value or {n}.");
        int height = _input[0], width = _input[1], channels = _input[2];
        bool perChannel = trimmed.SequenceEqual([channels, 1L, 1L]), perElement = trimmed.SequenceEqual([channels, (long)height, width]);
        if (!perChannel && !perElement)
            throw new OnnxImportException($"{where}: the constant is {string.Join("×", dims)}; against an image of {channels}×{height}×{width} it must be one value, "
                + $"one per channel ({channels}×1×1) or one per element.");
        if (perChannel || channels == 1) return values;   // one channel: ONNX's (c, h, w) order is the runtime's (h, w, c)
        var result = new float[n];
        for (int c = 0; c < channels; c++)
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                    result[(y * width + x) * channels + c] = values[(c * height + y) * width + x];
        return result;
    }
}
