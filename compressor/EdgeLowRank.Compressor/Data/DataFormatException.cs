namespace EdgeLowRank.Compressor.Data;

/// <summary>
/// A data file whose content is not what its format requires: wrong magic, wrong element type,
/// impossible dimensions, too short or too long. The message names the file, the byte offset
/// (or line for text files) and what was expected there.
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

    /// <summary>The file that failed to parse.</summary>
    public string FilePath { get; }

    /// <summary>Where in the file the problem was found ("offset 4", "line 12, column 65").</summary>
    public string Location { get; }
}
