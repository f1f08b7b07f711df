using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using EdgeLowRank.Runtime.IO;

namespace EdgeLowRank.Runtime.Native;

/// <summary>
/// elr_last_error_message: every call that returns a <see cref="Status"/> ends here, through <see cref="Succeeded"/> or
/// <see cref="Failed"/>, which sets the calling thread's message (empty on success) and maps the failure to its status.
/// The message is NUL-terminated UTF-8 in native memory, so C can hold the pointer until the thread's next call.
/// </summary>
internal static unsafe class LastError
{
    // One buffer per thread that has failed, replaced by its next call; a thread's last one is not freed when the
    // thread ends (the runtime gives no hook for that), which costs one message per thread that ever failed.
    [ThreadStatic] private static byte* t_message;

    /// <summary>The calling thread's message, or "" when its last call succeeded.</summary>
    public static byte* Message => t_message is not null ? t_message : (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetReference("\0"u8));

    /// <summary>Clears the message: the call succeeded.</summary>
    public static Status Succeeded()
    {
        Replace(null);
        return Status.Ok;
    }

    /// <summary>Records why <paramref name="function"/> failed and returns the status that says so.</summary>
    public static Status Failed(string function, Exception exception)
    {
        (Status status, string message) = Describe(exception);
        Replace($"{function}: {message}");
        return status;
    }

    private static (Status, string) Describe(Exception exception)
    {
        if (exception is ApiArgumentException) return (Status.InvalidArgument, exception.Message);
        if (UserFailure.Describe(exception, "a libelr") is { } failure)
            return (failure.Kind == UserFailureKind.InvalidModel ? Status.InvalidModel : Status.FileError, failure.Message);
        if (exception is OutOfMemoryException)
            return (Status.OutOfMemory, "out of memory: the session needs more than the process may use. Give a smaller max_batch_size, or free memory.");
        return (Status.InternalError, $"internal error in libelr: {exception.GetType().Name}: {exception.Message}. Please report it with the model and the call that caused it.");
    }

    private static void Replace(string? message)
    {
        byte* old = t_message;
        t_message = null;
        NativeMemory.Free(old);
        if (message is null) return;
        int length = Encoding.UTF8.GetByteCount(message);
        byte* text = (byte*)NativeMemory.Alloc((nuint)length + 1);
        Encoding.UTF8.GetBytes(message, new Span<byte>(text, length));
        text[length] = 0;
        t_message = text;
    }
}
