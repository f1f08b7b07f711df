using System.Runtime.InteropServices;

namespace EdgeLowRank.Runtime.Format;

/// <summary>64-byte-aligned native memory the reader owns: a model file copied from a stream or byte span,
/// or the panels of a weight matrix packed at load.</summary>
internal sealed unsafe class AlignedModelMemory : NativeModelMemory
{
    private AlignedModelMemory(byte* pointer, int length)
        : base(pointer, length)
    {
    }

    /// <summary>Copies <paramref name="bytes"/> once into new aligned memory.</summary>
    public static AlignedModelMemory CopyOf(ReadOnlySpan<byte> bytes)
    {
        AlignedModelMemory memory = Allocate(bytes.Length);
        bytes.CopyTo(new Span<byte>(memory.Pointer, bytes.Length));
        return memory;
    }

    /// <summary>New memory of <paramref name="length"/> bytes (a multiple of 4), for the caller to fill.</summary>
    public static AlignedModelMemory Allocate(int length) =>
        new((byte*)NativeMemory.AlignedAlloc((nuint)Math.Max(length, 1), FormatConstants.TensorAlignment), length);

    /// <summary>Takes ownership of memory from <see cref="NativeMemory.AlignedAlloc"/>.</summary>
    public static AlignedModelMemory Adopt(byte* pointer, int length) => new(pointer, length);

    /// <inheritdoc/>
    protected override void Release(byte* pointer) => NativeMemory.AlignedFree(pointer);
}
