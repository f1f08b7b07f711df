using System.Globalization;

namespace EdgeLowRank.Runtime.Cli;

/// <summary>
/// The command-line parser's messages name parameters as the C# code does ("Argument 'warmupSeconds' failed to parse")
/// and say nothing of what was expected; this rewrites them in the options' own names, with what to give instead. It
/// also finds, before parsing, what the parser would get silently wrong: an option given twice (it keeps the last value)
/// and a number written with a comma (it reads "1,5" as 15, so `--duration 1,5` ran for 15 s). The patterns are matched
/// by hand, not by regular expressions: the regex engine took 300 KB of the NativeAOT binary (issue 2's limit is 4 MB).
/// </summary>
internal static class ParseMessages
{
    /// <summary>Short aliases of the options (as the commands declare them), so "-k 1 --top 2" counts as twice.</summary>
    private static readonly Dictionary<string, string> Aliases = new()
    {
        ["-i"] = "--input", ["-k"] = "--top", ["-o"] = "--output", ["-b"] = "--batch", ["-q"] = "--quiet",
        ["-t"] = "--threads", ["-n"] = "--runs", ["-d"] = "--duration",
    };

    /// <summary>Options whose value is a path, which may hold a comma.</summary>
    private static readonly string[] PathOptions = ["--input", "--output", "--expect", "--labels", "--model"];

    /// <summary>Options whose value is a number with a fraction; every other numeric option takes whole numbers.</summary>
    private static readonly string[] Fractional = ["--rtol", "--duration", "--warmup-seconds", "--min-seconds"];

    /// <summary><paramref name="message"/> said in the options' names, for <paramref name="command"/>.</summary>
    /// <param name="message">The parser's message.</param>
    /// <param name="command">The command being parsed.</param>
    /// <param name="optionsOfCommand">The command's options (long names), asked for only to correct a misspelt one.</param>
    public static string ForUsers(string message, string command, Func<IEnumerable<string>> optionsOfCommand)
    {
        string help = $"see 'elr-run {command} --help'";
        if (Cut(message, "Argument '", "' failed to parse, provided value: ") is var (parameter, value) && IsName(parameter) && !value.Contains('\n'))
        {
            string option = "--" + Kebab(parameter);
            if (value.StartsWith('-') && !IsNumber(value)) return $"{option} needs a value; {help}.";
            string expected = Fractional.Contains(option) ? "a number such as 0.5" : "a whole number up to 2,147,483,647";
            return $"{option} '{value}' is not {expected}; {help}.";
        }
        if (Cut(message, "Required argument '", "' was not specified") is var (required, end) && IsName(required) && end is "" or ".")
        {
            // The model is the commands' positional argument, not an option named --model.
            if (required == "model") return $"'{command}' needs a model first: elr-run {command} MODEL.elr [options]; {help}.";
            string option = "--" + Kebab(required);
            string alias = Aliases.FirstOrDefault(a => a.Value == option).Key is string shortName ? $"{shortName}/" : "";
            return $"{alias}{option} is required for '{command}'; {help}.";
        }
        if (Cut(message, "Argument '", "' is not recognized") is var (token, rest) && token.Length > 0 && !token.Contains('\'') && rest is "" or ".")
        {
            return token.Contains('=')
                ? $"'{token}': give the value after a space ({token.Replace('=', ' ')}); {help}."
                : SpellingSuggestions.DidYouMean(token, optionsOfCommand()) is string suggestion
                    ? $"'{token}' is not an option of '{command}'; {suggestion} See 'elr-run {command} --help'."
                    : $"'{token}' is not an option of '{command}'; {help}.";
        }
        return message;
    }

    /// <summary>The long options a command's help lists ("--batch" from "  -b, --batch &lt;int&gt;  Samples per inference.").</summary>
    public static IEnumerable<string> OptionsIn(string help) =>
        help.Split('\n').Select(OptionOfLine).OfType<string>().Where(o => o is not ("--help" or "--version"));

    /// <summary>The long option a help line starts with after its indent and an optional short alias ("  -b, --batch …"), or null.</summary>
    private static string? OptionOfLine(string line)
    {
        string text = line.TrimStart(' ');
        if (text.Length == line.Length) return null;   // not indented: no option line
        if (text.Length >= 4 && text[0] == '-' && char.IsAsciiLetterLower(text[1]) && text[2] == ',' && text[3] == ' ') text = text[4..];
        if (!text.StartsWith("--", StringComparison.Ordinal) || text.Length < 3 || !char.IsAsciiLetterLower(text[2])) return null;
        int length = 3;
        while (length < text.Length && (char.IsAsciiLetterLower(text[length]) || text[length] == '-')) length++;
        return text[..length];
    }

    /// <summary><paramref name="help"/> with the program's name in its usage line. The parser writes "Usage: bench
    /// [arguments...]", as if each command were a program of its own, and calls the model file "arguments".</summary>
    public static string WithProgramName(string help) =>
        help.StartsWith("Usage: ", StringComparison.Ordinal)
            ? "Usage: elr-run " + help["Usage: ".Length..].Replace("[arguments...]", "MODEL.elr", StringComparison.Ordinal)
            : help;

