using EdgeLowRank.Runtime.IO;

namespace EdgeLowRank.Compressor.Data;

/// <summary>
/// A data set of the user's own: a folder of NumPy arrays, as a PyTorch or NumPy pipeline writes them with np.save —
/// train-images.npy, train-labels.npy, test-images.npy, test-labels.npy and optionally classes.txt (one class name per
/// line). It is read in place, never fetched or copied, and named after the folder. <see cref="Open"/> checks everything
/// but the pixels (headers, labels, class names), so a command refuses a bad folder before it trains or writes anything;
/// the pixels are read when the data set is loaded (<see cref="NpyFolderLoader"/>), the training part's only by a command
/// that trains.
/// </summary>
public static class NpyFolderDataset
{
    /// <summary>The training images: (N, H, W) or (N, H, W, C), uint8, float32 or float64.</summary>
    public const string TrainImages = "train-images.npy";

    /// <summary>One integer label per training image.</summary>
    public const string TrainLabels = "train-labels.npy";

    /// <summary>The test images, of the training images' sample shape.</summary>
    public const string TestImages = "test-images.npy";

    /// <summary>One integer label per test image.</summary>
    public const string TestLabels = "test-labels.npy";

    /// <summary>Optional: one class name per line, in label order; without it the classes are 0 to the largest label.</summary>
    public const string ClassesFile = "classes.txt";

    private static readonly string[] Required = [TrainImages, TrainLabels, TestImages, TestLabels];

    /// <summary>What a folder of test images alone holds: enough for `elr eval` and `elr quantize`, which read nothing else.</summary>
    private static readonly string[] TestOnly = [TestImages, TestLabels];

    /// <summary>The data set in <paramref name="folder"/>, checked but for its pixels. A folder without either training array
    /// is a test part alone: <see cref="DatasetInfo.LoadTestFrom"/> reads it, and loading both parts says the training arrays
    /// are needed.</summary>
    /// <param name="folder">The folder, as the user gave it.</param>
    /// <param name="modelClasses">The classes of the model a command measures on the folder and does not train (elr eval,
    /// quantize, import-onnx; <see cref="ModelFit.ClassesOf"/>), taken where the folder has no classes.txt: the model knows how
    /// many classes it has, and new test images need not hold the last of them. Null for a command that trains, whose
    /// classes are the labels' (the largest + 1).</param>
    /// <exception cref="DataFormatException">A file is not of the types and shapes above, counts disagree, or a label names no
    /// class: the file is to be replaced (exit code 2).</exception>
    /// <exception cref="DatasetException">The folder has a catalog data set's name, or the model's classes do not fit.</exception>
    /// <exception cref="FilePathException">The folder or a file is missing.</exception>
    public static DatasetInfo Open(string folder, IReadOnlyList<string>? modelClasses = null)
    {
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        if (!Directory.Exists(full))
            throw new FilePathException(File.Exists(full)
                ? $"{folder} is a file; a data set of your own is a folder holding {Layout}."
                : $"There is no folder {folder}; a data set of your own is a folder holding {Layout}.");
        string name = Path.GetFileName(full);
        if (DatasetCatalog.All.FirstOrDefault(d => d.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) is { } catalog)
            throw new DatasetException($"The folder {folder} has the name of the catalog's data set {catalog.Name}, and a model records its data set "
                + $"by name, so later commands would take it for the catalog's: rename the folder (such as to my-{catalog.Name}).");
        // New test images for a trained model come without training arrays; a training array without its partner is a mistake.
        bool trains = File.Exists(Path.Combine(full, TrainImages)) || File.Exists(Path.Combine(full, TrainLabels));
        string[] files = trains ? Required : TestOnly;
        string? missing = files.FirstOrDefault(f => !File.Exists(Path.Combine(full, f)));
        if (missing is not null) throw new FilePathException($"{folder} holds no {missing}; a data set of your own is a folder holding {Layout}.");

        string classesPath = Path.Combine(full, ClassesFile);
        bool named = File.Exists(classesPath);
        // Read, a FIFO blocks for want of a writer (elr eval waited for ever on one, which tar can carry).
        foreach (string file in named ? [.. files, ClassesFile] : files)
            if (FilePaths.IsSpecialFile(Path.Combine(full, file)))
                throw DataFormatException.OfWholeFile(Path.Combine(full, file), $"{Path.Combine(full, file)} is a pipe, a socket or a device, not a regular file, and "
                    + "reading it could wait for ever; a data folder holds files of data: replace it with the file itself.");

        string trainImages = Path.Combine(full, TrainImages), testImages = Path.Combine(full, TestImages);
        string trainLabelsPath = Path.Combine(full, TrainLabels), testLabelsPath = Path.Combine(full, TestLabels);
        // The training header first, so a fault both arrays share (channels-first, say) is reported for the training images.
        NpyHeader? trainHeader = trains ? ReadHeader(trainImages) : null;
        NpyHeader testHeader = ReadHeader(testImages);
        (SampleShape shape, int trainCount) = trainHeader is not null ? NpyImages.ShapeOf(trainHeader, trainImages) : default;
        (SampleShape testShape, int testCount) = NpyImages.ShapeOf(testHeader, testImages);
        if (!trains) shape = testShape;
        if (testShape != shape)
            throw DataFormatException.OfWholeFile(testImages, $"{testImages} holds images of {testShape}, but {trainImages} holds images of {shape}; train and test images must have one shape.");

        long[] trainLabels = trains ? NpyLabels.Read(trainLabelsPath, trainImages, trainCount) : [];
        long[] testLabels = NpyLabels.Read(testLabelsPath, testImages, testCount);
        // The labels are kept as bytes: a model of more classes (ImageNet's 1,000) cannot be scored on a folder.
        if (!named && modelClasses is { Count: > NpyLabels.MaxClasses })
            throw new DatasetException($"The model has {modelClasses.Count:N0} outputs, one per class, but elr measures models of at most {NpyLabels.MaxClasses} classes "
                + $"(a label is a byte), so it cannot score it on {folder}; run the model with elr-run instead.");
        IReadOnlyList<string> classes = named ? NpyClassNames.Read(classesPath)
            : modelClasses ?? NpyClassNames.Numbered(NpyLabels.ClassCount(trainLabels, testLabels, trainLabelsPath, testLabelsPath));
        string why = named ? $"the {classes.Count} lines of {ClassesFile}" : modelClasses is not null ? $"the model's {classes.Count} outputs" : "the largest label + 1";
        byte[] train = NpyLabels.ToClasses(trainLabels, trainLabelsPath, classes.Count, why);
        byte[] test = NpyLabels.ToClasses(testLabels, testLabelsPath, classes.Count, why);

        return new DatasetInfo(name, full, named ? [.. files, ClassesFile] : files, shape, classes, trainCount, testCount,
            new NpyFolderLoader(trains ? train : null, test))
        {
            // The scale a model trained on the folder saw: its training images'; a test-only folder's are its test images.
            IntegerPixelMax = (trainHeader ?? testHeader).DataType == NpyDataType.UInt8 ? byte.MaxValue : null,
        };
    }

