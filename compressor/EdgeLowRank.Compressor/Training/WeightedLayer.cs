using EdgeLowRank.Compressor.Data;

namespace EdgeLowRank.Compressor.Training;

/// <summary>
/// A layer with one weight matrix and an optional bias: <see cref="Dense"/> and <see cref="Conv2d"/>.
/// The compression step finds the matrices it factorizes as the <see cref="Weight"/> of these layers
/// (outputs × fan-in, row-major), reads and overwrites them in place, and adds its penalty's gradient
/// to <see cref="Parameter.Gradient"/> between the backward pass and the optimizer step.
/// </summary>
public abstract class WeightedLayer : TrainingLayer
{
    /// <summary>Creates the zero-filled weight (outputs × fanIn) and, if asked, the bias.</summary>
    protected WeightedLayer(string name, int fanIn, int outputs, bool hasBias)
    {
        Name = name;
        FanIn = fanIn;
        Weight = new Parameter($"{name}.weight", outputs, fanIn, decays: true);
        Bias = hasBias ? new Parameter($"{name}.bias", outputs, 1, decays: false) : null;
        Products = new WeightProducts(fanIn, outputs);
    }

    /// <summary>A shard replica of <paramref name="primary"/> (see <see cref="TrainingLayer.Replicate"/>).</summary>
    private protected WeightedLayer(WeightedLayer primary)
    {
        Name = primary.Name;
        FanIn = primary.FanIn;
        Weight = new Parameter(primary.Weight);
        Bias = primary.Bias is null ? null : new Parameter(primary.Bias);
        Products = new WeightProducts(primary.Products);
    }

    /// <inheritdoc/>
    public sealed override string Name { get; }

    /// <summary>The inputs each output sums over: the columns of <see cref="Weight"/>.</summary>
    public int FanIn { get; }

    /// <summary>W: outputs × fan-in, output-major.</summary>
    public Parameter Weight { get; }

    /// <summary>b: outputs × 1, or null.</summary>
    public Parameter? Bias { get; }

    /// <inheritdoc/>
    public sealed override IReadOnlyList<Parameter> Parameters => Bias is null ? [Weight] : [Weight, Bias];

    /// <summary>The GEMMs over <see cref="Weight"/>.</summary>
    private protected WeightProducts Products { get; }

    /// <summary>Weight and bias gradients from rows of (fan-in) inputs and their output gradients.</summary>
    private protected void ParameterGradients(float[] inputRows, float[] outputGradient, int rows, ComputeThreads threads)
    {
        Products.WeightGradient(inputRows, outputGradient, rows, Weight.Gradient, threads);
        if (Bias is not null) Products.BiasGradient(outputGradient, rows, Bias.Gradient);
    }

    /// <inheritdoc/>
    internal sealed override void PrepareStep(bool needsInputGradient, ComputeThreads threads) =>
        Products.PackWeights(Weight.Value, needsInputGradient, threads);

    /// <inheritdoc/>
    internal sealed override void Initialize(SeededRandom random)
    {
        KaimingUniform.Fill(Weight, FanIn, random);
        if (Bias is not null) KaimingUniform.Fill(Bias, FanIn, random);
    }
}
