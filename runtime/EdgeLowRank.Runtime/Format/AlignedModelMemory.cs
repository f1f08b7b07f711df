using System.Runtime.InteropServices;

namespace EdgeLowRank.Runtime.Format;

/// <summary>A model file copied into 64-byte-aligned native memory (for streams and byte spans).</summary>
internal sealed unsafe class AlignedModelMemory : NativeModelMemory
{
    private AlignedModelMemory(byte* pointer, int length)
        : base(pointer, length)
    {
    }

    /// <summary>Copies <paramref name="bytes"/> once into new aligned memory.</summary>
    public static AlignedModelMemory CopyOf(ReadOnlySpan<byte> bytes)
    {
        byte* pointer = (byte*)NativeMemory.AlignedAlloc((nuint)Math.Max(bytes.Length, 1), FormatConstants.TensorAlignment);
        bytes.CopyTo(new Span<byte>(pointer, bytes.Length));
        return new AlignedModelMemory(pointer, bytes.Length);
    }

    /// <summary>Takes ownership of memory from <see cref="NativeMemory.AlignedAlloc"/>.</summary>
    public static AlignedModelMemory Adopt(byte* pointer, int length) => new(pointer, length);

    /// <inheritdoc/>
    protected override void Release(byte* pointer) => NativeMemory.AlignedFree(pointer);
}
