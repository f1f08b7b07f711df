using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;
using EdgeLowRank.Runtime.Cli;

namespace EdgeLowRank.Compressor.Cli;

/// <summary>
/// The parser's messages name .NET types ("as expected type 'System.Nullable`1[System.Double]'"); a user needs to
/// know what to type instead. This says it in words, in one place, for every option of every command, and adds the one
/// error the parser does not see: a number written with a comma, which it reads as a thousands separator (--lr 0,1 trained
/// at rate 1).
/// </summary>
internal static partial class ParseErrorText
{
    /// <summary>
    /// The parse errors of <paramref name="parsed"/> said for users. Two of the parser's messages name neither the mistake nor
    /// the fix: `elr frob` gave "Required command was not provided." then "Unrecognized command or argument 'frob'", and
    /// `elr inspect` gave "Required argument missing for command: 'inspect'" without naming MODEL. Those become one line
    /// naming the wrong word and listing the commands (as elr-run does), or naming the missing argument with the usage.
    /// </summary>
    public static IEnumerable<string> ForUsers(ParseResult parsed, string commandPath)
    {
        // `elr inspect --help` has no errors though MODEL is missing: the help is what was asked for.
        if (parsed.Errors.Count == 0) yield break;
        Command command = parsed.CommandResult.Command;
        string[] subcommands = [.. command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name)];
        // A group (elr, elr data) runs nothing itself: any error there is a missing or unknown command.
        if (subcommands.Length > 0 && command.Action is null)
        {
            // Only a first word is a command's place: in `elr --thread 2` the 2 is the wrong option's value.
            string? word = parsed.UnmatchedTokens.FirstOrDefault();
            string what = word is null || word.StartsWith('-') ? "no command given"
                : $"'{word}' is not a command of '{commandPath}'{(SpellingSuggestions.DidYouMean(word, subcommands) is string nearest ? $" ({nearest})" : "")}";
            yield return $"{what}; the commands are {string.Join(", ", subcommands)}.";
            // Options it does not know (elr --thread 2) are still named, each once.
            foreach (string option in parsed.UnmatchedTokens.Where(t => t.StartsWith('-')).Distinct())
                yield return NotAnOption(option, command, commandPath);
            yield break;
        }
        Argument[] missing = [.. command.Arguments.Where(a => !a.Hidden && a.Arity.MinimumNumberOfValues > 0
            && (parsed.GetResult(a) is not ArgumentResult given || given.Tokens.Count < a.Arity.MinimumNumberOfValues))];
        foreach (ParseError error in parsed.Errors)
        {
            // The parser's own line for a missing argument names only the command; the lines below name the argument.
            if (missing.Length > 0 && error.Message.StartsWith("Required argument missing", StringComparison.Ordinal)) continue;
            if (UnplacedWord().Match(error.Message) is { Success: true } unplaced)
            {
                string word = unplaced.Groups[1].Value;
                if (word.StartsWith('-')) yield return NotAnOption(word, command, commandPath);
                // The value of a misspelt option (the 3 of `--lamda 3`) is no mistake of its own. `--ranks fc1=10 fc2=8`: the
                // list was split by a space, and the parser took the rest for an argument.
                else if (!FollowsUnknownOption(parsed, word))
                    yield return LayerPair().IsMatch(word)
                        ? $"'{word}' stands apart from its list: layer=rank pairs are one word, joined by commas without spaces (--ranks fc1=10,fc2=8)."
                        : error.Message;
                continue;
            }
            yield return ForUsers(error.Message);
        }
        string usage = string.Join(' ', command.Arguments.Where(a => !a.Hidden).Select(Placeholder));
        foreach (Argument argument in missing)
            yield return $"'{commandPath}' needs {Placeholder(argument)}{Described(argument)}: {commandPath} {usage} [options].";
    }

    /// <summary>
    /// Words written as options that the command does not have, which the parser then took as an argument's value: `elr eval
    /// --frob` said "MODEL: '--frob' does not exist; train one with 'elr train ... -o --frob'", and `elr inspect --frob m.elr`
    /// named m.elr as the unknown word. A file that exists under such a name is left alone.
    /// </summary>
    public static IEnumerable<string> OptionsTakenAsArguments(ParseResult parsed, string commandPath) =>
        parsed.CommandResult.Children.OfType<ArgumentResult>().SelectMany(a => a.Tokens).Select(t => t.Value)
            .Where(v => v.Length > 1 && v[0] == '-' && !File.Exists(v) && !Directory.Exists(v)).Distinct()
            .Select(v => NotAnOption(v, parsed.CommandResult.Command, commandPath));

    /// <summary>"'--lamda' is not an option of 'elr compress'; did you mean --lambda?": the nearest of the command's own
    /// options and of those it inherits (--help), by their names and aliases.</summary>
    private static string NotAnOption(string word, Command command, string commandPath)
    {
        IEnumerable<Option> options = command.Options.Concat(command.Parents.OfType<Command>().SelectMany(p => p.Options.Where(o => o.Recursive)));
        string[] names = [.. options.Where(o => !o.Hidden).SelectMany(o => o.Aliases.Prepend(o.Name))];
        return SpellingSuggestions.DidYouMean(word, names) is string nearest
            ? $"'{word}' is not an option of '{commandPath}'; {nearest}"
            : $"'{word}' is not an option of '{commandPath}'.";
    }

    /// <summary>Whether <paramref name="word"/> comes right after a word the parser could not place as an option.</summary>
    private static bool FollowsUnknownOption(ParseResult parsed, string word)
    {
        IReadOnlyList<Token> tokens = parsed.Tokens;
        for (int i = 1; i < tokens.Count; i++)
            if (tokens[i].Value == word && tokens[i - 1].Value.StartsWith('-') && parsed.UnmatchedTokens.Contains(tokens[i - 1].Value)) return true;
        return false;
    }

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_.-]*=[0-9]+(,[A-Za-z_][A-Za-z0-9_.-]*=[0-9]+)*$")]
    private static partial Regex LayerPair();

    [GeneratedRegex(@"^Unrecognized command or argument '(.+)'\.?$")]
    private static partial Regex UnplacedWord();

    /// <summary>Whether <paramref name="error"/> is the parser's line for a word it could not place, which a word taken
    /// as an argument in an option's stead pushes out of its place.</summary>
    public static bool IsUnplacedWord(string error) => error.StartsWith("Unrecognized command or argument", StringComparison.Ordinal);

    /// <summary>MODEL for the argument named model, LOGS... for one that takes several: as a usage line writes them.</summary>
    private static string Placeholder(Argument argument) =>
        (argument.HelpName ?? argument.Name).ToUpperInvariant() + (argument.Arity.MaximumNumberOfValues > 1 ? "..." : "");

    /// <summary>" (the .elr file)" from the argument's description, so the line says what to give.</summary>
    private static string Described(Argument argument) => argument.Description is { Length: > 0 } text
        ? $" ({(text.Length > 1 && char.IsUpper(text[1]) ? text[0] : char.ToLowerInvariant(text[0]))}{text[1..].TrimEnd('.')})"   // "JSON logs" keeps its capitals
        : "";

    /// <summary><paramref name="message"/> with any .NET type name replaced by what the option takes.</summary>
    public static string ForUsers(string message) =>
        SingleArgument().Match(message) is { Success: true } repeated
            ? $"{repeated.Groups[1].Value} is given {repeated.Groups[2].Value} values; give it once, with one value."
            : ExpectedType().Replace(message, m => $"; expected {Describe(m.Groups[1].Value)}");

    /// <summary>One message per numeric option whose value holds a comma.</summary>
    public static IEnumerable<string> NumbersWithCommas(ParseResult parsed) =>
        parsed.CommandResult.Children.OfType<OptionResult>()
            .Where(o => IsNumeric(o.Option.ValueType))
            .SelectMany(o => o.Tokens.Where(t => t.Value.Contains(',')).Select(t =>
                $"{o.Option.Name} '{t.Value}' is not a number as elr reads them: write decimals with a point ({t.Value.Replace(',', '.')}) and no thousands separators."));

    private static bool IsNumeric(Type type) => (Nullable.GetUnderlyingType(type) ?? type) is var t
        && (t == typeof(int) || t == typeof(long) || t == typeof(ulong) || t == typeof(double) || t == typeof(float));

    private static string Describe(string type) => type.Replace("System.Nullable`1[", "").TrimEnd(']') switch
    {
        "System.Int32" or "System.Int64" => "a whole number",
        "System.UInt64" => "a whole number ≥ 0",
        "System.Double" or "System.Single" => "a number, such as 0.5 or 1e-6",
        "System.Boolean" => "true or false",
        "System.IO.FileInfo" => "a file path",
        "System.IO.DirectoryInfo" => "a folder path",
        string other => other[(other.LastIndexOf('.') + 1)..],
    };

    [GeneratedRegex(@"^Option '([^']+)' expects a single argument but (\d+) were provided\.?$")]
    private static partial Regex SingleArgument();

    [GeneratedRegex(@" as expected type '([^']+)'")]
    private static partial Regex ExpectedType();
}
