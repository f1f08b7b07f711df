namespace EdgeLowRank.Compressor.Cli.Commands;

/// <summary>
/// An input file the command cannot take as it is: an ONNX graph the import does not read (an operator, a layout, an opset
/// outside its range). Beside <see cref="UsageException"/>, so that a script can tell a file to replace from an option to
/// change (<see cref="ExitCodes.BadInput"/>); the message names the file, what is wrong and what to do.
/// </summary>
internal sealed class InputException(string message) : Exception(message);
