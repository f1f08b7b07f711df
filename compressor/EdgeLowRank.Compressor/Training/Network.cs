using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Training;

/// <summary>
/// A chain of <see cref="TrainingLayer"/>s from an input shape to class scores (logits), with the
/// activation and gradient memory for batches up to <see cref="MaxBatch"/>; a <see cref="ResidualAdd"/> adds an earlier
/// activation of the chain to its input (a skip connection), a <see cref="ChannelConcat"/> stacks an earlier activation's channels
/// with its input's, a <see cref="ChannelScale"/> scales an earlier activation's channels by its input (squeeze-and-excitation), and a <see cref="ShortcutBranch"/> continues the chain from an earlier activation (a path with layers of its
/// own, which an Add or a concatenation then joins). Shapes are checked when the network is built and whenever a
/// layer is replaced.
/// </summary>
public sealed class Network
{
    private readonly List<TrainingLayer> _layers;
    private BatchNorm2d[] _norms = []; // found at each bind (a Replace may change them): every forward pass sets their mode
    private TensorShape[] _shapes = [];
    private LayerChain _chain = null!; // set by Bind, which the constructor calls

    /// <summary>Creates the network and checks that every layer accepts its predecessor's output.</summary>
    /// <exception cref="ArgumentException">A layer does not accept its input; the message names it.</exception>
    public Network(string name, TensorShape inputShape, IEnumerable<TrainingLayer> layers, int maxBatch = 256)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBatch);
        Name = name;
        InputShape = inputShape;
        _layers = layers.ToList();
        if (_layers.Count == 0) throw new ArgumentException("A network needs at least one layer.", nameof(layers));
        Bind(maxBatch);
    }

    /// <summary>The architecture's name, e.g. "lenet300".</summary>
    public string Name { get; }

    /// <summary>The shape of one input sample (channels-last images, or vectors).</summary>
    public TensorShape InputShape { get; }

    /// <summary>The shape of one output: a vector of class scores.</summary>
    public TensorShape OutputShape => _shapes[^1];

    /// <summary>The largest batch the memory is sized for; larger batches grow it.</summary>
    public int MaxBatch { get; private set; }

    /// <summary>The layers in execution order.</summary>
    public IReadOnlyList<TrainingLayer> Layers => _layers;

    /// <summary>Every trainable parameter, layer by layer.</summary>
    public IEnumerable<Parameter> Parameters => _layers.SelectMany(l => l.Parameters);

    /// <summary>Every array training changes and evaluation reads: each parameter's values, then each batch norm's running
    /// mean and variance. Copied out and back, they are the network at that moment (a checkpoint, the fine-tune's best epoch);
    /// without batch norm they are the parameters alone.</summary>
    public IEnumerable<float[]> TrainedState => Parameters.Select(p => p.Value)
        .Concat(_layers.OfType<BatchNorm2d>().SelectMany(norm => new[] { norm.RunningMean, norm.RunningVariance }));

    /// <summary>
    /// The first parameter holding a NaN or ∞ (or values so large their sum overflows): SGD has diverged, or the weights
    /// were loaded broken. Null when every parameter is finite. A vectorized sum per parameter keeps the check cheap enough
    /// to run after every step.
    /// </summary>
    public Parameter? FirstNonFinite() =>
        Parameters.FirstOrDefault(p => !float.IsFinite(System.Numerics.Tensors.TensorPrimitives.Sum<float>(p.Value)));

    /// <summary>The number of trainable values.</summary>
    public long ParameterCount => Parameters.Sum(p => (long)p.Length);

    /// <summary>The input shape of layer <paramref name="index"/>.</summary>
    public TensorShape InputShapeOf(int index) => _shapes[index];

    /// <summary>Initializes every parameter like PyTorch does, from one seed.</summary>
    public void Initialize(ulong seed)
    {
        var random = new SeededRandom(seed);
        foreach (TrainingLayer layer in _layers) layer.Initialize(random);
    }

    /// <summary>Replaces layer <paramref name="index"/> (for example a dense layer by its <see cref="FactorizedLayer"/>).</summary>
    /// <exception cref="ArgumentException">The replacement does not fit between its neighbours; the network is unchanged.</exception>
    public void Replace(int index, TrainingLayer replacement)
    {
        ArgumentNullException.ThrowIfNull(replacement);
        TrainingLayer previous = _layers[index];
        _layers[index] = replacement;
        try
        {
            Bind(MaxBatch);
        }
        catch (ArgumentException)
        {
            _layers[index] = previous;
            Bind(MaxBatch);
            throw;
        }
    }

    /// <summary>Runs <paramref name="batch"/> samples and returns their logits (batch × classes), valid until the next call.</summary>
    /// <param name="inputs">The samples, batch-major.</param>
    /// <param name="batch">The number of samples.</param>
    /// <param name="threads">The threads to use.</param>
    /// <param name="mode">Evaluation (the default: a sample's logits do not depend on its batch) or, before a
    /// <see cref="Backward"/>, training; only <see cref="BatchNorm2d"/> layers tell them apart.</param>
    /// <exception cref="TrainingException">A batch norm in training mode got a single value per channel.</exception>
    public ReadOnlySpan<float> Forward(ReadOnlySpan<float> inputs, int batch, ComputeThreads threads, ForwardMode mode = ForwardMode.Evaluation)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        if (inputs.Length != (long)batch * InputShape.ElementCount)
            throw new ArgumentException($"{inputs.Length} input values do not make {batch} samples of {InputShape}.", nameof(inputs));
        if (batch > MaxBatch) Bind(batch);
        foreach (BatchNorm2d norm in _norms) norm.Mode = mode;
        inputs.CopyTo(_chain.Activations[0]);
        _chain.Forward(batch, threads);
        return _chain.Activations[^1].AsSpan(0, batch * OutputShape.ElementCount);
    }

    /// <summary>Back-propagates d(loss)/d(logits) of the last <see cref="Forward"/> (in training mode, when the network has batch
    /// norm) and sets every parameter's gradient.
    /// It stops at the first layer with parameters, which computes no input gradient: nothing before it
    /// needs one (LeNet-300-100's first dense layer sits after a Flatten, and its input gradient would cost
    /// as much as its weight gradient). A skip connection (<see cref="ResidualAdd"/>) adds its gradient to its source
    /// activation's, after the layer that reads that activation wrote its own.</summary>
    public void Backward(ReadOnlySpan<float> logitGradient, int batch, ComputeThreads threads)
    {
        logitGradient.CopyTo(_chain.Gradients[^1]);
        _chain.Backward(FirstTrainableLayer, batch, threads);
    }

    /// <summary>The first layer with parameters (0 when none has any): the backward pass ends there.</summary>
    internal int FirstTrainableLayer
    {
        get
        {
            int i = _layers.FindIndex(l => l.Parameters.Count > 0);
            return i < 0 ? 0 : i;
        }
    }

    private void Bind(int maxBatch)
    {
        var shapes = new TensorShape[_layers.Count + 1];
        shapes[0] = InputShape;
        for (int i = 0; i < _layers.Count; i++)
        {
            try
            {
                shapes[i + 1] = _layers[i].Bind(shapes.AsSpan(0, i + 1), maxBatch);
                if (_layers[i] is ShortcutBranch && !_layers.Skip(i + 1).Any(later => LayerChain.JoinedSource(later) == i))
                    throw new ArgumentException($"it leaves its input (activation {i}) for an earlier activation, but no later ResidualAdd, ChannelConcat or "
                        + $"ChannelScale reads activation {i}: the layers that computed it would be dead. A branch starts a path whose end an Add, a "
                        + "concatenation or a channel scale joins to the activation it left.");
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"{Name}: layer {i} ({_layers[i].Name}): {e.Message}", e);
            }
        }
        if (shapes[^1].Rank != 1)
            throw new ArgumentException($"{Name}: the last layer must produce a vector of class scores, not {shapes[^1]}.");
        _shapes = shapes;
        _chain = new LayerChain(_layers, shapes, maxBatch);
        _norms = _layers.OfType<BatchNorm2d>().ToArray();
        MaxBatch = maxBatch;
    }
}
