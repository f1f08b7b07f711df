using EdgeLowRank.Runtime.IO;

namespace EdgeLowRank.Compressor.Data;

/// <summary>The class names of a <see cref="NpyFolderDataset"/>: classes.txt's lines, or the labels' numbers without it.</summary>
internal static class NpyClassNames
{
    /// <summary>One name per line of <paramref name="path"/>, trimmed; a final line break is not an empty class. Read line
    /// by line and no further than the limit: a 150 MB file was read whole (3.26 GB) before its count was checked.</summary>
    /// <exception cref="DataFormatException">No names, an empty line among them, or a name with a control character.</exception>
    /// <exception cref="DatasetException">More than <see cref="NpyLabels.MaxClasses"/> names.</exception>
    public static IReadOnlyList<string> Read(string path)
    {
        // A bound before reading: File.ReadLines holds a whole line, and one line of 600 MB took 4.5 GB.
        long bytes = new FileInfo(path).Length;
        if (bytes > MaxBytes)
            throw DataFormatException.OfWholeFile(path, $"{path} is {bytes:N0} bytes, more than {NpyLabels.MaxClasses} class names of up to "
                + $"{MaxBytes / NpyLabels.MaxClasses:N0} bytes each need ({MaxBytes:N0}); give one class name per line, in label order.");
        var names = new List<string>();
        int emptyLine = 0; // the first empty line's number: an error unless only empty lines follow
        foreach (string line in File.ReadLines(path))
        {
            string name = line.Trim();
            if (name.Length == 0)
            {
                if (emptyLine == 0) emptyLine = names.Count + 1;
                continue;
            }
            if (emptyLine > 0) throw new DataFormatException(path, $"line {emptyLine}", "an empty class name; give one class name per line, in label order");
            // The names are printed (eval's tables) and written into models, whose labels elr-run prints on a board's terminal.
            if (name.Any(char.IsControl))
                throw new DataFormatException(path, $"line {names.Count + 1}", $"a class name with a control character ({UserFailure.Printable(name)}); give names of printable characters");
            if (names.Count == NpyLabels.MaxClasses)
                throw new DatasetException($"{path} names more than {NpyLabels.MaxClasses} classes; elr takes at most {NpyLabels.MaxClasses}.");
            names.Add(name);
        }
        if (names.Count == 0) throw DataFormatException.OfWholeFile(path, $"{path} names no class; give one class name per line, in label order, or delete it to number the classes.");
        return names;
    }

    /// <summary>The largest classes.txt read: the most classes elr takes, of up to a kilobyte each.</summary>
    private const long MaxBytes = NpyLabels.MaxClasses * 1024L;

    /// <summary>"0", "1", … for <paramref name="count"/> classes.</summary>
    public static IReadOnlyList<string> Numbered(int count) => [.. Enumerable.Range(0, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))];
}
