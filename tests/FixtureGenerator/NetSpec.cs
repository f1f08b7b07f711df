using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.FixtureGenerator;

/// <summary>A layer as the generator knows it: plain row-major f32 arrays that both the reference
/// forward pass and the runtime model are built from.</summary>
internal abstract record LayerSpec;

/// <summary>y = act(xW + b), W row-major inputs × outputs; an empty bias means none. With DynamicInputs (since format
/// 1.10; int8 weights only) the product is an integer one over inputs quantized per sample (<see cref="IntegerProduct"/>).</summary>
internal sealed record DenseSpec(int Inputs, int Outputs, float[] Weights, float[] Bias, bool Relu, bool DynamicInputs = false) : LayerSpec;

/// <summary>y = act((xA)B + b), A row-major inputs × rank, B row-major rank × outputs; DynamicInputs as for
/// <see cref="DenseSpec"/>, each of the two products quantizing its own inputs.</summary>
internal sealed record FactorizedSpec(int Inputs, int Rank, int Outputs, float[] First, float[] Second, float[] Bias,
    bool Relu, FactorizationMethod Method, bool DynamicInputs = false) : LayerSpec;

/// <summary>A k×k convolution over a channels-last image: y = act(conv(x, W) + b), W row-major (k·k·c_in) × c_out with
/// row index (ky·k + kx)·c_in + ci; an empty bias means none. With DynamicInputs (since format 1.11; int8 weights only) the
/// sums are integer ones over the image quantized as one sample (<see cref="IntegerProduct.Convolve"/>).</summary>
internal sealed record ConvSpec(int InputChannels, int OutputChannels, int Kernel, int Stride, int Padding, float[] Weights, float[] Bias,
    bool Relu, bool DynamicInputs = false) : LayerSpec;

/// <summary>A k×k convolution to Rank channels (First, row-major (k·k·c_in) × rank, no bias) followed by a 1×1
/// convolution (Second, row-major rank × c_out) with the bias and activation; DynamicInputs as for <see cref="ConvSpec"/>,
/// the rank-r image quantized again.</summary>
internal sealed record FactorizedConvSpec(int InputChannels, int Rank, int OutputChannels, int Kernel, int Stride, int Padding,
    float[] First, float[] Second, float[] Bias, bool Relu, FactorizationMethod Method, bool DynamicInputs = false) : LayerSpec;

/// <summary>A depthwise k×k convolution (since format 1.5): y[.., ch] = act(b[ch] + Σ x[oy·s − p + ky, ox·s − p + kx, ch] ·
/// Filters[(ky·k + kx)·c + ch]); an empty bias means none.</summary>
internal sealed record DepthwiseSpec(int Channels, int Kernel, int Stride, int Padding, float[] Filters, float[] Bias, bool Relu) : LayerSpec;

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

/// <summary>Max pooling over Size×Size windows moved by Stride; with Padding (since format 1.7) windows hang over each edge
/// by up to that many pixels, and only the pixels inside count.</summary>
internal sealed record MaxPoolSpec(int Size, int Stride, int Padding = 0) : LayerSpec;

/// <summary>Average pooling over Size×Size windows moved by Stride, no padding (since format 1.4).</summary>
internal sealed record AvgPoolSpec(int Size, int Stride) : LayerSpec;

/// <summary>A layer without weights (ReLU, softmax, flatten; tanh and sigmoid since format 1.4; ReLU6 since 1.6; hard swish
/// and SiLU since 1.9).</summary>
internal sealed record ElementwiseSpec(LayerKind Kind) : LayerSpec;

/// <summary>A whole fixture network: its name, input shape, layers and metadata; <see cref="Int8"/> holds the int8 form
/// (quantized values and column scales) of the weight arrays an int8 network stores so (<see cref="Int8Twin"/>).</summary>
internal sealed record NetSpec(string Name, int[] InputShape, IReadOnlyList<LayerSpec> Layers, ModelMetadata Metadata, ulong Seed)
{
    public IReadOnlyDictionary<float[], (sbyte[] Quantized, float[] Scales)> Int8 { get; init; } =
        new Dictionary<float[], (sbyte[] Quantized, float[] Scales)>();

