using System.Globalization;

namespace EdgeLowRank.Samples.Common;

/// <summary>
/// A deliberately tiny parser for "--name value" and "--flag" options. The samples have a handful of
/// options each; a parser library would cost more binary size than the options are worth.
/// -h/--help never reaches it: <see cref="SampleMain.Run"/> answers help before any parsing.
/// </summary>
public sealed class CommandLine
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    private CommandLine() { }

    /// <summary>Parses <paramref name="args"/>, accepting only the listed names (each written with its "--").</summary>
    /// <exception cref="UsageException">An unknown option, a repeated one, a value missing or empty, or a stray word.</exception>
    public static CommandLine Parse(IReadOnlyList<string> args, IReadOnlyCollection<string> valueOptions, IReadOnlyCollection<string> flags)
    {
        var parsed = new CommandLine();
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            if (flags.Contains(name))
            {
                if (!parsed._flags.Add(name)) throw new UsageException($"{name} is given twice.");
            }
            else if (valueOptions.Contains(name))
            {
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    throw new UsageException($"{name} needs a value.");
                // An empty value (an unset shell variable, `--images ""`) would surface later as a path or number without a name.
                if (args[i + 1].Length == 0) throw new UsageException($"{name} is given an empty value; give it one.");
                if (!parsed._values.TryAdd(name, args[++i])) throw new UsageException($"{name} is given twice.");
            }
            else
            {
                string known = string.Join(", ", valueOptions.Concat(flags).Order(StringComparer.Ordinal));
                throw new UsageException(name.StartsWith('-') ? $"Unknown option {name}. Known options: {known}." : $"Unexpected argument '{name}'. Options start with --; known: {known}.");
            }
        }
        return parsed;
    }

    /// <summary>True when the flag was given.</summary>
    public bool Has(string flag) => _flags.Contains(flag);

    /// <summary>The option's value, or null when it was not given.</summary>
    public string? Optional(string name) => _values.GetValueOrDefault(name);

    /// <summary>The option's value.</summary>
    /// <exception cref="UsageException">The option was not given.</exception>
    public string Required(string name) => Optional(name) ?? throw new UsageException($"{name} is required.");

    /// <summary>The option as an integer in [<paramref name="min"/>, <paramref name="max"/>], or <paramref name="fallback"/> when not given.</summary>
    /// <exception cref="UsageException">The value is not an integer or is out of range.</exception>
    public int Integer(string name, int fallback, int min, int max)
    {
        string? text = Optional(name);
        if (text is null) return fallback;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < min || value > max)
            throw new UsageException($"{name} must be an integer from {min} to {max}, not '{text}'.");
        return value;
    }

    /// <summary>The option as a number in [<paramref name="min"/>, <paramref name="max"/>], or <paramref name="fallback"/> when not given.</summary>
    /// <exception cref="UsageException">The value is not a number or is out of range.</exception>
    public double Number(string name, double fallback, double min, double max)
    {
        string? text = Optional(name);
        if (text is null) return fallback;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !(value >= min && value <= max))
            throw new UsageException($"{name} must be a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}, not '{text}'.");
        return value;
    }

    /// <summary>The option as a comma-separated list of integers in [<paramref name="min"/>, <paramref name="max"/>],
    /// or <paramref name="fallback"/> when not given.</summary>
    /// <exception cref="UsageException">An item is not an integer or is out of range, or the list repeats one.</exception>
    public int[] IntegerList(string name, int[] fallback, int min, int max)
    {
        string? text = Optional(name);
        if (text is null) return fallback;
        var items = new List<int>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < min || value > max)
                throw new UsageException($"{name} must list integers from {min} to {max} separated by commas, not '{text}'.");
            if (items.Contains(value)) throw new UsageException($"{name} lists {value} twice.");
            items.Add(value);
        }
        return [.. items];
    }
}
