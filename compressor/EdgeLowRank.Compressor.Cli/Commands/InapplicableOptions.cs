using System.CommandLine;

namespace EdgeLowRank.Compressor.Cli.Commands;

/// <summary>
/// Refuses an option typed on the command line that the rest of the command line makes meaningless
/// (<c>--selection</c> with <c>--method svd</c>): silently ignoring it would let a user believe it shaped the run.
/// An option left at its default is never refused.
/// </summary>
internal static class InapplicableOptions
{
    /// <summary>An option, whether it applies to this run, and the setting it needs when it does not.</summary>
    internal readonly record struct Rule(Option Option, bool Applies, string Needs);

    /// <exception cref="UsageException">The first rule whose option was typed but does not apply.</exception>
    public static void Check(ParseResult parse, params Rule[] rules)
    {
        foreach (Rule rule in rules)
            if (!rule.Applies && parse.GetResult(rule.Option) is { Implicit: false })
                throw new UsageException($"{rule.Option.Name} is only used {rule.Needs}, so it would change nothing here; drop it, or add what it needs.");
    }
}
