using System.Text;

namespace EdgeLowRank.Runtime.Native;

/// <summary>Strings handed to C: NUL-terminated UTF-8 in pinned arrays, whose address stays put for as long as the
/// array is referenced, and which the GC frees once it is not.</summary>
internal static class Utf8Text
{
    /// <summary><paramref name="text"/> as NUL-terminated UTF-8 in a pinned array.</summary>
    public static byte[] Pinned(string text)
    {
        byte[] bytes = GC.AllocateUninitializedArray<byte>(Encoding.UTF8.GetByteCount(text) + 1, pinned: true);
        bytes[Encoding.UTF8.GetBytes(text, bytes)] = 0;
        return bytes;
    }
}