    /// <summary>Throws when <paramref name="info"/> is a folder of test arrays alone, before a command that trains does any work.</summary>
    /// <exception cref="FilePathException">It is.</exception>
    public static void RequireTrainingArrays(DatasetInfo info)
    {
        if (info.Folder is string folder && info.TrainCount == 0) throw TestArraysAlone(folder);
    }

    /// <summary>The refusal of a folder of test arrays alone by a command that trains: files missing, as one training array
    /// missing beside the other is (<see cref="Open"/>), so both are elr's file error (exit code 3), not a data set's.</summary>
    internal static FilePathException TestArraysAlone(string folder) =>
        new($"{folder} holds test arrays alone (no {TrainImages} or {TrainLabels}): elr train and compress need the training arrays too; "
            + "elr eval and quantize read the test arrays alone.");

    /// <summary>True when <paramref name="folder"/> holds at least one of the four arrays: a data folder, though perhaps an incomplete one.</summary>
    public static bool HoldsAnArray(string folder) => Required.Any(f => File.Exists(Path.Combine(folder, f)));

    /// <summary>The files a folder holds, for messages and help.</summary>
    public static string Layout => $"{TrainImages}, {TrainLabels}, {TestImages} and {TestLabels} (and optionally {ClassesFile}; "
        + $"the test arrays alone for elr eval and quantize)";

    /// <summary>The header of an array, a broken one reported as a data set error.</summary>
    internal static NpyHeader ReadHeader(string path) => AsDatasetError(() => NpyHeader.Read(path));

    /// <summary>A whole array, a broken one reported as a data set error.</summary>
    internal static NpyArray ReadArray(string path) => AsDatasetError(() => NpyArray.Read(path));

    /// <summary>An array's header and its elements as float32 (a float32 file read straight into them), a broken one
    /// reported as a data set error.</summary>
    internal static (NpyHeader Header, float[] Values) ReadSingles(string path) => AsDatasetError(() => NpyArray.ReadSingles(path));

    private static T AsDatasetError<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (NpyFormatException e)
        {
            throw DataFormatException.OfWholeFile(e.FilePath, e.Message, e);
        }
    }
}
