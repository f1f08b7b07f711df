using System.Text.Json;
using Spectre.Console;

namespace EdgeLowRank.Compressor.Cli.Display;

/// <summary>
/// A command's result as one JSON document on stdout (<c>elr eval --json</c>, <c>elr inspect --json</c>), in the logs' style
/// (<see cref="LogJson"/>: camelCase) and elr-run's <c>--json</c>'s: null for what cannot be given, never "NaN". Everything
/// else the command shows (a first fetch's progress bar, notes) goes to stderr meanwhile, so a pipeline reads stdout whole.
/// </summary>
internal static class JsonReport
{
    /// <summary>Sends what Spectre.Console would write to stdout to stderr from now on: a fetch's progress bar among others.</summary>
    public static void KeepStdoutForTheDocument() =>
        AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

    /// <summary>Writes <paramref name="document"/> to stdout.</summary>
    public static void Write(object document) => Console.Out.WriteLine(JsonSerializer.Serialize(document, LogJson.Options));

    /// <summary>A share as JSON takes it: null where it is undefined (a class no sample has), as the tables' "-".</summary>
    public static double? Share(double share) => double.IsNaN(share) ? null : share;
}
