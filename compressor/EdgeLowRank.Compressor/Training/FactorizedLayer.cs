using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Training;

/// <summary>
/// A layer whose weight matrix is a fixed-rank product, trained as two layers with nothing between
/// them: a factorized dense layer is Dense(inputs → r, no bias) then Dense(r → outputs, bias); a
/// factorized convolution is a k×k Conv2d to r channels (no bias) then a 1×1 Conv2d to c_out. The
/// compression step builds one from its two factors (written into <see cref="First"/>'s and
/// <see cref="Second"/>'s weights) and swaps it in with <see cref="Network.Replace"/> to fine-tune
/// with the rank fixed; the exporter writes it as the runtime's factorized layer.
/// </summary>
public sealed class FactorizedLayer : TrainingLayer
{
    private float[] _middle = [];
    private float[] _middleGradient = [];
    private int _middleLength;

    private FactorizedLayer(string name, TrainingLayer first, TrainingLayer second, FactorizationMethod method)
    {
        Name = name;
        First = first;
        Second = second;
        Method = method;
    }

    /// <summary>A factorized dense layer: W (outputs × inputs) ≈ Second.Weight (outputs × r) · First.Weight (r × inputs).</summary>
    public static FactorizedLayer Dense(string name, int inputs, int rank, int outputs, FactorizationMethod method) =>
        new(name, new Dense($"{name}.first", inputs, rank, hasBias: false), new Dense($"{name}.second", rank, outputs), method);

    /// <summary>A factorized convolution: a k×k convolution to <paramref name="rank"/> channels, then a 1×1 convolution to the outputs.</summary>
    public static FactorizedLayer Conv(string name, int inputChannels, int rank, int outputChannels, ConvolutionGeometry geometry,
        FactorizationMethod method) =>
        new(name, new Conv2d($"{name}.first", inputChannels, rank, geometry, hasBias: false),
            new Conv2d($"{name}.second", rank, outputChannels, new ConvolutionGeometry(1)), method);

    /// <summary>The factorized form, at <paramref name="rank"/>, of a <see cref="Training.Dense"/> or <see cref="Conv2d"/> layer
    /// (same name and shapes; the factors hold no values yet).</summary>
    /// <exception cref="ArgumentException"><paramref name="layer"/> is neither.</exception>
    public static FactorizedLayer Of(WeightedLayer layer, int rank, FactorizationMethod method) => layer switch
    {
        Training.Dense dense => Dense(dense.Name, dense.Inputs, rank, dense.Outputs, method),
        Conv2d conv => Conv(conv.Name, conv.InputChannels, rank, conv.OutputChannels, conv.Geometry, method),
        _ => throw new ArgumentException($"{layer.Name} is neither dense nor a convolution.", nameof(layer)),
    };

    /// <inheritdoc/>
    public override string Name { get; }

    /// <summary>The first factor: a <see cref="Training.Dense"/> or <see cref="Conv2d"/> without bias.</summary>
    public TrainingLayer First { get; }

    /// <summary>The second factor, with the bias: a <see cref="Training.Dense"/> or a 1×1 <see cref="Conv2d"/>.</summary>
    public TrainingLayer Second { get; }

    /// <summary>r: the first factor's outputs (rows of its weight), the inner dimension of the product.</summary>
    public int Rank => ((WeightedLayer)First).Weight.Rows;

    /// <summary>How the factors were computed (recorded in the exported model).</summary>
    public FactorizationMethod Method { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter> Parameters => [.. First.Parameters, .. Second.Parameters];

    /// <inheritdoc/>
    public override TensorShape Bind(TensorShape input, int maxBatch)
    {
        TensorShape middle = First.Bind(input, maxBatch);
        _middleLength = middle.ElementCount;
        _middle = new float[checked(maxBatch * middle.ElementCount)];
        _middleGradient = new float[_middle.Length];
        return Second.Bind(middle, maxBatch);
    }

    /// <inheritdoc/>
    public override void Forward(float[] input, float[] output, int batch, ComputeThreads threads)
    {
        First.Forward(input, _middle, batch, threads);
        Second.Forward(_middle, output, batch, threads);
    }

    /// <inheritdoc/>
    public override void Backward(float[] input, float[] output, float[] outputGradient, float[]? inputGradient, int batch, ComputeThreads threads)
    {
        Second.Backward(_middle, output, outputGradient, _middleGradient, batch, threads);
        First.Backward(input, _middle, _middleGradient, inputGradient, batch, threads);
    }

    /// <inheritdoc/>
    internal override TrainingLayer? Replicate() =>
        First.Replicate() is { } first && Second.Replicate() is { } second ? new FactorizedLayer(Name, first, second, Method) : null;

    /// <inheritdoc/>
    internal override long ScratchFloatsPerSample =>
        First.ScratchFloatsPerSample + Second.ScratchFloatsPerSample + 2L * _middleLength;

    /// <inheritdoc/>
    internal override void PrepareStep(bool needsInputGradient, ComputeThreads threads)
    {
        First.PrepareStep(needsInputGradient, threads);
        Second.PrepareStep(needsInputGradient: true, threads);
    }

    /// <inheritdoc/>
    internal override void Initialize(SeededRandom random)
    {
        First.Initialize(random);
        Second.Initialize(random);
    }
}
