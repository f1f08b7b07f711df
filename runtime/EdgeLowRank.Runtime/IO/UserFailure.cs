using EdgeLowRank.Runtime.Format;

namespace EdgeLowRank.Runtime.IO;

/// <summary>What a user did wrong, as the runtime's front ends (elr-run, libelr) report it.</summary>
internal enum UserFailureKind
{
    /// <summary>The model is malformed, or needs a newer runtime.</summary>
    InvalidModel,

    /// <summary>A file cannot be read or written: missing, a folder, empty, not permitted.</summary>
    FileError,
}

/// <summary>
/// A failure a user caused, with the message to show: the one place that turns the runtime's exceptions for bad models
/// and bad files into words, so the command line and the C API say the same thing about the same file.
/// </summary>
/// <param name="Kind">Which of the user's inputs is at fault.</param>
/// <param name="Message">One line: what failed and what to do.</param>
internal sealed record UserFailure(UserFailureKind Kind, string Message)
{
    /// <summary>Describes <paramref name="exception"/> when a user's model or file caused it; null for any other
    /// exception (a bug, or a failure the caller describes itself, such as running out of memory).</summary>
    /// <param name="exception">The exception loading or running a model raised.</param>
    /// <param name="runtime">The runtime in the advice for a model that needs a newer one, with its article ("an elr-run").</param>
    public static UserFailure? Describe(Exception exception, string runtime) => exception switch
    {
        ModelFormatException e => new(UserFailureKind.InvalidModel, $"invalid model: {e.Message}"),
        NotSupportedException e => new(UserFailureKind.InvalidModel,
            $"unsupported model: {e.Message} Use {runtime} as new as the compressor that wrote the model."),
        FilePathException e => new(UserFailureKind.FileError, e.Message),
        FileNotFoundException e => new(UserFailureKind.FileError, $"file not found: {e.FileName ?? e.Message}. Check the path."),
        DirectoryNotFoundException e => new(UserFailureKind.FileError, $"{e.Message} Check the path."),
        UnauthorizedAccessException e => new(UserFailureKind.FileError, $"{e.Message} Check the file's permissions."),
        IOException e => new(UserFailureKind.FileError, $"I/O error: {e.Message}"),
        _ => null,
    };

    /// <summary>
    /// The message of <paramref name="exception"/> without what the framework appends when it names a parameter
    /// (" (Parameter 'dims')"; under NativeAOT, whose messages are resource keys, " Arg_ParamName_Name, dims"): where the
    /// runtime quotes one of its own checks in a message to a user (a model that does not fit together), no parameter of
    /// ours means anything to them.
    /// </summary>
    public static string Reason(ArgumentException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception.ParamName is null) return exception.Message;
        // What this build appends, in its own words: the message of an empty one naming the same parameter.
        string appended = new ArgumentException("", exception.ParamName).Message;
        return exception.Message.EndsWith(appended, StringComparison.Ordinal) ? exception.Message[..^appended.Length] : exception.Message;
    }

    /// <summary>A message on one line, the characters of <see cref="IsUnprintable"/> written as \xNN: a damaged file's bytes
    /// quoted in a message (a metadata key of NULs and line breaks) would spread it over a terminal, and a NUL would end a C
    /// string early.</summary>
    public static string Printable(string message) =>
        string.Concat(message.Select(c => IsUnprintable(c) ? $"\\x{(int)c:X2}" : c.ToString()));

    /// <summary>Whether <paramref name="c"/> is shown as \xNN when a file's text reaches a terminal: a control character (a
    /// terminal's escape sequences, line breaks), a line or paragraph separator (U+2028, U+2029), or a bidirectional
    /// formatting character (U+200E, U+200F, U+202A–U+202E, U+2066–U+2069), which reorders the text around it on screen, so
    /// a model's property could show a line other than the one it holds (a verification trial's U+202E).</summary>
    public static bool IsUnprintable(char c) =>
        char.IsControl(c) || c is '\u2028' or '\u2029' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
}
