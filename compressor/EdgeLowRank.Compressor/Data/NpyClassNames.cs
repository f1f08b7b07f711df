namespace EdgeLowRank.Compressor.Data;

/// <summary>The class names of a <see cref="NpyFolderDataset"/>: classes.txt's lines, or the labels' numbers without it.</summary>
internal static class NpyClassNames
{
    /// <summary>One name per line of <paramref name="path"/>, trimmed; a final line break is not an empty class.</summary>
    /// <exception cref="DataFormatException">No names, an empty line among them, or more than <see cref="NpyLabels.MaxClasses"/>.</exception>
    public static IReadOnlyList<string> Read(string path)
    {
        List<string> names = [.. File.ReadAllLines(path).Select(line => line.Trim())];
        while (names.Count > 0 && names[^1].Length == 0) names.RemoveAt(names.Count - 1);
        if (names.Count == 0) throw DataFormatException.OfWholeFile(path, $"{path} names no class; give one class name per line, in label order, or delete it to number the classes.");
        int empty = names.IndexOf("");
        if (empty >= 0) throw new DataFormatException(path, $"line {empty + 1}", "an empty class name; give one class name per line, in label order");
        if (names.Count > NpyLabels.MaxClasses)
            throw new DatasetException($"{path} names {names.Count} classes; elr takes at most {NpyLabels.MaxClasses}.");
        return names;
    }

    /// <summary>"0", "1", … for <paramref name="count"/> classes.</summary>
    public static IReadOnlyList<string> Numbered(int count) => [.. Enumerable.Range(0, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))];
}
