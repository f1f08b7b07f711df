using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Format;

namespace EdgeLowRank.Compressor.Cli.Commands;

/// <summary>
/// The user errors of the commands that <see cref="CommandRunner"/> does not know: a command line that cannot work, a
/// bad training request or an unreadable model file become one line on stderr and exit 1.
/// </summary>
internal static class CommandErrors
{
    /// <summary>Runs <paramref name="action"/>, reporting <see cref="UsageException"/>, <see cref="TrainingException"/> and <see cref="ModelFormatException"/> as user errors.</summary>
    public static int Report(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is UsageException or TrainingException or ModelFormatException)
        {
            Console.Error.WriteLine($"elr: {e.Message}");
            return CommandRunner.Failure;
        }
    }
}
