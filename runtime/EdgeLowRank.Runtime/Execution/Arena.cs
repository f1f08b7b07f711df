using System.Runtime.InteropServices;

namespace EdgeLowRank.Runtime.Execution;

/// <summary>
/// The working memory of one in-flight run: the plan's activation buffers and a scratch buffer in a single
/// 64-byte-aligned native block, allocated once. Native memory keeps the buffers out of the GC heap
/// (nothing to scan or move) and gives the alignment the SIMD kernels like.
/// </summary>
internal sealed unsafe class Arena : IDisposable
{
    private readonly MemoryPlan _plan;
    private float* _memory;

    public Arena(MemoryPlan plan)
    {
        _plan = plan;
        nuint bytes = (nuint)Math.Max(plan.ArenaBytes, 64);
        _memory = (float*)NativeMemory.AlignedAlloc(bytes, 64);
        NativeMemory.Clear(_memory, bytes);
    }

    ~Arena() => Free();

    /// <summary>Activation buffer <paramref name="index"/> (<see cref="BufferLocation.Buffer"/>).</summary>
    public Span<float> Buffer(int index) => new(Checked() + _plan.BufferOffset(index), _plan.BufferFloats(index));

    public Span<float> Scratch => new(Checked() + _plan.ScratchOffset, _plan.ScratchFloats);

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    private float* Checked()
    {
        ObjectDisposedException.ThrowIf(_memory is null, this);
        return _memory;
    }

    private void Free()
    {
        if (_memory is null) return;
        NativeMemory.AlignedFree(_memory);
        _memory = null;
    }
}
