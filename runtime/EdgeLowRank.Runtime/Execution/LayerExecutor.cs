using EdgeLowRank.Runtime.Kernels;

namespace EdgeLowRank.Runtime.Execution;

/// <summary>
/// Runs one layer over a batch. Executors are built once per session from the immutable layer
/// descriptions; they hold no per-run state, so one executor serves every arena and thread.
/// </summary>
internal abstract class LayerExecutor
{
    /// <summary>Floats of scratch memory a pass of up to <paramref name="maxBatch"/> samples needs (for example a
    /// factorized layer's rank-r intermediate, or the zero-bordered copy of a padded convolution's input). A long, so the
    /// plan can refuse a batch whose buffer would not fit in a span instead of overflowing.</summary>
    public virtual long ScratchFloats(int maxBatch) => 0;

    /// <summary>Whether the layer may write its output over its input (element-wise layers).</summary>
    public virtual bool CanRunInPlace => false;

    /// <summary>Computes <paramref name="destination"/> (batch × output length) from <paramref name="source"/> (batch × input length).
    /// The spans may be the same memory only when <see cref="CanRunInPlace"/>.</summary>
    public abstract void Execute(ReadOnlySpan<float> source, Span<float> destination, int batch, Span<float> scratch, KernelRunner kernels);
}
