using EdgeLowRank.Compressor.Data;

namespace EdgeLowRank.Compressor.Cli.Commands;

/// <summary>A command's --dataset value as its data set, decided by <see cref="DatasetArgument"/>, with a note on stderr where
/// a catalog name passes over a data folder of the same name in the working directory (the user's own ./mnist).</summary>
internal static class GivenDataset
{
    /// <summary>The data set <paramref name="value"/> names, after the note, if one applies.</summary>
    /// <exception cref="DatasetException">No catalog data set or folder has that name, or the folder is not a usable data set.</exception>
    public static DatasetInfo Resolve(string value)
    {
        if (DatasetArgument.ShadowedFolderNote(value) is string note) Console.Error.WriteLine($"elr: note: {note}");
        return DatasetArgument.Resolve(value);
    }
}
