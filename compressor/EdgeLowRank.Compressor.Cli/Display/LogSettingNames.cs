namespace EdgeLowRank.Compressor.Cli.Display;

/// <summary>
/// The names <c>elr compress --log</c> gives the run's settings: the compressed file's property names
/// (<c>compress.keep-dense</c>, as <see cref="Compression.LcOptions.ToProperties"/> records them) in the camelCase of the
/// log's other keys (<c>keepDense</c>), without the prefix, which in a compression log says nothing.
/// </summary>
internal static class LogSettingNames
{
    private const string Prefix = "compress.";

    /// <summary>The log's name for the setting recorded as <paramref name="property"/>; a name already in the log's form
    /// (no prefix, no dash) is returned as it is, so a reader can pass the names of old and new logs alike.</summary>
    public static string Of(string property)
    {
        string name = property.StartsWith(Prefix, StringComparison.Ordinal) ? property[Prefix.Length..] : property;
        string[] words = name.Split('-');
        return words[0] + string.Concat(words.Skip(1).Select(w => w.Length == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..]));
    }
}
