using EdgeLowRank.Runtime.Cli;
using EdgeLowRank.Runtime.Cli.Inputs;
using EdgeLowRank.Runtime.IO;

namespace EdgeLowRank.Fuzz;

/// <summary>
/// elr-run's input files: bytes that start as IDX go to its IDX parser, others to its .npy reading (samples), and an
/// integer .npy is read as labels are. elr-run reports a bad file as <see cref="CliException"/>; the runtime's .npy
/// parser as <see cref="NpyFormatException"/>.
/// </summary>
internal static class InputsTarget
{
    public static void Run(byte[] bytes)
    {
        try
        {
            if (IdxFile.LooksLikeIdx(bytes))
            {
                IdxFile.Read(bytes, "input.idx");
                return;
            }
            NpyFile.Parse(bytes, "input.npy");
        }
        catch (CliException)
        {
        }
        try
        {
            NpyArray array = NpyArray.Parse(bytes, "labels.npy");
            if (array.IsInteger) array.ToInt64s();
        }
        catch (NpyFormatException)
        {
        }
    }
}
