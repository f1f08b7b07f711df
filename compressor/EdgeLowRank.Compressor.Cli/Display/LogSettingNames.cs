namespace EdgeLowRank.Compressor.Cli.Display;

/// <summary>
/// The names <c>elr compress --log</c> and <c>elr train --log</c> give the run's settings: the written file's property names
/// (<c>compress.keep-dense</c>, <c>train.weight-decay</c>, as <see cref="Compression.LcOptions.ToProperties"/> and
/// <see cref="Training.TrainingOptions.ToProperties"/> record them) in the camelCase of the log's other keys (<c>keepDense</c>,
/// <c>weightDecay</c>), without the prefix, which in the command's own log says nothing.
/// </summary>
internal static class LogSettingNames
{
    private static readonly string[] Prefixes = ["compress.", "train."];

    /// <summary>The log's name for the setting recorded as <paramref name="property"/>; a name already in the log's form
    /// (no prefix, no dash) is returned as it is, so a reader can pass the names of old and new logs alike.</summary>
    public static string Of(string property)
    {
        string name = Prefixes.FirstOrDefault(p => property.StartsWith(p, StringComparison.Ordinal)) is string prefix ? property[prefix.Length..] : property;
        string[] words = name.Split('-');
        return words[0] + string.Concat(words.Skip(1).Select(w => w.Length == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..]));
    }
}
