using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Unicode;

namespace EdgeLowRank.Runtime.Native;

/// <summary>Strings handed to C: NUL-terminated UTF-8 in pinned arrays, whose address stays put for as long as the
/// array is referenced and which the GC frees once it is not, or literals in the library's read-only data.</summary>
internal static unsafe class Utf8Text
{
    /// <summary><paramref name="text"/> as NUL-terminated UTF-8 in a pinned array.</summary>
    public static byte[] Pinned(string text)
    {
        byte[] bytes = GC.AllocateUninitializedArray<byte>(Encoding.UTF8.GetByteCount(text) + 1, pinned: true);
        bytes[Encoding.UTF8.GetBytes(text, bytes)] = 0;
        return bytes;
    }

    /// <summary>The NUL-terminated UTF-8 string C passed at <paramref name="text"/>, decoded strictly: a byte that is not
    /// UTF-8 (a Latin-1 é, 0xE9) is refused, where a lenient decoding would make it U+FFFD and look for a file of
    /// another name.</summary>
    /// <param name="text">The string's first byte.</param>
    /// <param name="name">The parameter, for the message: "model_path".</param>
    /// <param name="fix">What to do instead, for the message.</param>
    /// <exception cref="ApiArgumentException">A byte that is not UTF-8, named with its offset.</exception>
    public static string Decode(byte* text, string name, string fix)
    {
        ReadOnlySpan<byte> bytes = MemoryMarshal.CreateReadOnlySpanFromNullTerminated(text);
        var chars = new char[bytes.Length];
        if (Utf8.ToUtf16(bytes, chars, out int read, out int written, replaceInvalidSequences: false) == OperationStatus.Done)
            return new string(chars, 0, written);
        throw new ApiArgumentException($"{name} is not valid UTF-8: byte 0x{bytes[read]:X2} at offset {read}"
            + (read > 0 ? $", after \"{new string(chars, 0, written)}\"" : "") + $"; {fix}.");
    }

    /// <summary>The address of a string <see cref="Pinned"/> made.</summary>
    public static byte* Address(byte[] pinned) => (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinned));

    /// <summary>The address of a UTF-8 literal ending in "\0": its bytes stay where they are for the process.</summary>
    public static byte* Address(ReadOnlySpan<byte> literal) => (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(literal));

    /// <summary>Refuses <paramref name="text"/> when it holds a NUL character: C would read only the part before it.</summary>
    /// <param name="text">The string to hand over.</param>
    /// <param name="what">What it is, for the message: "class 1's label".</param>
    /// <param name="fix">What to do, for the message.</param>
    /// <exception cref="ApiModelException">It holds a NUL character.</exception>
    public static void RequireNoNul(string text, string what, string fix)
    {
        int nul = text.IndexOf('\0');
        if (nul >= 0)
            throw new ApiModelException($"{what} holds a NUL character after \"{text[..nul]}\", and a C string ends at the first NUL, "
                + $"so it cannot be handed over whole; {fix}.");
    }
}
