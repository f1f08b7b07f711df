namespace EdgeLowRank.Runtime.Layers;

/// <summary>
/// A network ready to run: an input shape, a chain of layers, and metadata. The constructor walks
/// the chain once and rejects any layer that cannot take its predecessor's output, so every
/// <see cref="Model"/> that exists is consistent. A model read from a memory-mapped file keeps the
/// mapping alive until it is disposed.
/// </summary>
public sealed class Model : IDisposable
{
    private readonly TensorShape[] _shapes;
    private IDisposable? _owner;
    private bool _disposed;

    /// <summary>Creates a model and checks shape agreement between its layers.</summary>
    /// <param name="inputShape">The shape of one input sample.</param>
    /// <param name="layers">The layers, in execution order (at least one).</param>
    /// <param name="metadata">Descriptive metadata.</param>
    /// <param name="owner">Disposed with the model: the owner of the memory the weights live in, if any.</param>
    /// <exception cref="ArgumentException">A layer does not accept its input shape; the message names the layer.</exception>
    internal Model(TensorShape inputShape, IReadOnlyList<Layer> layers, ModelMetadata metadata, IDisposable? owner = null)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(metadata);
        if (layers.Count == 0) throw new ArgumentException("A model needs at least one layer.", nameof(layers));
        _shapes = new TensorShape[layers.Count + 1];
        _shapes[0] = inputShape;
        for (int i = 0; i < layers.Count; i++)
        {
            try
            {
                _shapes[i + 1] = layers[i].GetOutputShape(_shapes.AsSpan(0, i + 1));
                if (layers[i] is AddLayer add) CheckSkip(add, i);
                if (layers[i] is BranchLayer && !IsJoinedLater(layers, i))
                    throw new ArgumentException($"it leaves its input (activation {i}) for an earlier activation, but no later Add, Concat or ChannelScale reads activation {i}; the layers that computed it would be dead. A Branch starts a path whose end an Add, a Concat or a ChannelScale joins to the activation it left.");
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"Layer {i} ({layers[i].Kind}): {IO.UserFailure.Reason(e)}", nameof(layers), e);
            }
        }
        InputShape = inputShape;
        Layers = layers;
        Metadata = metadata;
        _owner = owner;
    }

    /// <summary>The shape of one input sample.</summary>
    public TensorShape InputShape { get; }

    /// <summary>Throws unless the activation <paramref name="add"/> adds comes before its input and has its shape.</summary>
    private void CheckSkip(AddLayer add, int index)
    {
        if (index == 0)
            throw new ArgumentException("an Add adds an earlier activation to its input, and nothing comes before the first layer's input (the model's input); a model cannot start with one.");
        if (add.Source >= index)
            throw new ArgumentException($"it adds activation {add.Source}, but only activations 0 (the input) to {index - 1} come before its own input (activation {index}); a skip connection adds an earlier activation.");
        if (_shapes[add.Source] != _shapes[index])
            throw new ArgumentException($"it adds activation {add.Source} ({Describe(add.Source)}, {_shapes[add.Source]}) to its input ({_shapes[index]}); the two must have the same shape.");
    }

    /// <summary>Whether an Add, Concat or ChannelScale after layer <paramref name="index"/> reads its input, activation <paramref name="index"/>.</summary>
    internal static bool IsJoinedLater(IReadOnlyList<Layer> layers, int index)
    {
        for (int later = index + 1; later < layers.Count; later++)
            if (JoinedSource(layers[later]) == index) return true;
        return false;
    }

    /// <summary>The earlier activation <paramref name="layer"/> joins to its input: an Add's, a Concat's or a ChannelScale's
    /// source; null for every other kind.</summary>
    internal static int? JoinedSource(Layer layer) => layer switch
    {
        AddLayer add => add.Source,
        ConcatLayer concat => concat.Source,
        ChannelScaleLayer scale => scale.Source,
        _ => null,
    };

    private static string Describe(int activation) => activation == 0 ? "the model's input" : $"the output of layer {activation - 1}";

    /// <summary>The lines a report prints under a table of this model's layers to say what their <see cref="Layer.Label"/>s
    /// mean: <see cref="AddLayer.LabelLegend"/> if an Add is among them, <see cref="BranchLayer.LabelLegend"/> if a Branch is,
    /// <see cref="ConcatLayer.LabelLegend"/> if a Concat is, <see cref="ChannelScaleLayer.LabelLegend"/> if a ChannelScale is.</summary>
    internal IReadOnlyList<string> LabelLegends =>
    [
        .. Layers.Any(l => l is AddLayer) ? [AddLayer.LabelLegend] : Array.Empty<string>(),
        .. Layers.Any(l => l is BranchLayer) ? [BranchLayer.LabelLegend] : Array.Empty<string>(),
        .. Layers.Any(l => l is ConcatLayer) ? [ConcatLayer.LabelLegend] : Array.Empty<string>(),
        .. Layers.Any(l => l is ChannelScaleLayer) ? [ChannelScaleLayer.LabelLegend] : Array.Empty<string>(),
    ];

    /// <summary>The shape of one output sample.</summary>
    public TensorShape OutputShape => _shapes[^1];

    /// <summary>The layers in execution order.</summary>
    public IReadOnlyList<Layer> Layers { get; }

    /// <summary>Descriptive metadata.</summary>
    public ModelMetadata Metadata { get; }

    /// <summary>The input shape of layer <paramref name="index"/>.</summary>
    public TensorShape InputShapeOf(int index) => _shapes[index];

    /// <summary>The output shape of layer <paramref name="index"/>.</summary>
    public TensorShape OutputShapeOf(int index) => _shapes[index + 1];

    /// <summary>Bytes of native memory the reader allocated at load to pack the weight matrices the file stores
    /// row-major (format 1.2) into the panels the kernels read; the model owns them beside the file's own
    /// bytes. 0 when every weight is used in place, and for a model built in memory.</summary>
    public long PackedAtLoadBytes { get; internal init; }

    /// <summary>Stored parameters of all layers.</summary>
    public long ParameterCount => Layers.Sum(l => l.ParameterCount);

    /// <summary>The bytes all parameters take at their element types (<see cref="Layer.ParameterBytes"/>).</summary>
    public long ParameterBytes => Layers.Sum(l => l.ParameterBytes);

    /// <summary>Multiply-accumulates for one sample.</summary>
    public long MultiplyAccumulates => Layers.Select((l, i) => l.MultiplyAccumulates(_shapes[i])).Sum();

    /// <summary>Values read from pooling windows for one sample (<see cref="Layer.PoolingReads"/>).</summary>
    internal long PoolingReads => Layers.Select((l, i) => l.PoolingReads(_shapes[i])).Sum();

    /// <summary>Parameters of the same network with every factorized layer dense.</summary>
    internal long DenseEquivalentParameterCount => Layers.Sum(l => l.DenseEquivalentParameterCount);

    /// <summary>Multiply-accumulates of the same network with every factorized layer dense.</summary>
    internal long DenseEquivalentMultiplyAccumulates => Layers.Select((l, i) => l.DenseEquivalentMultiplyAccumulates(_shapes[i])).Sum();

    /// <summary>Releases the memory the weights live in (the file's mapping or copy, and the panels packed at load), if the
    /// model owns any. The model's weights must not be used afterwards.</summary>
    public void Dispose()
    {
        _owner?.Dispose();
        _owner = null;
        _disposed = true;
    }

    /// <summary>Refuses a disposed model where it is taken, not at its first weight read: a session made over one failed
    /// only at its first run (a user trial).</summary>
    /// <exception cref="ObjectDisposedException">The model was disposed.</exception>
    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
