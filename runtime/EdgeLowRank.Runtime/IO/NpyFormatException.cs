namespace EdgeLowRank.Runtime.IO;

/// <summary>
/// A file is not a .npy array <see cref="NpyArray"/> can read: no magic, a broken header, an unsupported element type,
/// Fortran order, or data that does not match the declared shape. The message names the file and what is wrong, and is
/// meant to be shown to the user as it is (each front end adds its own exit code).
/// </summary>
internal sealed class NpyFormatException : Exception
{
    /// <summary>Creates the error: "<paramref name="path"/> is not a usable .npy file: <paramref name="problem"/>."</summary>
    /// <param name="path">The file.</param>
    /// <param name="problem">What is wrong with it.</param>
    /// <param name="unsupportedType">The dtype, when that is what is wrong: a reader that takes fewer types than
    /// <see cref="NpyArray"/> names its own.</param>
    public NpyFormatException(string path, string problem, string? unsupportedType = null) : base($"{path} is not a usable .npy file: {problem}.")
    {
        FilePath = path;
        Problem = problem;
        UnsupportedType = unsupportedType;
    }

    /// <summary>The dtype ('&lt;c8') when the file is refused for a type no reader here takes, else null.</summary>
    public string? UnsupportedType { get; }

    /// <summary>The file that failed to parse.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong with it, without the file's name.</summary>
    public string Problem { get; }
}
