namespace EdgeLowRank.Runtime.Execution;

/// <summary>Where a step reads or writes: the caller's spans, or one of the arena's two activation buffers.</summary>
internal enum BufferLocation
{
    /// <summary>The caller's input span (read-only).</summary>
    Input,
    /// <summary>The caller's output span.</summary>
    Output,
    /// <summary>The arena's first activation buffer.</summary>
    Ping,
    /// <summary>The arena's second activation buffer.</summary>
    Pong,
}
