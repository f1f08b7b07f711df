using System.Buffers;

namespace EdgeLowRank.Runtime.Format;

/// <summary>
/// The bytes of a whole model file in unmanaged memory (a mapped view or an aligned copy), exposed as
/// bytes for parsing and as floats for the weights, which layers slice without copying. It becomes the
/// <see cref="Layers.Model"/>'s owner: disposing the model releases the memory. The base address is
/// 64-byte aligned, so the file's 64-byte tensor alignment holds in memory too. There is no finalizer
/// (CA2015): a span over the weights does not keep this object alive, so only Dispose may free them.
/// </summary>
internal abstract unsafe class NativeModelMemory : MemoryManager<float>
{
    private byte* _pointer;
    private readonly int _length;

    private SignedByteView? _signedBytes;

    /// <summary>Wraps <paramref name="length"/> bytes at <paramref name="pointer"/>.</summary>
    protected NativeModelMemory(byte* pointer, int length)
    {
        _pointer = pointer;
        _length = length;
    }

    /// <summary>The signed bytes at byte <paramref name="offset"/> (an int8 matrix), without copying.</summary>
    public ReadOnlyMemory<sbyte> SignedBytes(int offset, int count) => (_signedBytes ??= new SignedByteView(this)).Memory.Slice(offset, count);

    /// <summary>The file's bytes.</summary>
    public ReadOnlySpan<byte> Bytes => new(_pointer, _length);

    /// <summary>The base address, for subclasses that fill the memory.</summary>
    protected byte* Pointer => _pointer;

    /// <summary>The floats at byte <paramref name="offset"/> (a multiple of 4), without copying.</summary>
    public ReadOnlyMemory<float> Floats(int offset, int count) => Memory.Slice(offset / sizeof(float), count);

    /// <inheritdoc/>
    public override Span<float> GetSpan()
    {
        ObjectDisposedException.ThrowIf(_pointer == null, typeof(Layers.Model));
        return new Span<float>(_pointer, _length / sizeof(float));
    }

    /// <inheritdoc/>
    public override MemoryHandle Pin(int elementIndex = 0)
    {
        ObjectDisposedException.ThrowIf(_pointer == null, typeof(Layers.Model));
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)elementIndex, (uint)(_length / sizeof(float)), nameof(elementIndex));
        return new MemoryHandle((float*)_pointer + elementIndex, pinnable: this);
    }

    /// <summary>Nothing to do: unmanaged memory never moves.</summary>
    public override void Unpin()
    {
    }

    /// <summary>The same memory as signed bytes. It owns nothing: the model memory it views releases the bytes.</summary>
    private sealed class SignedByteView(NativeModelMemory owner) : MemoryManager<sbyte>
    {
        public override Span<sbyte> GetSpan()
        {
            ObjectDisposedException.ThrowIf(owner._pointer == null, typeof(Layers.Model));
            return new Span<sbyte>(owner._pointer, owner._length);
        }

        public override MemoryHandle Pin(int elementIndex = 0)
        {
            ObjectDisposedException.ThrowIf(owner._pointer == null, typeof(Layers.Model));
            ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)elementIndex, (uint)owner._length, nameof(elementIndex));
            return new MemoryHandle((sbyte*)owner._pointer + elementIndex, pinnable: this);
        }

        public override void Unpin()
        {
        }

        protected override void Dispose(bool disposing)
        {
        }
    }

    /// <summary>Releases the memory at <paramref name="pointer"/>; called once.</summary>
    protected abstract void Release(byte* pointer);

    /// <inheritdoc/>
    protected sealed override void Dispose(bool disposing)
    {
        byte* pointer = _pointer;
        _pointer = null;
        if (pointer != null) Release(pointer);
    }
}
