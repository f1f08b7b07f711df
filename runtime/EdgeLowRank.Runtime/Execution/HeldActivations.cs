using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Execution;

/// <summary>
/// The memory plan's bookkeeping for the activations Add layers add back: which activations are added, until which layer
/// each is needed, and which held buffer keeps it meanwhile. A buffer is handed back once the last Add that reads its
/// activation has run, so a chain of residual blocks needs two held buffers (the block's input, and the Add's output that
/// is the next block's input), however long the chain.
/// </summary>
internal sealed class HeldActivations
{
    private readonly Dictionary<int, int> _lastReader = []; // activation → the last Add layer that reads it
    private readonly Dictionary<int, int> _buffer = [];     // activation → its held buffer, while it is held
    private readonly SortedSet<int> _free = [];

    /// <summary>Finds the activations <paramref name="model"/>'s Add layers read.</summary>
    public HeldActivations(Model model)
    {
        for (int i = 0; i < model.Layers.Count; i++)
            if (model.Layers[i] is AddLayer add) _lastReader[add.Source] = i;
    }

    /// <summary>Held buffers the plan needs.</summary>
    public int BufferCount { get; private set; }

    /// <summary>Whether an Add reads activation <paramref name="activation"/> (the model's input, activation 0, needs no buffer:
    /// the caller's input span stays unchanged through a run).</summary>
    public bool IsAdded(int activation) => activation > 0 && _lastReader.ContainsKey(activation);

    /// <summary>A free held buffer for <paramref name="activation"/>, which keeps it until its last Add has run.</summary>
    public BufferLocation Hold(int activation)
    {
        int slot = _free.Count > 0 ? _free.Min : BufferCount++;
        _free.Remove(slot);
        _buffer[activation] = slot;
        return BufferLocation.Held(slot);
    }

    /// <summary>Where the Add finds <paramref name="activation"/>: the caller's input, or the buffer holding it.</summary>
    public BufferLocation Where(int activation) => activation == 0 ? BufferLocation.Input : BufferLocation.Held(_buffer[activation]);

    /// <summary>Frees the buffers of the activations whose last Add comes before layer <paramref name="layer"/>.</summary>
    public void ReleaseBefore(int layer)
    {
        foreach ((int activation, int slot) in _buffer.Where(entry => _lastReader[entry.Key] < layer).ToList())
        {
            _buffer.Remove(activation);
            _free.Add(slot);
        }
    }
}
