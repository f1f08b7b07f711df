namespace EdgeLowRank.Compressor.Data;

/// <summary>
/// What a --dataset value names, decided one way everywhere: a value with a path separator ("./flowers", "data/flowers")
/// is a folder of the user's own (<see cref="NpyFolderDataset"/>); a bare word is a catalog name when the catalog has it
/// (in any case), else a folder when one of that name exists. A catalog name always wins, so "--dataset mnist" means the
/// same data on every machine; a folder of the user's own is refused a catalog name anyway.
/// </summary>
public static class DatasetArgument
{
    /// <summary>How the rule reads in help text.</summary>
    public const string Rule = "a value with a '/', or naming an existing folder that is not a catalog name, is a folder";

    /// <summary>True when <paramref name="value"/> names a folder rather than a catalog data set.</summary>
    public static bool IsFolder(string value) =>
        value.IndexOfAny(['/', Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar]) >= 0 || value is "." or ".."
        || (Catalog(value) is null && Directory.Exists(value));

    /// <summary>The data set <paramref name="value"/> names: a catalog entry or the folder's data set, opened and checked.</summary>
    /// <param name="value">The --dataset value as given.</param>
    /// <param name="modelClasses">For a command that measures a model and trains nothing, the model's classes, which a folder
    /// without classes.txt takes (<see cref="NpyFolderDataset.Open"/>); null for one that trains.</param>
    /// <exception cref="DatasetException">No catalog data set or folder has that name, or the folder is not a usable data set.</exception>
    public static DatasetInfo Resolve(string value, IReadOnlyList<string>? modelClasses = null) =>
        IsFolder(value) ? NpyFolderDataset.Open(value, modelClasses)
        : Catalog(value) ?? throw new DatasetException($"Unknown data set '{value}'. Known data sets: {string.Join(", ", DatasetCatalog.All.Select(d => d.Name))}; "
            + $"or give the path of a folder of your own NumPy arrays (such as ./{value}), holding {NpyFolderDataset.Layout}.");

    /// <summary>
    /// A note for a bare catalog name given where the working directory holds a data folder of that name (the user's own
    /// arrays, say in ./mnist): the catalog's set is taken, and without the note the folder would be passed over silently.
    /// Only a folder holding one of <see cref="NpyFolderDataset"/>'s arrays counts, so a data cache or project folder that
    /// happens to be called mnist gets none. Null when there is nothing to say.
    /// </summary>
    /// <param name="value">The --dataset value as given.</param>
    public static string? ShadowedFolderNote(string value)
    {
        if (IsFolder(value) || Catalog(value) is not { } catalog || !NpyFolderDataset.HoldsAnArray(value)) return null;
        // The folder cannot be given by its path either (NpyFolderDataset refuses a catalog name), so the way out is a rename.
        return $"--dataset {value} is the catalog's {catalog.Name} ({catalog.Title}), not the folder ./{value} here. A folder of your own "
            + $"may not take a catalog name, as a model records its data set by name: to use those arrays, rename the folder "
            + $"(such as to my-{catalog.Name}) and give --dataset ./my-{catalog.Name}.";
    }

    private static DatasetInfo? Catalog(string name) =>
        DatasetCatalog.All.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase));
}
