using System.Runtime.InteropServices;

namespace EdgeLowRank.Runtime.Format;

/// <summary>Reads a stream into aligned native memory. A seekable stream is read into a buffer of its
/// exact remaining length; any other grows its buffer by doubling as bytes actually arrive, so the
/// memory used is bounded by the bytes received, never by a length the file claims.</summary>
internal static unsafe class StreamCopy
{
    private const int InitialCapacity = 64 * 1024;

    /// <summary>The bytes from the stream's position to its end; at most <see cref="FormatConstants.MaxFileLength"/>.</summary>
    public static AlignedModelMemory ReadToEnd(Stream stream)
    {
        long capacity = stream.CanSeek ? Math.Max(stream.Length - stream.Position, 0) + 1 : InitialCapacity;
        capacity = Math.Min(capacity, FormatConstants.MaxFileLength + 1);
        byte* buffer = (byte*)NativeMemory.AlignedAlloc((nuint)capacity, FormatConstants.TensorAlignment);
        long length = 0;
        try
        {
            while (true)
            {
                if (length == capacity)
                {
                    if (capacity > FormatConstants.MaxFileLength)
                        throw new ModelFormatException($"The stream holds more than {FormatConstants.MaxFileLength} bytes, the largest file this reader accepts. {FormatErrors.CopyAgain}", FormatConstants.MaxFileLength);
                    capacity = Math.Min(capacity * 2, FormatConstants.MaxFileLength + 1);
                    buffer = (byte*)NativeMemory.AlignedRealloc(buffer, (nuint)capacity, FormatConstants.TensorAlignment);
                }
                int read = stream.Read(new Span<byte>(buffer + length, (int)Math.Min(capacity - length, int.MaxValue)));
                if (read == 0) break;
                length += read;
            }
            return AlignedModelMemory.Adopt(buffer, (int)length);
        }
        catch
        {
            NativeMemory.AlignedFree(buffer);
            throw;
        }
    }
}
