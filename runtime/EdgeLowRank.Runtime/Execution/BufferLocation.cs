namespace EdgeLowRank.Runtime.Execution;

/// <summary>Where a step reads or writes: the caller's input or output span, or one of the arena's activation buffers
/// (0 and 1 the two the chain ping-pongs between; 2 and above hold the activations a later Add layer adds back).</summary>
internal readonly record struct BufferLocation
{
    private BufferLocation(int buffer) => Buffer = buffer;

    /// <summary>The arena buffer's index, or −1 for the caller's input, −2 for the caller's output.</summary>
    public int Buffer { get; }

    /// <summary>The caller's input span (read-only).</summary>
    public static BufferLocation Input { get; } = new(-1);

    /// <summary>The caller's output span.</summary>
    public static BufferLocation Output { get; } = new(-2);

    /// <summary>The arena's first activation buffer.</summary>
    public static BufferLocation Ping { get; } = new(0);

    /// <summary>The arena's second activation buffer.</summary>
    public static BufferLocation Pong { get; } = new(1);

    /// <summary>The arena buffer that holds activations for a later Add, <paramref name="slot"/> from 0.</summary>
    public static BufferLocation Held(int slot) => new(2 + slot);

    /// <summary>Whether this is one of the arena's buffers, not the caller's span.</summary>
    public bool InArena => Buffer >= 0;

    /// <summary>Whether this is Ping or Pong, the buffers the chain may overwrite.</summary>
    public bool IsPingPong => Buffer is 0 or 1;

    /// <inheritdoc/>
    public override string ToString() => Buffer switch { -1 => "Input", -2 => "Output", 0 => "Ping", 1 => "Pong", _ => $"Held{Buffer - 2}" };
}
