using System.CommandLine;
using EdgeLowRank.Compressor.Cli;
using EdgeLowRank.Compressor.Cli.Commands;

// Each command group lives in its own file under Commands/ and adds itself here.
var root = new RootCommand("elr: train, compress and evaluate low-rank image classifiers for small boards.");
root.Subcommands.Add(DataCommands.Create());
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(EvalCommand.Create());
root.Subcommands.Add(CompressCommand.Create());
root.Subcommands.Add(InspectCommand.Create());
root.Subcommands.Add(PlotCommand.Create());
root.Subcommands.Add(DemoCommand.Create());

return await CommandRunner.RunAsync(root, args);
