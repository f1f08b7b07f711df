using System.Runtime.InteropServices;
using EdgeLowRank.Runtime.Execution;

namespace EdgeLowRank.Runtime.Native;

/// <summary>The library-wide functions of include/elr.h: versions and the thread's last error message.</summary>
internal static unsafe class LibraryExports
{
    /// <summary>ELR_API_VERSION of this library, raised when a function is added or its signature or meaning changes (2: the
    /// open functions take an elr_options; 3: integer pixels and metadata, elr_session_run_pixels and the like).</summary>
    public const int ApiVersion = 3;

    // The version string, made on the first call and kept for the process (the header promises it lives that long).
    private static byte[]? s_version;

    /// <summary>elr_api_version.</summary>
    [UnmanagedCallersOnly(EntryPoint = "elr_api_version")]
    public static int GetApiVersion() => ApiVersion;

    /// <summary>elr_version: the release the tools share (Directory.Build.props), such as "0.1.0".</summary>
    [UnmanagedCallersOnly(EntryPoint = "elr_version")]
    public static byte* GetVersion()
    {
        try
        {
            // Two threads racing here may each make the string; every caller gets the one that stays.
            if (s_version is null)
                Interlocked.CompareExchange(ref s_version, Utf8Text.Pinned(typeof(InferenceSession).Assembly.GetName().Version!.ToString(3)), null);
            return Utf8Text.Address(s_version);
        }
        catch
        {
            // Out of memory for a dozen bytes: an exception would end the caller's process, a placeholder does not.
            return Utf8Text.Address("unknown\0"u8);
        }
    }

    /// <summary>elr_status_name: the header's name of <paramref name="status"/>.</summary>
    [UnmanagedCallersOnly(EntryPoint = "elr_status_name")]
    public static byte* GetStatusName(Status status) => Utf8Text.Address(status switch
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
}
