namespace EdgeLowRank.Compressor.Data;

/// <summary>
/// A data file whose content is not what its format requires: wrong magic, wrong element type,
/// impossible dimensions, too short or too long. The message names the file, the byte offset
/// (or line for text files) and what was expected there, or the fault of the whole file. elr exits 2 for it: replace the file.
/// </summary>
public sealed class DataFormatException : DatasetException
{
    /// <summary>Creates the error; <paramref name="location"/> is e.g. "offset 4" or "line 12".</summary>
    public DataFormatException(string filePath, string location, string problem)
        : base($"{filePath}: {location}: {problem}")
    {
        FilePath = filePath;
        Location = location;
    }

    private DataFormatException(string filePath, string message, Exception? inner)
        : base(message, inner)
    {
        FilePath = filePath;
        Location = "whole file";
    }

    /// <summary>The error for a fault of the file as a whole (its element type, its shape, its count against another
    /// file's), whose <paramref name="message"/> names the file itself; <see cref="Location"/> is "whole file".</summary>
    public static DataFormatException OfWholeFile(string filePath, string message, Exception? inner = null) => new(filePath, message, inner);

    /// <summary>The file that failed to parse.</summary>
    public string FilePath { get; }

    /// <summary>Where in the file the problem was found ("offset 4", "line 12, column 65").</summary>
    public string Location { get; }
}
