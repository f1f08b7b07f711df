using System.Text.Json;
using EdgeLowRank.Compressor.Cli.Display;
using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Runtime.IO;

namespace EdgeLowRank.Compressor.Cli.Commands;

/// <summary>
/// Writes a command's model and its --log together, both or neither (<see cref="AtomicFile.WriteAll"/>): a log written after
/// the model could fail on a full device with the new model already in place, and its "Nothing was replaced" then read as if
/// the run had left the old model (a trial's finding). The log names the model's SHA-256, taken from the bytes about to be written.
/// </summary>
internal static class ModelWithLog
{
    /// <summary>Writes <paramref name="model"/> to <paramref name="output"/> and, with a <paramref name="logPath"/>, the log
    /// <paramref name="log"/> builds from the model's SHA-256 (<see cref="LogJson"/>'s form).</summary>
    /// <exception cref="FilePathException">A path cannot be written (a full device): neither file was replaced.</exception>
    public static void Write(string output, byte[] model, string? logPath, Func<string, object> log)
    {
        if (logPath is null)
        {
            AtomicFile.Write(output, model);
            return;
        }
        byte[] logBytes = JsonSerializer.SerializeToUtf8Bytes(log(FileSha256.OfContent(model)), LogJson.Options);
        AtomicFile.WriteAll([(output, stream => stream.Write(model)), (logPath, stream => stream.Write(logBytes))]);
    }
}
