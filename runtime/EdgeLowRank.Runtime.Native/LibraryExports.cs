using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using EdgeLowRank.Runtime.Execution;

namespace EdgeLowRank.Runtime.Native;

/// <summary>The library-wide functions of include/elr.h: versions and the thread's last error message.</summary>
internal static unsafe class LibraryExports
{
    /// <summary>ELR_API_VERSION of this library, raised when a function's signature or meaning changes (2: the open
    /// functions take an elr_options).</summary>
    public const int ApiVersion = 2;

    // The version string, made on the first call and kept for the process (the header promises it lives that long).
    private static nint s_version;

    /// <summary>elr_api_version.</summary>
    [UnmanagedCallersOnly(EntryPoint = "elr_api_version")]
    public static int GetApiVersion() => ApiVersion;

    /// <summary>elr_version: the release the tools share (Directory.Build.props), such as "0.1.0".</summary>
    [UnmanagedCallersOnly(EntryPoint = "elr_version")]
    public static byte* GetVersion()
    {
        if (s_version != 0) return (byte*)s_version;
        try
        {
            Version version = typeof(InferenceSession).Assembly.GetName().Version!;
            byte[] text = Encoding.UTF8.GetBytes($"{version.ToString(3)}\0");
            byte* copy = (byte*)NativeMemory.Alloc((nuint)text.Length);
            text.CopyTo(new Span<byte>(copy, text.Length));
            // Two threads racing here each make a copy; the loser's is freed, so every caller sees the one that stays.
            nint winner = Interlocked.CompareExchange(ref s_version, (nint)copy, 0);
            if (winner == 0) return copy;
            NativeMemory.Free(copy);
            return (byte*)winner;
        }
        catch
        {
            // Out of memory for a dozen bytes: an exception would end the caller's process, a placeholder does not.
            return Pointer("unknown\0"u8);
        }
    }

    /// <summary>elr_status_name: the header's name of <paramref name="status"/>.</summary>
    [UnmanagedCallersOnly(EntryPoint = "elr_status_name")]
    public static byte* GetStatusName(Status status) => Pointer(status switch
    {
        Status.Ok => "ELR_OK\0"u8,
        Status.InvalidArgument => "ELR_INVALID_ARGUMENT\0"u8,
        Status.InvalidModel => "ELR_INVALID_MODEL\0"u8,
        Status.FileError => "ELR_FILE_ERROR\0"u8,
        Status.OutOfMemory => "ELR_OUT_OF_MEMORY\0"u8,
        Status.InternalError => "ELR_INTERNAL_ERROR\0"u8,
        _ => "ELR_UNKNOWN_STATUS\0"u8,
    });

    /// <summary>elr_last_error_message.</summary>
    [UnmanagedCallersOnly(EntryPoint = "elr_last_error_message")]
    public static byte* GetLastErrorMessage() => LastError.Message;

    /// <summary>The address of a UTF-8 literal: its bytes lie in the library's read-only data, where they stay for the process.</summary>
    internal static byte* Pointer(ReadOnlySpan<byte> literal) => (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(literal));
}
