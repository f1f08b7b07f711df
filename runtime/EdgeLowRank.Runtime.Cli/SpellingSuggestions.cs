using Quickenshtein;

namespace EdgeLowRank.Runtime.Cli;

/// <summary>
/// "Did you mean" for a word a command line does not know: the known names nearest to it. Linked into elr as well, so that
/// both tools correct typos by one rule. elr used to run System.CommandLine's own error action into a buffer for its
/// corrections, which missed a misspelt option the parser took for the model and wrote a colour escape to a terminal.
/// </summary>
internal static class SpellingSuggestions
{
    /// <summary>The most single-letter edits between a word and a name it is taken for, System.CommandLine's bound.</summary>
    private const int MostEdits = 3;

    /// <summary>
    /// The names of <paramref name="names"/> nearest to <paramref name="word"/> (all those at the least distance), or none
    /// when every name needs more than <see cref="MostEdits"/> edits or more than half its letters changed: "--foo" is two
    /// edits from "--top", which would keep one letter of three, so it is not offered; "--jsno" is two from "--json".
    /// </summary>
    public static string[] Nearest(string word, IEnumerable<string> names)
    {
        var scored = names.Distinct()
            .Where(name => !string.Equals(name, word, StringComparison.Ordinal))
            .Select(name => (Name: name, Edits: Levenshtein.GetDistance(word.ToLowerInvariant(), name.ToLowerInvariant())))
            .Where(s => s.Edits <= MostEdits && 2 * s.Edits <= s.Name.TrimStart('-').Length)
            .ToArray();
        if (scored.Length == 0) return [];
        int least = scored.Min(s => s.Edits);
        return [.. scored.Where(s => s.Edits == least).Select(s => s.Name)];
    }

    /// <summary>"did you mean --lambda?" for <paramref name="word"/>, or null when no name is near it.</summary>
    public static string? DidYouMean(string word, IEnumerable<string> names) =>
        Nearest(word, names) is { Length: > 0 } nearest ? $"did you mean {string.Join(" or ", nearest)}?" : null;
}