    /// <summary><paramref name="help"/> with defaults and types shown as a user would type and read them: a string default
    /// without its quotes, a number in the notation its option takes (<c>1e-5</c>), no default for an option that is off
    /// unless given, and an optional value as its type (a string, a number). The parser shows the C# it generates for them
    /// (<c>[Default: @"auto"]</c>, <c>[Default: 1E-05]</c>, <c>[Default: null]</c>, <c>&lt;string?&gt;</c>, <c>&lt;double?&gt;</c>).</summary>
    public static string WithPlainDefaults(string help)
    {
        var lines = help.Split('\n');
        for (int i = 0; i < lines.Length; i++) lines[i] = PlainDefaults(lines[i]);
        return string.Join('\n', lines);
    }

    /// <summary>One help line as <see cref="WithPlainDefaults"/> makes it.</summary>
    private static string PlainDefaults(string line)
    {
        const string Verbatim = "[Default: @\"", Close = "\"]";
        for (int at = line.IndexOf(Verbatim, StringComparison.Ordinal); at >= 0; at = line.IndexOf(Verbatim, at + 1, StringComparison.Ordinal))
        {
            int end = line.IndexOf(Close, at + Verbatim.Length, StringComparison.Ordinal);
            if (end < 0) break;
            line = line[..at] + "[Default: " + line[(at + Verbatim.Length)..end] + "]" + line[(end + Close.Length)..];
        }
        line = line.Replace(" [Default: null]", "", StringComparison.Ordinal);
        const string Default = "[Default: ";
        for (int at = line.IndexOf(Default, StringComparison.Ordinal); at >= 0; at = line.IndexOf(Default, at + 1, StringComparison.Ordinal))
        {
            int end = line.IndexOf(']', at);
            int e = end < 0 ? -1 : line.IndexOf('E', at, end - at);
            if (e < 0) continue;
            string mantissa = line[(at + Default.Length)..e], exponent = line[(e + 1)..end];
            bool scientific = mantissa.TrimStart('-').Length > 0 && mantissa.TrimStart('-').All(c => char.IsAsciiDigit(c) || c == '.') && mantissa.LastIndexOf('-') <= 0
                && exponent.Length > 1 && exponent[0] is '+' or '-' && exponent[1..].All(char.IsAsciiDigit);
            if (scientific) line = line[..at] + $"{Default}{mantissa}e{int.Parse(exponent, CultureInfo.InvariantCulture)}]" + line[(end + 1)..];
        }
        // " <string?> " → " <string>  ": the space keeps the descriptions aligned.
        for (int at = line.IndexOf(" <", StringComparison.Ordinal); at >= 0; at = line.IndexOf(" <", at + 1, StringComparison.Ordinal))
        {
            int end = line.IndexOf("?> ", at, StringComparison.Ordinal);
            if (end < 0) break;
            string type = line[(at + 2)..end];
            if (type.Length > 0 && type.All(char.IsAsciiLetterLower)) line = line[..(at + 2)] + type + ">  " + line[(end + 3)..];
        }
        return line;
    }

    /// <summary>The message for a "--" on the command line, or null. The parser drops "--" and everything after it, so
    /// `run -- MODEL --input FILE` ran with no arguments at all: it printed the usage and exited 0, which a script reads as
    /// a pass. No argument of elr-run needs one: a file whose name starts with '-' can be given as ./-name.</summary>
    public static string? FindEndOfOptions(string[] args) =>
        args.Contains("--")
            ? "'--' is not used by elr-run: the parser would drop it and everything after it. Give the model and the options without it (a file whose name starts with '-' as ./-name)."
            : null;

    /// <summary>The message for the first option given more than once, or null.</summary>
    public static string? FindRepeated(string[] args)
    {
        var seen = new HashSet<string>();
        foreach (string arg in args.Where(a => a.StartsWith('-') && !IsNumber(a)))
        {
            string option = Aliases.GetValueOrDefault(arg, arg);
            if (!seen.Add(option)) return $"{option} is given more than once; give it once.";
        }
        return null;
    }

    /// <summary>Options that another option makes meaningless, per command: the option, when it applies (from the options
    /// given, with their values), what it needs, and what to do.</summary>
    private static readonly (string Command, string Option, Func<IReadOnlyDictionary<string, string?>, bool> Applies, string Needs, string Remedy)[] Inapplicable =
    [
        ("run", "--top", given => !given.ContainsKey("--quiet") || given.ContainsKey("--labels"),
            "without --quiet, which prints no classes, or with --labels, for the top-k accuracy", "drop it, drop --quiet, or add --labels FILE"),
        ("run", "--wrong-only", given => given.ContainsKey("--labels"), "with --labels, which tells the wrong samples", "add --labels FILE (one integer per input sample, as elr data export writes them)"),
        ("run", "--wrong-only", given => !given.ContainsKey("--quiet"), "without --quiet, which prints no sample's line", "drop one of the two"),
        ("run", "--confusion", given => given.ContainsKey("--labels"), "with --labels, which gives the true classes", "add --labels FILE (one integer per input sample, as elr data export writes them)"),
        ("run", "--rtol", given => given.ContainsKey("--expect"), "with --expect, as the tolerance of the comparison", "drop it, or add --expect FILE"),
        ("bench", "--runs", given => !given.ContainsKey("--duration"), "without --duration, which measures for a time instead", "give one of the two"),
        ("bench", "--min-seconds", given => !given.ContainsKey("--duration"), "without --duration, which measures for a time itself", "give one of the two"),
    ];

