using System.CommandLine;
using System.Globalization;
using EdgeLowRank.Compressor.Cli;
using EdgeLowRank.Compressor.Cli.Commands;
using EdgeLowRank.Runtime.IO;

// Before anything keeps the console's writer: a redirection that fails (`> /dev/full`) is then named in the message.
StandardOutput.NameItsFailures();

// Percentages as "1.71%", as elr inspect and elr-run print them: under invariant globalization ":P2" gives "1.71 %".
var culture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
culture.NumberFormat.PercentPositivePattern = 1;   // n%
culture.NumberFormat.PercentNegativePattern = 1;   // -n%
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.CurrentCulture = culture;

// Each command group lives in its own file under Commands/ and adds itself here.
var root = new RootCommand("elr: train, compress and evaluate low-rank image classifiers for small boards.");
root.Subcommands.Add(DataCommands.Create());
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(EvalCommand.Create());
root.Subcommands.Add(CompressCommand.Create());
root.Subcommands.Add(QuantizeCommand.Create());
root.Subcommands.Add(InspectCommand.Create());
root.Subcommands.Add(PlotCommand.Create());
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(OnnxCommands.Export());
root.Subcommands.Add(OnnxCommands.Import());

// Redirected to a file or a pipe, Spectre.Console assumes 80 columns and wraps every table cell ("para…", "Factor/izedCo")
// and every long line (a run's header, its summary with the output path). A log has no width to respect: tables get
// room for their widest row and a line stays one line, so it can be searched for (grep) and parsed.
if (Console.IsOutputRedirected) Spectre.Console.AnsiConsole.Profile.Width = 4096;   // wider than any line elr writes

return await CommandRunner.RunAsync(root, args);
