using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Export;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Cli.Commands;

/// <summary>
/// The data set a model file's metadata names ("mnist/test" → mnist). MNIST and Fashion-MNIST have the same shapes, so only
/// the metadata tells a digit model from a clothing one: a --dataset that disagrees with it is refused, and where --dataset
/// may be left out, it is the default. A name the catalog does not have is a folder of the user's own
/// (<see cref="NpyFolderDataset"/>): the file records only its name, not where it is, so such a model needs --dataset FOLDER.
/// </summary>
internal static class RecordedDataset
{
    /// <summary>The catalog's data set that <paramref name="metadata"/> names, or null when it names none the catalog knows.</summary>
    public static DatasetInfo? Of(ModelMetadata metadata)
    {
        string name = metadata.Dataset.Split('/')[0];
        return DatasetCatalog.All.FirstOrDefault(d => d.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary><paramref name="named"/> (a --dataset given), else the data set <paramref name="metadata"/> names.</summary>
    /// <param name="fileName">The model file's name, for the message.</param>
    /// <param name="metadata">The model's metadata.</param>
    /// <param name="named">The data set --dataset named, or null when it was left out.</param>
    /// <param name="purpose">What --dataset is for and the other ways out, ending the message ("to measure the accuracy, or --no-eval"); empty for nothing.</param>
    /// <exception cref="UsageException">No --dataset, and the metadata names no data set the catalog knows.</exception>
    public static DatasetInfo GivenOrRecorded(string fileName, ModelMetadata metadata, DatasetInfo? named, string purpose = "") =>
        named ?? Of(metadata)
        ?? throw new UsageException(metadata.Dataset.Length == 0
            ? $"{fileName} records no data set; give --dataset {string.Join("|", DatasetCatalog.All.Select(d => d.Name))}|FOLDER{(purpose.Length > 0 ? " " + purpose : "")}."
            : $"{fileName} records the data set '{metadata.Dataset}', a folder of your own, which elr cannot find by its name; "
                + $"give --dataset FOLDER, the path of the folder '{FolderName(metadata)}' that holds its NumPy arrays{(purpose.Length > 0 ? ", " + purpose : "")}.");

    /// <summary>The name of the user's folder <paramref name="metadata"/> records ("flowers/test" → flowers); empty for none.</summary>
    private static string FolderName(ModelMetadata metadata) => metadata.Dataset.Split('/')[0];

    /// <summary><paramref name="metadata"/> naming <paramref name="info"/>'s test set and its class names where it names no
    /// data set or labels of its own, so that a file measured on a data set records which (elr eval's default, and what it
    /// refuses another data set against), and the scale of its integer pixels where it records none.</summary>
    public static ModelMetadata Recording(ModelMetadata metadata, DatasetInfo info)
    {
        // The pixels' scale too, where the file records none: an import, or a model made before models recorded it.
        var properties = new Dictionary<string, string>(metadata.Properties);
        if (metadata.InputPixelMax is null) ExportMetadata.RecordInputScale(properties, info.IntegerPixelMax);
        return metadata with
        {
            Dataset = metadata.Dataset.Length > 0 ? metadata.Dataset : $"{info.Name}/test",
            Labels = metadata.Labels.Count > 0 ? metadata.Labels : info.ClassNames,
            Properties = properties,
        };
    }

    /// <summary>Refuses <paramref name="given"/> when the model records another data set of the catalog, or when the model's
    /// input or output sizes do not fit it (<see cref="ModelFit"/>). A folder without classes.txt opened for the model has
    /// its classes (<see cref="ModelFit.ClassesOf"/>), so only its images or a classes.txt can disagree.</summary>
    /// <exception cref="UsageException">The model was trained on another data set, or does not fit this one.</exception>
    public static void RequireFit(string fileName, Model model, DatasetInfo given)
    {
        RequireMatch(fileName, model.Metadata, given);
        if (ModelFit.Mismatch(fileName, model.InputShape, model.OutputShape.ElementCount, given.Name, given.SampleShape, given.ClassNames.Count) is string why)
            throw new UsageException(why);
    }

    /// <summary>Refuses <paramref name="given"/> when the model records another data set of the catalog, or records a folder of
    /// the user's own and <paramref name="given"/> is the catalog's. A folder given for a model of another folder is taken: the
    /// folder may have been moved or renamed, or hold new test images of the same classes, and <see cref="ModelFit"/> still
    /// checks the shapes and class count.</summary>
    /// <exception cref="UsageException">The model was trained on another data set.</exception>
    public static void RequireMatch(string fileName, ModelMetadata metadata, DatasetInfo given)
    {
        if (Of(metadata) is { } recorded && recorded.Name != given.Name)
            throw new UsageException($"{fileName} was trained on {recorded.Name} (its metadata says so), not {given.Name}; use --dataset {recorded.Name}.");
        if (metadata.Dataset.Length > 0 && Of(metadata) is null && given.Folder is null)
            throw new UsageException($"{fileName} was trained on '{FolderName(metadata)}', a folder of your own (its metadata says so), not the catalog's {given.Name}; "
                + $"give --dataset FOLDER, the path of the folder '{FolderName(metadata)}'.");
    }
}
