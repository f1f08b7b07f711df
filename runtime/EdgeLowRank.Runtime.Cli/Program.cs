using ConsoleAppFramework;
using EdgeLowRank.Runtime.Cli;
using EdgeLowRank.Runtime.Cli.Commands;

string[] commands = ["info", "run", "bench", "profile"];
if (args.Length > 0 && !args[0].StartsWith('-') && !commands.Contains(args[0]))
{
    // The parser shows help (exit code 0) for an unknown command; a typo must fail visibly instead.
    Console.Error.WriteLine($"elr-run: error: unknown command '{args[0]}'. Commands: {string.Join(", ", commands)}. See 'elr-run --help'.");
    return ExitCodes.Usage;
}

string[] needModel = ["info", "run", "bench"];
if (args.Length == 1 && needModel.Contains(args[0]))
{
    // Given nothing to work on, the parser shows help and exits 0, which a script would take for success.
    Console.Error.WriteLine($"elr-run: error: '{args[0]}' needs a model: elr-run {args[0]} MODEL.elr [options]. See 'elr-run {args[0]} --help'.");
    return ExitCodes.Usage;
}

ConsoleApp.LogError = message => Console.Error.WriteLine($"elr-run: error: {message}");
var app = ConsoleApp.Create();
app.Add<InfoCommand>();
app.Add<RunCommand>();
app.Add<BenchCommand>();
app.Add<ProfileCommand>();
app.Run(args);
return Environment.ExitCode;
