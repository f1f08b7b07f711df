using System.Numerics.Tensors;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Training;

/// <summary>
/// The memory of a chain of layers for batches up to a size, and the forward and backward passes over it: one activation
/// array per layer boundary (0 the input, j the output of layer j − 1), one gradient array per activation after the input,
/// and for every activation a <see cref="ResidualAdd"/>, <see cref="ChannelConcat"/>, <see cref="ChannelScale"/> or <see cref="ShortcutBranch"/> reads, an
/// accumulator for the gradient sent back to it. A branch's output is its source's array itself, so the forward pass copies nothing for it. The
/// <see cref="Network"/> and each shard of a <see cref="ShardedStep"/> run their layers through one, so skips are handled in
/// one place.
/// </summary>
internal sealed class LayerChain
{
    private readonly IReadOnlyList<TrainingLayer> _layers;
    private readonly IReadOnlyList<TensorShape> _shapes;

    /// <summary>
    /// Per activation, the sum of the gradients the skips that read it send back, or null when no skip reads it. Kept apart from
    /// <see cref="Gradients"/> because the layer that consumes an activation overwrites that array with its input gradient: the
    /// sum is added in only once that layer has run.
    /// </summary>
    private readonly float[]?[] _skipGradients;

    /// <summary>Allocates the memory; <paramref name="shapes"/> are the activations' shapes (one more than the layers), already checked.</summary>
    public LayerChain(IReadOnlyList<TrainingLayer> layers, IReadOnlyList<TensorShape> shapes, int maxBatch)
    {
        _layers = layers;
        _shapes = shapes;
        Activations = shapes.Select(s => new float[checked(maxBatch * s.ElementCount)]).ToArray();
        // Sources come before their branch, so a branch from a branch's output finds the array already shared.
        for (int i = 0; i < layers.Count; i++)
            if (layers[i] is ShortcutBranch branch) Activations[i + 1] = Activations[branch.Source];
        Gradients = shapes.Select((s, i) => i == 0 ? [] : new float[checked(maxBatch * s.ElementCount)]).ToArray();
        _skipGradients = new float[]?[shapes.Count];
        foreach (int source in SummedSkipSources(layers))
            _skipGradients[source] = new float[checked(maxBatch * shapes[source].ElementCount)];
    }

    /// <summary>The activations; the caller fills [0] before <see cref="Forward"/>.</summary>
    public float[][] Activations { get; }

    /// <summary>d(loss)/d(activation); [0] is empty, the caller fills the last before <see cref="Backward"/>.</summary>
    public float[][] Gradients { get; }

    /// <summary>The earlier activations some <see cref="ResidualAdd"/>, <see cref="ChannelConcat"/>, <see cref="ChannelScale"/> or
    /// <see cref="ShortcutBranch"/> of <paramref name="layers"/> reads, each once.</summary>
    public static IEnumerable<int> SkipSources(IEnumerable<TrainingLayer> layers) => layers
        .Select(layer => layer switch { ShortcutBranch branch => branch.Source, _ => JoinedSource(layer) ?? -1 })
        .Where(source => source >= 0).Distinct();

    /// <summary>The earlier activation <paramref name="layer"/> joins to its input (an Add's, a concatenation's or a channel
    /// scale's source), or null for every other layer: the layers that can end a <see cref="ShortcutBranch"/>'s path.</summary>
    public static int? JoinedSource(TrainingLayer layer) => layer switch
    {
        ResidualAdd add => add.Source,
        ChannelConcat concat => concat.Source,
        ChannelScale scale => scale.Source,
        _ => null,
    };

    /// <summary>The skip sources that get a gradient sum: all but the network's input (activation 0), since nothing before
    /// the input has parameters.</summary>
    public static IEnumerable<int> SummedSkipSources(IEnumerable<TrainingLayer> layers) => SkipSources(layers).Where(source => source > 0);

    /// <summary>Runs every layer on the first <paramref name="batch"/> samples of <see cref="Activations"/>[0].</summary>
    public void Forward(int batch, ComputeThreads threads)
    {
        for (int i = 0; i < _layers.Count; i++)
        {
            if (_layers[i] is ResidualAdd add) add.Forward(Activations[i], Activations[add.Source], Activations[i + 1], batch);
            else if (_layers[i] is ChannelConcat concat) concat.Forward(Activations[i], Activations[concat.Source], Activations[i + 1], batch);
            else if (_layers[i] is ChannelScale scale) scale.Forward(Activations[i], Activations[scale.Source], Activations[i + 1], batch);
            else if (_layers[i] is not ShortcutBranch) _layers[i].Forward(Activations[i], Activations[i + 1], batch, threads);
        }
    }

    /// <summary>
    /// Back-propagates the last gradient down to layer <paramref name="first"/>, which computes no input gradient: nothing before
    /// it has parameters. A skip's gradient to an activation at or before <paramref name="first"/> is dropped for the same reason.
    /// A branch's input gradient is only the sum the Add, concatenation or channel scale that reads its input sent back: the branch itself sends it nothing.
    /// </summary>
    public void Backward(int first, int batch, ComputeThreads threads)
    {
        for (int a = 0; a < _skipGradients.Length; a++) _skipGradients[a]?.AsSpan(0, batch * _shapes[a].ElementCount).Clear();
        for (int i = _layers.Count - 1; i >= first; i--)
        {
            if (_layers[i] is ResidualAdd add)
                add.Backward(Activations[i + 1], Gradients[i + 1], Gradients[i], add.Source > first ? _skipGradients[add.Source] : null, batch);
            else if (_layers[i] is ChannelConcat concat)
                concat.Backward(Gradients[i + 1], Gradients[i], concat.Source > first ? _skipGradients[concat.Source] : null, batch);
            else if (_layers[i] is ChannelScale scale)
                scale.Backward(Activations[i], Activations[scale.Source], Gradients[i + 1], Gradients[i],
                    scale.Source > first ? _skipGradients[scale.Source] : null, batch);
            else if (_layers[i] is ShortcutBranch branch)
            {
                if (branch.Source > first) AddInto(_skipGradients[branch.Source]!, Gradients[i + 1], batch * _shapes[i + 1].ElementCount);
                // Network checked that a later Add, concatenation or channel scale reads activation i, so its sum exists and is the whole input gradient: a copy,
                // where the other layers' input gradients get the sum added below.
                int n = batch * _shapes[i].ElementCount;
                if (i > first) _skipGradients[i].AsSpan(0, n).CopyTo(Gradients[i]);
                continue;
            }
            else
                _layers[i].Backward(Activations[i], Activations[i + 1], Gradients[i + 1], i == first ? null : Gradients[i], batch, threads);
            // Every skip that reads activation i sits after layer i, so its sum is complete before layer i − 1 reads Gradients[i].
            if (i > first && _skipGradients[i] is float[] skip) AddInto(Gradients[i], skip, batch * _shapes[i].ElementCount);
        }
    }

    /// <summary>sum[..n] += values[..n].</summary>
    private static void AddInto(float[] sum, float[] values, int n) => TensorPrimitives.Add(sum.AsSpan(0, n), values.AsSpan(0, n), sum.AsSpan(0, n));
}
