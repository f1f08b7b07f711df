using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.FixtureGenerator;

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
            c.InputChannels, new ConvolutionGeometry(c.Kernel, c.Stride, c.Pads), Act(c.Relu), Inputs(c.DynamicInputs)),
        FactorizedConvSpec f => new FactorizedConv2dLayer(Matrix(f.First, f.Kernel * f.Kernel * f.InputChannels, f.Rank),
            Matrix(f.Second, f.Rank, f.OutputChannels), f.Bias, f.InputChannels,
            new ConvolutionGeometry(f.Kernel, f.Stride, f.Pads), Act(f.Relu), f.Method, Inputs(f.DynamicInputs)),
        DepthwiseSpec d => new DepthwiseConv2dLayer(d.Filters, d.Bias, d.Channels, new ConvolutionGeometry(d.Kernel, d.Stride, d.Pads), Act(d.Relu)),
        AddSpec a => new AddLayer(a.Source, Act(a.Relu)),
        BranchSpec b => new BranchLayer(b.Source),
        ConcatSpec c => new ConcatLayer(c.Source, c.InputFirst),
        ChannelSliceSpec s => new ChannelSliceLayer(s.Start, s.Count),
        ChannelShuffleSpec s => new ChannelShuffleLayer(s.Groups),
        HardSigmoidSpec h => new HardSigmoidLayer(h.Alpha, h.Beta),
        LeakyReluSpec l => new LeakyReluLayer(l.Alpha),
        ChannelScaleSpec s => new ChannelScaleLayer(s.Source),
        MaxPoolSpec p => new MaxPool2dLayer(p.Size, p.Stride, p.Pads),
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
