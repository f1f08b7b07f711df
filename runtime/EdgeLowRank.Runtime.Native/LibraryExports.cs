using System.Runtime.InteropServices;
using System.Text;
using EdgeLowRank.Runtime.Execution;

namespace EdgeLowRank.Runtime.Native;

/// <summary>The library-wide functions of include/elr.h: versions and the thread's last error message.</summary>
internal static unsafe class LibraryExports
{
    /// <summary>ELR_API_VERSION of this library: 1 until a function's signature or meaning changes.</summary>
    public const int ApiVersion = 1;

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

    /// <summary>elr_last_error_message.</summary>
    [UnmanagedCallersOnly(EntryPoint = "elr_last_error_message")]
    public static byte* GetLastErrorMessage() => LastError.Message;
}