    /// <summary>The same network as a runtime model, weights packed into panels.</summary>
    public Model ToModel() => new(new TensorShape(InputShape), Layers.Select(ToLayer).ToArray(), Metadata);

    private PackedMatrix Matrix(float[] weights, int rows, int columns) => Int8.TryGetValue(weights, out var int8)
        ? PackedMatrix.FromRowMajor(int8.Quantized, int8.Scales, rows, columns)
        : PackedMatrix.FromRowMajor(weights, rows, columns);

    private Layer ToLayer(LayerSpec spec) => spec switch
    {
        DenseSpec d => new DenseLayer(Matrix(d.Weights, d.Inputs, d.Outputs), d.Bias, Act(d.Relu), Inputs(d.DynamicInputs)),
        FactorizedSpec f => new FactorizedDenseLayer(Matrix(f.First, f.Inputs, f.Rank),
            Matrix(f.Second, f.Rank, f.Outputs), f.Bias, Act(f.Relu), f.Method, Inputs(f.DynamicInputs)),
        ConvSpec c => new Conv2dLayer(Matrix(c.Weights, c.Kernel * c.Kernel * c.InputChannels, c.OutputChannels), c.Bias,
            c.InputChannels, new ConvolutionGeometry(c.Kernel, c.Stride, c.Padding), Act(c.Relu), Inputs(c.DynamicInputs)),
        FactorizedConvSpec f => new FactorizedConv2dLayer(Matrix(f.First, f.Kernel * f.Kernel * f.InputChannels, f.Rank),
            Matrix(f.Second, f.Rank, f.OutputChannels), f.Bias, f.InputChannels,
            new ConvolutionGeometry(f.Kernel, f.Stride, f.Padding), Act(f.Relu), f.Method, Inputs(f.DynamicInputs)),
        DepthwiseSpec d => new DepthwiseConv2dLayer(d.Filters, d.Bias, d.Channels, new ConvolutionGeometry(d.Kernel, d.Stride, d.Padding), Act(d.Relu)),
        AddSpec a => new AddLayer(a.Source, Act(a.Relu)),
        BranchSpec b => new BranchLayer(b.Source),
        ConcatSpec c => new ConcatLayer(c.Source, c.InputFirst),
        ChannelSliceSpec s => new ChannelSliceLayer(s.Start, s.Count),
        ChannelShuffleSpec s => new ChannelShuffleLayer(s.Groups),
        HardSigmoidSpec h => new HardSigmoidLayer(h.Alpha, h.Beta),
        LeakyReluSpec l => new LeakyReluLayer(l.Alpha),
        ChannelScaleSpec s => new ChannelScaleLayer(s.Source),
        MaxPoolSpec p => new MaxPool2dLayer(p.Size, p.Stride, p.Padding),
        AvgPoolSpec p => new AvgPool2dLayer(p.Size, p.Stride),
        ElementwiseSpec { Kind: LayerKind.Relu } => new ReluLayer(),
        ElementwiseSpec { Kind: LayerKind.Tanh } => new TanhLayer(),
        ElementwiseSpec { Kind: LayerKind.Relu6 } => new Relu6Layer(),
        ElementwiseSpec { Kind: LayerKind.Sigmoid } => new SigmoidLayer(),
        ElementwiseSpec { Kind: LayerKind.HardSwish } => new HardSwishLayer(),
        ElementwiseSpec { Kind: LayerKind.Silu } => new SiluLayer(),
        ElementwiseSpec { Kind: LayerKind.Softmax } => new SoftmaxLayer(),
        ElementwiseSpec { Kind: LayerKind.Flatten } => new FlattenLayer(),
        _ => throw new NotSupportedException(spec.ToString()),
    };

    private static Activation Act(bool relu) => relu ? Activation.Relu : Activation.None;

    private static InputQuantization Inputs(bool dynamic) => dynamic ? InputQuantization.Dynamic : InputQuantization.None;
}
