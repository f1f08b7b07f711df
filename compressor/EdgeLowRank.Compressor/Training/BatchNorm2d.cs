using System.Numerics.Tensors;
using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Training;

/// <summary>
/// Batch normalization over the channels of channels-last images (H×W×C; or of vectors, whose every value is a channel), as
/// PyTorch's <c>BatchNorm2d</c> (<c>BatchNorm1d</c> for vectors): y = γ·(x − μ)/√(σ² + ε) + β per channel.
/// <para>In <see cref="ForwardMode.Training"/> μ and σ² are the batch's mean and biased variance over samples and pixels, and
/// the running statistics move towards them: running = (1 − momentum)·running + momentum·batch, with the unbiased variance
/// (σ²·n/(n − 1)) for the running variance, as PyTorch does. In <see cref="ForwardMode.Evaluation"/> μ and σ² are the running
/// statistics, which the exporter folds into the layer before (<c>Export/BatchNormFold</c>): the runtime has no batch norm.</para>
/// <para>γ (init 1) and β (init 0) are parameters the optimizer trains without weight decay, as PyTorch recipes exclude
/// normalization parameters from it (torchvision's <c>--norm-weight-decay 0</c>): decay would pull γ to 0, scaling the channel
/// away, where the following layer's weights would simply grow back.</para>
/// <para>The statistics couple the samples of a batch, so the layer cannot run in shards (<see cref="Replicate"/>): a network
/// with batch norm trains each batch whole through <see cref="Network"/>, its sums taken in fixed blocks
/// (<see cref="ChannelBlocks"/>) so a seed gives bit-identical weights on any number of threads.</para>
/// </summary>
public sealed class BatchNorm2d : TrainingLayer
{
    private readonly ChannelBlocks _blocks;
    private readonly double[] _sum;
    private readonly float[] _mean, _inverseDeviation, _scale, _shift, _gradientScale, _meanGradient, _negativeGammaGradient;
    private readonly Action<int, int> _evaluateBlock, _centreBlock, _normalizeBlock, _inputGradientBlock;
    private int _pixels;
    private float[] _normalized = [];
    private bool _hasBatchStatistics;

    // The arrays of the pass in progress, which the block delegates above read: made once in the constructor, they cannot
    // capture them (a lambda that did would allocate a closure on every training step).
    private float[] _input = [], _output = [], _outputGradient = [], _inputGradient = [];

