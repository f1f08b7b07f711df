using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.IO;

namespace EdgeLowRank.Runtime.Native;

/// <summary>
/// elr_last_error_message: every call that returns a <see cref="Status"/> ends here, through <see cref="Succeeded"/> or
/// <see cref="Failed"/>, which sets the calling thread's message (empty on success) and maps the failure to its status.
/// The message is NUL-terminated UTF-8 in a pinned array, so C can hold the pointer until the thread's next call, and
/// the GC frees it with the thread.
/// </summary>
internal static unsafe class LastError
{
    [ThreadStatic] private static byte[]? t_message;

    /// <summary>The calling thread's message, or "" when its last call succeeded.</summary>
    public static byte* Message => t_message is { } text ? Utf8Text.Address(text) : Utf8Text.Address("\0"u8);

    /// <summary>Clears the message: the call succeeded.</summary>
    public static Status Succeeded()
    {
        t_message = null;
        return Status.Ok;
    }

    /// <summary>Records why <paramref name="function"/> failed and returns the status that says so. Never throws: it
    /// runs in the catch of a function C called, which an exception would leave by ending the process.</summary>
    public static Status Failed(string function, Exception exception)
    {
        Status status = Status.InternalError;
        try
        {
            (status, string message) = Describe(function, exception);
            t_message = Utf8Text.Pinned($"{function}: {UserFailure.Printable(message)}");
        }
        catch
        {
            // No memory left for the words (most likely while reporting ELR_OUT_OF_MEMORY): the status says it alone.
            t_message = null;
        }
        return status;
    }

    private static (Status, string) Describe(string function, Exception exception)
    {
        if (exception is ApiArgumentException) return (Status.InvalidArgument, exception.Message);
        // The reader names a model in memory "The bytes", which read "invalid model: The bytes: Bad magic: …"; a path's
        // message puts the source first in lower case, so this does too, from the reader's own message (the inner one).
        if (function == "elr_session_open_bytes" && exception is ModelFormatException { InnerException: ModelFormatException parsed })
            return (Status.InvalidModel, $"invalid model (bytes): {LowerFirst(parsed.Message)}");
        if (exception is ApiModelException) return (Status.InvalidModel, exception.Message);
        if (UserFailure.Describe(exception, "a libelr") is { } failure)
            return (failure.Kind == UserFailureKind.InvalidModel ? Status.InvalidModel : Status.FileError, failure.Message);
        // The runtime's own (InsufficientMemoryException) says what the session needed for how many samples a pass.
        if (exception is OutOfMemoryException)
            return (Status.OutOfMemory, exception is InsufficientMemoryException ? $"out of memory: {exception.Message}"
                : "out of memory: the session needs more than the process may use. Give a smaller max_batch_size or fewer threads, or free memory.");
        // .NET's own messages may span lines (ObjectDisposedException's "…object.\nObject name: 'X'."), which Printable
        // would show as \x0A, as it shows every control character (those of a file name could drive a terminal).
        return (Status.InternalError, $"internal error in libelr: {exception.GetType().Name}: {exception.Message.ReplaceLineEndings(" ").TrimEnd('.')}. "
            + "Please report it with the model and the call that caused it.");
    }

    /// <summary>"Bad magic" as "bad magic" after a colon; a word in capitals ("CRC-32 mismatch") stays as it is.</summary>
    private static string LowerFirst(string text) =>
        text.Length > 1 && char.IsUpper(text[0]) && char.IsLower(text[1]) ? char.ToLowerInvariant(text[0]) + text[1..] : text;
}
