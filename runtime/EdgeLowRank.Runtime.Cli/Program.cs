using System.Runtime.InteropServices;
using ConsoleAppFramework;
using EdgeLowRank.Runtime.Cli;
using EdgeLowRank.Runtime.Cli.Commands;
using EdgeLowRank.Runtime.IO;

// Before the parser keeps the console's writer: a redirection that fails (`> /dev/full`) is then named in the message.
StandardOutput.NameItsFailures();
// Then the model's own text (labels, properties) cannot drive the terminal.
ControlEscapingWriter.Install();
// Ctrl+C and SIGTERM end the process at once, with exit code 130 or 143 (128 + the signal) as shells expect; the line says
// why nothing more comes. Outputs are written atomically, so none is left half-written, and an unfinished one's temporary file
// is deleted first. Only `bench` takes the first of them as a request to stop and report what it measured (StopRequest).
// SIGTERM is taken as Ctrl+C is: left to the runtime, it ended a bench with 143 and no report and no word.
using PosixSignalRegistration interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => OnStopSignal(context, StopSignal.Interrupt));
using PosixSignalRegistration terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => OnStopSignal(context, StopSignal.Terminate));

string[] commands = ["info", "run", "bench", "profile"];
bool takesModel = args.Length > 0 && args[0] is not "profile"; // the first argument of info, run and bench is the model
if (args.Length > 0 && !args[0].StartsWith('-') && !commands.Contains(args[0]))
{
    // The parser shows help (exit code 0) for an unknown command; a typo must fail visibly instead.
    string suggestion = SpellingSuggestions.DidYouMean(args[0], commands) is string nearest ? $" ({nearest})" : "";
    Console.Error.WriteLine($"elr-run: error: unknown command '{args[0]}'{suggestion}. Commands: {string.Join(", ", commands)}. See 'elr-run --help'.");
    return ExitCodes.Usage;
}

if (args.Length == 0 || (args[0].StartsWith('-') && args[0] is not ("-h" or "--help" or "--version")))
{
    // The parser shows help and exits 0 for these too: a script calling elr-run wrongly must not read it as success.
    string what = args.Length == 0 ? "no command given" : $"'{args[0]}' is not a command";
    Console.Error.WriteLine($"elr-run: error: {what}. Commands: {string.Join(", ", commands)}. See 'elr-run --help'.");
    return ExitCodes.Usage;
}

if (args.Length == 1 && commands.Contains(args[0]))
{
    // Given nothing to work on, the parser shows help and exits 0, which a script would take for success.
    string needs = takesModel ? $"a model: elr-run {args[0]} MODEL.elr" : "an output file: elr-run profile -o board.json";
    Console.Error.WriteLine($"elr-run: error: '{args[0]}' needs {needs} [options]. See 'elr-run {args[0]} --help'.");
    return ExitCodes.Usage;
}
if ((ParseMessages.FindEndOfOptions(args) ?? ParseMessages.FindNumberWithComma(args, takesModel) ?? ParseMessages.FindRepeated(args)
     ?? ParseMessages.FindInapplicable(args)) is string refused)
{
    Console.Error.WriteLine($"elr-run: error: {refused}");
    return ExitCodes.Usage;
}

string command = args[0];
ConsoleApp.Log = WriteHelp; // the parser writes help through Log
ConsoleApp.Version = BuildInfo.InformationalVersion;   // with the commit ("0.1.0+70cd95a…"), as elr --version prints it
var app = ConsoleApp.Create();
ConsoleApp.LogError = message => Console.Error.WriteLine($"elr-run: error: {ParseMessages.ForUsers(message, command, () => OptionsOf(app, command))}");
app.Add<InfoCommand>();
app.Add<RunCommand>();
app.Add<BenchCommand>();
app.Add<ProfileCommand>();
app.Run(args);
return Environment.ExitCode;

// The parser knows a command's options only as the help it writes; the help is written into a string and read back.
static IEnumerable<string> OptionsOf(ConsoleApp.ConsoleAppBuilder app, string command)
{
    var help = new System.Text.StringBuilder();
    Action<string> log = ConsoleApp.Log;
    int exitCode = Environment.ExitCode;
    ConsoleApp.Log = text => help.AppendLine(text);
    try
    {
        app.Run([command, "--help"]);
    }
    finally
    {
        ConsoleApp.Log = log;
        Environment.ExitCode = exitCode;
    }
    return ParseMessages.OptionsIn(help.ToString());
}

static void OnStopSignal(PosixSignalContext context, StopSignal signal)
{
    if (!StopRequest.TryRequest(signal))
    {
        // Not cancelled: the signal's default action ends the process, ended by the signal (exit code 128 + its number).
        AtomicFile.DeleteUnfinished();
        StatusLine.Write(signal.Ended);
        return;
    }
    context.Cancel = true;
    // One inference of a large batch can take seconds: the user learns the signal was heard, and how not to wait.
    StatusLine.Write(signal == StopSignal.Interrupt
        ? "stopping after the run in progress; Ctrl+C again quits at once, without a report"
        : "stopping after the run in progress (SIGTERM); another SIGTERM or Ctrl+C quits at once, without a report");
}

// The help, too, can meet a redirection that fails; outside a command the parser would let that end the process with a
// stack trace, and inside one it would print the trace as the error.
static void WriteHelp(string message)
{
    try
    {
        Console.WriteLine(ParseMessages.WithPlainDefaults(ParseMessages.WithProgramName(message)));
    }
    catch (IOException e)
    {
        Console.Error.WriteLine($"elr-run: error: {e.Message}");
        Environment.ExitCode = ExitCodes.IoError;
    }
}
