using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.FixtureGenerator;

/// <summary>A layer as the generator knows it: plain row-major f32 arrays that both the reference
/// forward pass and the runtime model are built from.</summary>
internal abstract record LayerSpec;

/// <summary>y = act(xW + b), W row-major inputs × outputs; an empty bias means none.</summary>
internal sealed record DenseSpec(int Inputs, int Outputs, float[] Weights, float[] Bias, bool Relu) : LayerSpec;

/// <summary>y = act((xA)B + b), A row-major inputs × rank, B row-major rank × outputs.</summary>
internal sealed record FactorizedSpec(int Inputs, int Rank, int Outputs, float[] First, float[] Second, float[] Bias,
    bool Relu, FactorizationMethod Method) : LayerSpec;

/// <summary>A layer without weights (ReLU, softmax, flatten).</summary>
internal sealed record ElementwiseSpec(LayerKind Kind) : LayerSpec;

/// <summary>A whole fixture network: its name, input shape, layers and metadata.</summary>
internal sealed record NetSpec(string Name, int[] InputShape, IReadOnlyList<LayerSpec> Layers, ModelMetadata Metadata, ulong Seed)
{
    /// <summary>The same network as a runtime model, weights packed into panels.</summary>
    public Model ToModel() => new(new TensorShape(InputShape), Layers.Select(ToLayer).ToArray(), Metadata);

    private static Layer ToLayer(LayerSpec spec) => spec switch
    {
        DenseSpec d => new DenseLayer(PackedMatrix.FromRowMajor(d.Weights, d.Inputs, d.Outputs), d.Bias, Act(d.Relu)),
        FactorizedSpec f => new FactorizedDenseLayer(PackedMatrix.FromRowMajor(f.First, f.Inputs, f.Rank),
            PackedMatrix.FromRowMajor(f.Second, f.Rank, f.Outputs), f.Bias, Act(f.Relu), f.Method),
        ElementwiseSpec { Kind: LayerKind.Relu } => new ReluLayer(),
        ElementwiseSpec { Kind: LayerKind.Softmax } => new SoftmaxLayer(),
        ElementwiseSpec { Kind: LayerKind.Flatten } => new FlattenLayer(),
        _ => throw new NotSupportedException(spec.ToString()),
    };

    private static Activation Act(bool relu) => relu ? Activation.Relu : Activation.None;
}