    /// <summary>
    /// The message for the first option that the rest of the command line makes meaningless (<c>--rtol</c> without
    /// <c>--expect</c>), or null: the parser would ignore it silently, and the user would believe it shaped the run.
    /// </summary>
    public static string? FindInapplicable(string[] args)
    {
        if (args.Length == 0) return null;
        var given = new Dictionary<string, string?>();
        for (int i = 1; i < args.Length; i++)
            if (args[i].StartsWith('-') && !IsNumber(args[i]))
                given[Aliases.GetValueOrDefault(args[i], args[i])] = i + 1 < args.Length ? args[i + 1] : null;
        foreach (var (command, option, applies, needs, remedy) in Inapplicable)
            if (args[0] == command && given.ContainsKey(option) && !applies(given))
                return $"{option} is only used {needs}, so it would change nothing here; {remedy}.";
        return null;
    }

    /// <summary>The message for the first value that looks like a number written with a comma, or null. Paths (the model
    /// and <see cref="PathOptions"/>' values) may hold commas and are left alone.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="takesModel">Whether the command's first argument is a model path.</param>
    public static string? FindNumberWithComma(string[] args, bool takesModel)
    {
        for (int i = 1; i < args.Length; i++)
        {
            bool isPath = PathOptions.Contains(Aliases.GetValueOrDefault(args[i - 1], args[i - 1])) || (i == 1 && takesModel);
            if (!isPath && IsNumberWithComma(args[i]))
                return Fractional.Contains(Aliases.GetValueOrDefault(args[i - 1], args[i - 1]))
                    ? $"{args[i - 1]} '{args[i]}' is not a number as elr-run reads them: write decimals with a point ({args[i].Replace(',', '.')}) and no thousands separators."
                    : $"{args[i - 1]} '{args[i]}' is not a whole number as elr-run reads them: write it without separators ({args[i].Replace(",", "")}).";
        }
        return null;
    }

    private static bool IsNumber(string arg) => double.TryParse(arg, System.Globalization.CultureInfo.InvariantCulture, out _);

    /// <summary>Whether <paramref name="arg"/> reads as a number written with a comma ("1,5", "-2,000.5", "1,5e3"): an optional
    /// sign, digits with at least one comma, an optional fraction after a point, an optional exponent.</summary>
    private static bool IsNumberWithComma(string arg)
    {
        int i = arg.Length > 0 && arg[0] is '+' or '-' ? 1 : 0;
        while (i < arg.Length && char.IsAsciiDigit(arg[i])) i++;
        if (i == arg.Length || arg[i] != ',') return false;
        while (i < arg.Length && (char.IsAsciiDigit(arg[i]) || arg[i] == ',')) i++;
        if (i < arg.Length && arg[i] == '.') for (i++; i < arg.Length && char.IsAsciiDigit(arg[i]); i++) { }
        if (i < arg.Length && arg[i] is 'e' or 'E')
        {
            i++;
            if (i < arg.Length && arg[i] is '+' or '-') i++;
            int digits = i;
            while (i < arg.Length && char.IsAsciiDigit(arg[i])) i++;
            if (i == digits) return false;
        }
        return i == arg.Length;
    }

    /// <summary>The parser's name of a parameter (warmupSeconds) as an option's (warmup-seconds).</summary>
    private static string Kebab(string name)
    {
        var kebab = new System.Text.StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsAsciiLetterUpper(name[i]) && char.IsAsciiLetterLower(name[i - 1])) kebab.Append('-');
            kebab.Append(char.ToLowerInvariant(name[i]));
        }
        return kebab.ToString();
    }

    /// <summary>Whether <paramref name="name"/> is a parameter's name as the parser gives it: letters and dashes.</summary>
    private static bool IsName(string name) => name.Length > 0 && name.All(c => char.IsAsciiLetter(c) || c == '-');

    /// <summary>
    /// <paramref name="message"/> cut at <paramref name="prefix"/> (at its start) and the first <paramref name="middle"/> after
    /// it: what lies between, and what follows without one final line feed. Null when either is missing.
    /// </summary>
    private static (string Between, string After)? Cut(string message, string prefix, string middle)
    {
        if (!message.StartsWith(prefix, StringComparison.Ordinal)) return null;
        int at = message.IndexOf(middle, prefix.Length, StringComparison.Ordinal);
        if (at < 0) return null;
        string after = message[(at + middle.Length)..];
        return (message[prefix.Length..at], after.EndsWith('\n') ? after[..^1] : after);
    }
}
