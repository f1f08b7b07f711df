using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Execution;

/// <summary>
/// The memory plan's bookkeeping for the activations read out of order: the ones Add layers add back, Concat layers join,
/// ChannelScale layers scale and Branch layers continue from. It knows which activations are held, until which layer each is needed, and which held buffer
/// keeps it meanwhile. A Branch's output is its source itself (the plan makes no step for it), so every activation has a
/// root, the activation whose memory holds it. A buffer is handed back once the last layer that reads its activation has
/// run, so a chain of residual blocks needs two held buffers (the block's input, and the Add's output that is the next
/// block's input), however long the chain; so does a chain of projection blocks (the block's input until its projection has read it, the
/// main path's output until the Add, whose output takes the input's buffer).
/// </summary>
internal sealed class HeldActivations
{
    private readonly int[] _root;                            // activation → the activation whose memory holds it
    private readonly Dictionary<int, int> _lastReader = [];  // held activation → the last layer that reads it
    private readonly Dictionary<int, int> _buffer = [];      // held activation → its held buffer, while it is held
    private readonly SortedSet<int> _free = [];

    /// <summary>Finds the activations <paramref name="model"/>'s Add, Concat, ChannelScale and Branch layers read, and their last readers.</summary>
    public HeldActivations(Model model)
    {
        IReadOnlyList<Layer> layers = model.Layers;
        _root = new int[layers.Count + 1];
        for (int a = 0; a < _root.Length; a++)
            _root[a] = a > 0 && layers[a - 1] is BranchLayer branch ? _root[branch.Source] : a;
        for (int i = 0; i < layers.Count; i++)
        {
            if (Model.JoinedSource(layers[i]) is int joined) _lastReader[_root[joined]] = i;
            if (layers[i] is BranchLayer branch) _lastReader[_root[branch.Source]] = i;
        }
        // A held activation is also read as the input of the layer after a Branch to it, and of the layer after a Flatten
        // the plan elides there (conservatively, as the plan may copy instead).
        var inputRoot = new int[layers.Count];
        for (int i = 0; i < layers.Count; i++)
        {
            inputRoot[i] = i > 0 && layers[i - 1] is FlattenLayer ? inputRoot[i - 1] : _root[i];
            if (_lastReader.TryGetValue(inputRoot[i], out int last)) _lastReader[inputRoot[i]] = Math.Max(last, i);
        }
    }

    /// <summary>Held buffers the plan needs.</summary>
    public int BufferCount { get; private set; }

    /// <summary>Whether a step writing activation <paramref name="activation"/> writes it into a held buffer: an Add, a Concat,
    /// a ChannelScale or a Branch reads it (the model's input, activation 0, needs no buffer: the caller's input span stays unchanged through a
    /// run; a Branch's output needs none of its own: it is its source).</summary>
    public bool IsHeld(int activation) => activation > 0 && _root[activation] == activation && _lastReader.ContainsKey(activation);

    /// <summary>A free held buffer for <paramref name="activation"/>, which keeps it until its last reader has run.</summary>
    public BufferLocation Hold(int activation)
    {
        int slot = _free.Count > 0 ? _free.Min : BufferCount++;
        _free.Remove(slot);
        _buffer[activation] = slot;
        return BufferLocation.Held(slot);
    }

    /// <summary>Where <paramref name="activation"/> is found once written: the caller's input, or the buffer holding it
    /// (or its root, for a Branch's output).</summary>
    public BufferLocation Where(int activation) =>
        _root[activation] == 0 ? BufferLocation.Input : BufferLocation.Held(_buffer[_root[activation]]);

    /// <summary>Frees the buffers of the activations whose last reader comes before layer <paramref name="layer"/>.</summary>
    public void ReleaseBefore(int layer)
    {
        foreach ((int activation, int slot) in _buffer.Where(entry => _lastReader[entry.Key] < layer).ToList())
        {
            _buffer.Remove(activation);
            _free.Add(slot);
        }
    }
}
