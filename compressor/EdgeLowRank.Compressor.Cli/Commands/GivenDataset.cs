using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Cli.Commands;

/// <summary>A command's --dataset value as its data set, decided by <see cref="DatasetArgument"/>, and the note on stderr where
/// a catalog name passes over a data folder of the same name in the working directory (the user's own ./mnist).</summary>
internal static class GivenDataset
{
    /// <summary>The data set <paramref name="value"/> names. No note yet: the command may still refuse the data set.</summary>
    /// <param name="value">The --dataset value as given.</param>
    /// <param name="modelClasses">For a command that measures a model and trains nothing, the model's classes, which a folder
    /// without classes.txt takes (<see cref="ModelFit.ClassesOf"/>); null for one that trains.</param>
    /// <exception cref="DatasetException">No catalog data set or folder has that name, or the folder is not a usable data set.</exception>
    public static DatasetInfo Resolve(string value, IReadOnlyList<string>? modelClasses = null) => DatasetArgument.Resolve(value, modelClasses);

    /// <summary>
    /// Prints the note, if one applies, that --dataset <paramref name="value"/> took the catalog's set and not the folder of
    /// that name here. Called once the command has checked the data set against the model and its options and goes on with
    /// it: a command that refuses the data set has taken nothing, and the note would say otherwise.
    /// </summary>
    /// <param name="value">The --dataset value as given; null when it was left out, which passes over no folder.</param>
    /// <param name="modelMetadata">The metadata of the model the command reads, if any. One that records the catalog set it is
    /// taking gets no note: no other data set would be taken for it (not the folder, whatever its name), and the folder is
    /// likely <c>elr data export</c>'s copy of that very set.</param>
    public static void NoteTaken(string? value, ModelMetadata? modelMetadata = null)
    {
        if (value is null || modelMetadata is not null && RecordedDataset.Of(modelMetadata)?.Name is string recorded
            && string.Equals(recorded, value, StringComparison.OrdinalIgnoreCase)) return;
        if (DatasetArgument.ShadowedFolderNote(value) is string note) Console.Error.WriteLine($"elr: note: {note}");
    }
}