    /// <summary>Creates the layer with γ = 1, β = 0, running mean 0 and running variance 1 (PyTorch's start).</summary>
    /// <param name="name">A short name for reports, e.g. "bn1".</param>
    /// <param name="channels">C: the channels of its input (the last dimension).</param>
    /// <param name="momentum">The weight of each batch in the running statistics, in (0, 1].</param>
    /// <param name="epsilon">ε added to the variance, positive.</param>
    public BatchNorm2d(string name, int channels, double momentum = 0.1, double epsilon = 1e-5)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        if (!(momentum > 0 && momentum <= 1)) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "The momentum must be in (0, 1].");
        if (!(epsilon > 0 && double.IsFinite(epsilon))) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ε must be positive.");
        Name = name;
        Momentum = momentum;
        Epsilon = epsilon;
        Gamma = new Parameter($"{name}.weight", channels, 1, decays: false);
        Beta = new Parameter($"{name}.bias", channels, 1, decays: false);
        RunningMean = new float[channels];
        RunningVariance = new float[channels];
        ResetStatistics();
        _blocks = new ChannelBlocks(channels);
        _sum = new double[channels];
        _mean = new float[channels];
        _inverseDeviation = new float[channels];
        _scale = new float[channels];
        _shift = new float[channels];
        _gradientScale = new float[channels];
        _meanGradient = new float[channels];
        _negativeGammaGradient = new float[channels];
        _evaluateBlock = EvaluateBlock;
        _centreBlock = CentreBlock;
        _normalizeBlock = NormalizeBlock;
        _inputGradientBlock = InputGradientBlock;
    }

    /// <inheritdoc/>
    public override string Name { get; }

    /// <summary>C.</summary>
    public int Channels => Gamma.Length;

    /// <summary>The weight of each training batch in the running statistics.</summary>
    public double Momentum { get; }

    /// <summary>ε.</summary>
    public double Epsilon { get; }

    /// <summary>γ, one per channel (PyTorch's <c>weight</c>).</summary>
    public Parameter Gamma { get; }

    /// <summary>β, one per channel (PyTorch's <c>bias</c>).</summary>
    public Parameter Beta { get; }

    /// <summary>The running mean per channel, which evaluation and the exported model use.</summary>
    public float[] RunningMean { get; }

    /// <summary>The running (unbiased) variance per channel, which evaluation and the exported model use.</summary>
    public float[] RunningVariance { get; }

    /// <summary>How the next <see cref="Forward"/> normalizes; <see cref="Network.Forward"/> sets it on every pass.</summary>
    public ForwardMode Mode { get; set; } = ForwardMode.Training;

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter> Parameters => [Gamma, Beta];

    /// <summary>The per-channel scale s = γ/√(running variance + ε) and shift β − running mean·s that evaluation applies,
    /// y = x·s + shift: what the exporter folds into the layer before.</summary>
    public (float[] Scale, float[] Shift) EvaluationAffine()
    {
        ComputeEvaluationAffine();
        return (_scale.ToArray(), _shift.ToArray());
    }

    /// <inheritdoc/>
    public override TensorShape Bind(TensorShape input, int maxBatch)
    {
        if (input.Rank is not (1 or 3) || input[input.Rank - 1] != Channels)
            throw new ArgumentException($"{Name} normalizes {Channels} channels: it takes an H×W×{Channels} image or a vector of {Channels} values, not {input}.");
        _pixels = input.ElementCount / Channels;
        _normalized = new float[checked(maxBatch * input.ElementCount)];
        return input;
    }

    /// <inheritdoc/>
    public override void Forward(float[] input, float[] output, int batch, ComputeThreads threads)
    {
        int rows = batch * _pixels, c = Channels;
        (_input, _output) = (input, output);
        _hasBatchStatistics = Mode == ForwardMode.Training;
        if (Mode == ForwardMode.Evaluation)
        {
            ComputeEvaluationAffine();
            _blocks.Tile(0, _scale, rows);
            _blocks.Tile(1, _shift, rows);
            _blocks.ForBlocks(rows, threads, _evaluateBlock);
            return;
        }
        if (rows < 2)
            throw new TrainingException($"{Name}: batch normalization in training needs more than one value per channel, but the batch holds {batch} sample(s) "
                + $"of {_pixels} pixel(s) (PyTorch refuses this too); use a batch size whose last batch holds at least two samples.");
        _blocks.Sum(input, null, rows, threads, _sum);
        for (int i = 0; i < c; i++) _mean[i] = (float)(_sum[i] / rows);
        // Two passes (the centred values, then their squares) rather than E[x²] − E[x]², which cancels when |mean| ≫ deviation.
        _blocks.Tile(0, _mean, rows);
        _blocks.ForBlocks(rows, threads, _centreBlock);
        _blocks.Sum(_normalized, _normalized, rows, threads, _sum);
        for (int i = 0; i < c; i++)
        {
            double variance = _sum[i] / rows;
            _inverseDeviation[i] = (float)(1 / Math.Sqrt(variance + Epsilon));
            RunningMean[i] = (float)((1 - Momentum) * RunningMean[i] + Momentum * _mean[i]);
            RunningVariance[i] = (float)((1 - Momentum) * RunningVariance[i] + Momentum * variance * rows / (rows - 1));
        }
        _blocks.Tile(0, _inverseDeviation, rows);
        _blocks.Tile(1, Gamma.Value, rows);
        _blocks.Tile(2, Beta.Value, rows);
        _blocks.ForBlocks(rows, threads, _normalizeBlock);
    }

    /// <summary>The standard gradient through the batch statistics, with x̂ the normalized input and n the values per channel:
    /// dβ = Σ dy, dγ = Σ dy·x̂, dx = γ/√(σ² + ε)·(dy − dβ/n − x̂·dγ/n).</summary>
    /// <exception cref="InvalidOperationException">The last forward pass was in evaluation mode: there are no batch statistics to differentiate.</exception>
    public override void Backward(float[] input, float[] output, float[] outputGradient, float[]? inputGradient, int batch, ComputeThreads threads)
    {
        if (!_hasBatchStatistics)
            throw new InvalidOperationException($"{Name}: a backward pass must follow a forward pass in training mode (ForwardMode.Training), which keeps the batch statistics.");
        int rows = batch * _pixels, c = Channels;
        _blocks.Sum(outputGradient, null, rows, threads, _sum);
        for (int i = 0; i < c; i++) Beta.Gradient[i] = (float)_sum[i];
        _blocks.Sum(outputGradient, _normalized, rows, threads, _sum);
        for (int i = 0; i < c; i++) Gamma.Gradient[i] = (float)_sum[i];
        if (inputGradient is null) return;
        for (int i = 0; i < c; i++)
        {
            _meanGradient[i] = Beta.Gradient[i] / rows;
            _negativeGammaGradient[i] = -Gamma.Gradient[i] / rows;
            _gradientScale[i] = Gamma.Value[i] * _inverseDeviation[i];
        }
        (_outputGradient, _inputGradient) = (outputGradient, inputGradient);
        _blocks.Tile(0, _meanGradient, rows);
        _blocks.Tile(1, _negativeGammaGradient, rows);
        _blocks.Tile(2, _gradientScale, rows);
        _blocks.ForBlocks(rows, threads, _inputGradientBlock);
    }

    /// <summary>None: the batch statistics couple the samples, and a shard would normalize with its own samples' statistics
    /// only (another function than the whole batch's), so a network with batch norm trains each batch whole.</summary>
    internal override TrainingLayer? Replicate() => null;

    /// <summary>γ = 1, β = 0 and fresh running statistics; draws nothing, so the layers after it start as without it.</summary>
    internal override void Initialize(SeededRandom random) => ResetStatistics();

    private void ResetStatistics()
    {
        Array.Fill(Gamma.Value, 1f);
        Array.Clear(Beta.Value);
        Array.Clear(RunningMean);
        Array.Fill(RunningVariance, 1f);
    }

    /// <summary>y = x·scale + shift (tiles 0 and 1) over one block.</summary>
    private void EvaluateBlock(int start, int n) =>
        TensorPrimitives.MultiplyAdd(_input.AsSpan(start, n), _blocks.Tiled(0, n), _blocks.Tiled(1, n), _output.AsSpan(start, n));

    /// <summary>x − μ (tile 0) into the normalized values over one block.</summary>
    private void CentreBlock(int start, int n) =>
        TensorPrimitives.Subtract(_input.AsSpan(start, n), _blocks.Tiled(0, n), _normalized.AsSpan(start, n));

    /// <summary>x̂ = (x − μ)·1/√(σ² + ε) (tile 0) in place, then y = γ·x̂ + β (tiles 1 and 2), over one block.</summary>
    private void NormalizeBlock(int start, int n)
    {
        Span<float> normalized = _normalized.AsSpan(start, n);
        TensorPrimitives.Multiply(normalized, _blocks.Tiled(0, n), normalized);
        TensorPrimitives.MultiplyAdd(normalized, _blocks.Tiled(1, n), _blocks.Tiled(2, n), _output.AsSpan(start, n));
    }

    /// <summary>dx = (dy − dβ/n (tile 0) + x̂·(−dγ/n) (tile 1))·γ/√(σ² + ε) (tile 2) over one block.</summary>
    private void InputGradientBlock(int start, int n)
    {
        Span<float> dx = _inputGradient.AsSpan(start, n);
        TensorPrimitives.Subtract(_outputGradient.AsSpan(start, n), _blocks.Tiled(0, n), dx);
        TensorPrimitives.MultiplyAdd(_normalized.AsSpan(start, n), _blocks.Tiled(1, n), dx, dx);
        TensorPrimitives.Multiply(dx, _blocks.Tiled(2, n), dx);
    }

    private void ComputeEvaluationAffine()
    {
        for (int i = 0; i < Channels; i++)
        {
            _scale[i] = (float)(Gamma.Value[i] / Math.Sqrt(RunningVariance[i] + Epsilon));
            _shift[i] = Beta.Value[i] - RunningMean[i] * _scale[i];
        }
    }
}
