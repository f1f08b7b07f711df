using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;

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
            string what = word is null || word.StartsWith('-') ? "no command given" : $"'{word}' is not a command of '{commandPath}'";
            yield return $"{what}; the commands are {string.Join(", ", subcommands)}.";
            // Options it does not know (elr --thread 2) are still named, each once.
            foreach (string option in parsed.UnmatchedTokens.Where(t => t.StartsWith('-')).Distinct())
                yield return $"'{option}' is not an option of '{commandPath}'.";
            yield break;
        }
        Argument[] missing = [.. command.Arguments.Where(a => !a.Hidden && a.Arity.MinimumNumberOfValues > 0
            && (parsed.GetResult(a) is not ArgumentResult given || given.Tokens.Count < a.Arity.MinimumNumberOfValues))];
        foreach (ParseError error in parsed.Errors)
        {
            // The parser's own line for a missing argument names only the command; the lines below name the argument.
            if (missing.Length > 0 && error.Message.StartsWith("Required argument missing", StringComparison.Ordinal)) continue;
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
            .Select(v => $"'{v}' is not an option of '{commandPath}'.");

    /// <summary>
    /// The parser's own typo corrections for the words it could not place, one line each: "did you mean --finetune-epochs for
    /// '--finetune-epoch'?" (a student's trial got only "Unrecognized command or argument"). System.CommandLine computes them
    /// in its ParseErrorAction, which writes them with its help; the action is run here into a buffer, its help off, and
    /// only its "Did you mean" blocks are kept.
    /// </summary>
    public static IEnumerable<string> TypoCorrections(ParseResult parsed)
    {
        if (parsed.Action is not ParseErrorAction action) return [];
        action.ShowHelp = false;
        action.ShowTypoCorrections = true;
        var text = new StringWriter();
        parsed.Invoke(new InvocationConfiguration { Output = text, Error = text });
        var corrections = new List<string>();
        string[] lines = text.ToString().Split('\n', StringSplitOptions.TrimEntries);
        for (int i = 0; i < lines.Length; i++)
        {
            if (NotMatched().Match(lines[i]) is not { Success: true } word) continue;
            // An option for an option, a command for a command: the parser offers -o for the value '3' of a misspelt option.
            bool option = word.Groups[1].Value.StartsWith('-');
            string[] candidates = [.. lines.Skip(i + 1).TakeWhile(l => l.Length > 0 && !NotMatched().IsMatch(l)).Where(c => c.StartsWith('-') == option)];
            if (candidates.Length > 0)
                corrections.Add($"did you mean {string.Join(" or ", candidates)} for '{word.Groups[1].Value}'?");
        }
        return corrections;
    }

    [GeneratedRegex(@"^'(.+)' was not matched\. Did you mean one of the following\?$")]
    private static partial Regex NotMatched();

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
