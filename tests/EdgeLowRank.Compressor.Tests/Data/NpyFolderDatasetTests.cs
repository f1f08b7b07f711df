using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Runtime.IO;
using EdgeLowRank.Runtime.Tests.IO;

namespace EdgeLowRank.Compressor.Tests.Data;

/// <summary>A folder of the user's own .npy arrays as a data set: what it reads (and how it scales it), and the message
/// for each way a folder can be wrong.</summary>
public sealed class NpyFolderDatasetTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>A folder "shapes" of 3 training and 2 test images of 2×2 pixels, uint8, labels int64 in 0..2.</summary>
    private string Folder(
        byte[]? trainImages = null, byte[]? trainLabels = null, byte[]? testImages = null, byte[]? testLabels = null, string? classes = null, string name = "shapes")
    {
        string folder = Directory.CreateDirectory(_temp.File(name)).FullName;
        File.WriteAllBytes(Path.Combine(folder, "train-images.npy"), trainImages ?? NpyBytes.Of(NpyDataType.UInt8, [3, 2, 2], 0, 255, 128, 1, 2, 3, 4, 5, 6, 7, 8, 9));
        File.WriteAllBytes(Path.Combine(folder, "train-labels.npy"), trainLabels ?? NpyBytes.Of(NpyDataType.Int64, [3], 2, 0, 1));
        File.WriteAllBytes(Path.Combine(folder, "test-images.npy"), testImages ?? NpyBytes.Of(NpyDataType.UInt8, [2, 2, 2], 10, 11, 12, 13, 14, 15, 16, 170)); // 170: 0–255 images, not dim ones
        File.WriteAllBytes(Path.Combine(folder, "test-labels.npy"), testLabels ?? NpyBytes.Of(NpyDataType.Int64, [2], 1, 1));
        if (classes is not null) File.WriteAllText(Path.Combine(folder, "classes.txt"), classes);
        return folder;
    }

    /// <summary>The message of the refusal, which must be of exactly <paramref name="type"/>: a data set that cannot be used as
    /// asked (<see cref="DatasetException"/>), a file not of the types, shapes and values a folder takes (<see cref="DataFormatException"/>, a subclass), or a
    /// folder or file that is missing (<see cref="FilePathException"/>): elr gives the three different exit codes (1, 2 and 3),
    /// so one taken for another is a regression.</summary>
    private static string Refusal(string folder, Type type)
    {
        Exception e = Assert.Throws(type, () => NpyFolderDataset.Open(folder).LoadFrom(folder));
        return e.Message;
    }

    [Fact]
    public void A_folder_without_classes_txt_takes_the_classes_of_a_model_it_measures_and_one_with_it_keeps_its_own()
    {
        string folder = Folder();
        string[] model = ["zero", "one", "two", "three"];

        Assert.Equal(model, NpyFolderDataset.Open(folder, model).ClassNames);
        Assert.Equal(["0", "1", "2"], NpyFolderDataset.Open(folder).ClassNames);
        Assert.Equal(["a", "b", "c"], NpyFolderDataset.Open(Folder(classes: "a\nb\nc\n", name: "named"), model).ClassNames);
        // Labels are bytes: a model of ImageNet's 1,000 classes cannot be scored on a folder, and is told so rather than crashing.
        Assert.Contains("The model has 1,000 outputs, one per class, but elr measures models of at most 256 classes",
            Assert.Throws<DatasetException>(() => NpyFolderDataset.Open(folder, [.. Enumerable.Range(0, 1000).Select(i => $"c{i}")])).Message);
    }

    [Fact]
    public void A_uint8_folder_is_named_after_its_folder_and_scaled_as_the_catalogs_idx_pixels()
    {
        string folder = Folder();

        DatasetInfo info = NpyFolderDataset.Open(folder);
        DatasetParts parts = info.LoadFrom(info.Folder!);

        Assert.Equal(("shapes", folder, new SampleShape(2, 2, 1)), (info.Name, info.Folder, info.SampleShape));
        Assert.Equal((3, 2), (info.TrainCount, info.TestCount));
        Assert.Equal(["0", "1", "2"], info.ClassNames);
        Assert.Equal(["train-images.npy", "train-labels.npy", "test-images.npy", "test-labels.npy"], info.FolderFiles);
        Assert.Null(info.Source);
        Assert.Equal("shapes/test", parts.Test.Name);
        float scale = 1f / 255; // as PixelScaling multiplies, which can differ from v / 255f in the last bit
        Assert.Equal(new[] { 0, 255, 128, 1 }.Select(v => v * scale), parts.Train.Sample(0).ToArray());
        Assert.Equal([2, 0, 1], parts.Train.Labels.ToArray());
        Assert.Equal([1, 1], parts.Test.Labels.ToArray());
        Assert.Empty(parts.Warnings); // 255 in a uint8 array is full scale, not unscaled
        // Recorded in the models trained on it, for elr-run to scale uint8 input alike.
        Assert.Equal(255, info.IntegerPixelMax);
    }

    [Fact]
    public void Uint8_pixels_of_a_small_full_scale_load_with_one_warning_naming_the_arrays_and_the_way_out()
    {
        // The UCI digits' own 0–16 pixels, as elr data export writes them: read by 1/255, near-black images.
        string folder = Folder(trainImages: NpyBytes.Of(NpyDataType.UInt8, [3, 2, 2], 0, 16, 8, 1, 2, 3, 4, 5, 6, 7, 8, 9),
            testImages: NpyBytes.Of(NpyDataType.UInt8, [2, 2, 2], 10, 11, 12, 13, 14, 15, 16, 0), name: "dim");

        DatasetInfo info = NpyFolderDataset.Open(folder);
        string warning = Assert.Single(info.LoadFrom(folder).Warnings);
        string testOnly = Assert.Single(info.LoadTestFrom(folder).Warnings);

        Assert.Contains("dim/train-images.npy and dim/test-images.npy hold uint8 pixels up to 16 only", warning);
        Assert.Contains("save the images as float32 divided by it ((x / 16).astype(np.float32))", warning);
        Assert.StartsWith("dim/test-images.npy holds uint8 pixels up to 16 only", testOnly);
    }

    [Fact]
    public void Floats_are_taken_as_they_are_channels_last_with_the_names_of_classes_txt()
    {
        double[] pixels = [-1.5, 0.25, 3, 1e-3, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8];
        string folder = Folder(
            trainImages: NpyBytes.Of(NpyDataType.Float64, [1, 2, 2, 3], pixels),
            trainLabels: NpyBytes.Of(NpyDataType.Int16, [1], 3),
            testImages: NpyBytes.Floats([1, 2, 2, 3], [.. pixels.Select(p => (float)p)]),
            testLabels: NpyBytes.Of(NpyDataType.UInt8, [1], 0),
            classes: "circle\r\n square \ntriangle\nstar\n\n");

        DatasetInfo info = NpyFolderDataset.Open(folder);
        DatasetParts parts = info.LoadFrom(folder);

        Assert.Equal(new SampleShape(2, 2, 3), info.SampleShape);
        Assert.Equal(["circle", "square", "triangle", "star"], info.ClassNames);
        Assert.Contains("classes.txt", info.FolderFiles);
        Assert.Equal(pixels.Select(p => (float)p), parts.Train.Sample(0).ToArray());
        Assert.Equal(parts.Train.Sample(0).ToArray(), parts.Test.Sample(0).ToArray());
        Assert.Equal([3], parts.Train.Labels.ToArray());
        Assert.Empty(parts.Warnings); // up to 3, but negative too: standardized, chosen, not unscaled
        Assert.Null(info.IntegerPixelMax); // floats have no integer scale for a model to record
    }

    [Fact]
    public void Float_pixels_of_0_to_255_load_as_they_are_with_one_warning_naming_both_arrays_the_range_and_the_way_out()
    {
        double[] train = [0, 255, 128, 1, 2, 3, 4, 5, 6, 7, 8, 9], test = [10, 11, 12, 13, 14, 15, 16, 17];
        string folder = Folder(trainImages: NpyBytes.Floats([3, 2, 2], [.. train.Select(p => (float)p)]), testImages: NpyBytes.Of(NpyDataType.Float64, [2, 2, 2], test));

        DatasetParts parts = NpyFolderDataset.Open(folder).LoadFrom(folder);

        Assert.Equal([0f, 255f, 128f, 1f], parts.Train.Sample(0).ToArray());
        Assert.Equal("shapes/train-images.npy and shapes/test-images.npy hold float pixels from 0 to 255. Only uint8 arrays are scaled by 1/255; "
            + "float arrays are used as they are, so the network takes these values where a model usually takes 0 to 1: training on them can diverge "
            + "or end worse, and a model trained on 0 to 1 scores worse on them. If they are pixels of 0 to 255, save the images divided by 255 "
            + "((x / 255).astype(np.float32)) or as uint8 (x.astype(np.uint8)); ignore this if the network expects that range (one imported "
            + "with --input-mean/--input-std in 0-255 units).", Assert.Single(parts.Warnings));
    }

    [Theory]
    [InlineData(1.5, null)]
    [InlineData(1.0, null)]
    [InlineData(1.51, "shapes/train-images.npy holds float pixels from 0 to 1.51.")]
    [InlineData(17.0, "shapes/train-images.npy holds float pixels from 0 to 17.")]
    public void Only_float_pixels_above_1_5_and_none_negative_are_warned_of(double largest, string? warning)
    {
        // The test images stay uint8 (0 to 17), which are scaled and never warned of.
        string folder = Folder(trainImages: NpyBytes.Floats([3, 2, 2], [0f, (float)largest, .. Enumerable.Repeat(0.5f, 10)]));

        DatasetParts parts = NpyFolderDataset.Open(folder).LoadFrom(folder);

        if (warning is null) Assert.Empty(parts.Warnings);
        else Assert.StartsWith(warning, Assert.Single(parts.Warnings));
    }

    [Fact]
    public void The_test_part_alone_reads_nothing_of_the_training_pixels()
    {
        // A valid header, then data cut short: reading the training pixels at all refuses them.
        string folder = Folder(trainImages: NpyBytes.Floats([3, 2, 2], new float[12])[..^4]);
        DatasetInfo info = NpyFolderDataset.Open(folder);

        DatasetTestPart test = info.LoadTestFrom(folder);

        Assert.Equal("shapes/test", test.Test.Name);
        Assert.Equal([1, 1], test.Test.Labels.ToArray());
        Assert.Equal(new[] { 10, 11, 12, 13 }.Select(v => v * (1f / 255)), test.Test.Sample(0).ToArray());
        Assert.Contains("train-images.npy is not a usable .npy file: its shape (3, 2, 2) does not match the 11 values", Refusal(folder, typeof(DataFormatException)));
    }

    [Theory]
    [InlineData("train", null)]
    [InlineData("test", "shapes/test-images.npy holds float pixels from 0 to 17.")]
    public void The_test_part_alone_warns_only_of_the_test_images_it_read(string unscaled, string? warning)
    {
        byte[] floats = NpyBytes.Floats([2, 2, 2], [0f, 17f, .. Enumerable.Repeat(3f, 6)]);
        string folder = unscaled == "train"
            ? Folder(trainImages: NpyBytes.Floats([3, 2, 2], [0f, 17f, .. Enumerable.Repeat(3f, 10)]))
            : Folder(testImages: floats);

        DatasetTestPart test = NpyFolderDataset.Open(folder).LoadTestFrom(folder);

        if (warning is null) Assert.Empty(test.Warnings);
        else Assert.StartsWith(warning, Assert.Single(test.Warnings));
        Assert.Single(NpyFolderDataset.Open(folder).LoadFrom(folder).Warnings); // both parts read: warned of either way
    }

    [Theory]
    [InlineData(nameof(NpyDataType.Int8))]
    [InlineData(nameof(NpyDataType.UInt16))]
    [InlineData(nameof(NpyDataType.Int32))]
    [InlineData(nameof(NpyDataType.UInt32))]
    [InlineData(nameof(NpyDataType.UInt64))]
    public void Labels_of_any_integer_dtype_are_read(string typeName) // by name: NpyDataType is internal
    {
        var type = Enum.Parse<NpyDataType>(typeName);
        string folder = Folder(trainLabels: NpyBytes.Of(type, [3], 4, 0, 1), testLabels: NpyBytes.Of(type, [2], 3, 1));

        DatasetInfo info = NpyFolderDataset.Open(folder);

        Assert.Equal(5, info.ClassNames.Count);
        Assert.Equal([4, 0, 1], info.LoadFrom(folder).Train.Labels.ToArray());
    }

    public static TheoryData<string, Type, string> BadFolders => new()
    {
        { "channels-first", typeof(DataFormatException), "train-images.npy has shape (3, 1, 8, 8), which looks channels-first (N, C, H, W) as PyTorch stores images; images must be channels-last (N, H, W, C): save np.transpose(x, (0, 2, 3, 1))." },
        { "rank 2", typeof(DataFormatException), "train-images.npy has shape (3, 4); images must be (N, H, W), or (N, H, W, C) with channels last." },
        { "int64 images", typeof(DataFormatException), "train-images.npy holds <i8 values; images must be uint8 (pixels 0 to 255, scaled by 1/255), float32 or float64" },
        { "NaN", typeof(DataFormatException), "test-images.npy: index 5 (image 1): NaN where a pixel must be a finite number" },
        { "infinity", typeof(DataFormatException), "test-images.npy: index 2 (image 0): infinity where a pixel must be a finite number" },
        { "float labels", typeof(DataFormatException), "train-labels.npy holds <f4 labels; labels must be integers (int64 as NumPy and PyTorch save them, or int32, uint8, …): save y.astype(np.int64)." },
        { "2-D labels", typeof(DataFormatException), "train-labels.npy has shape (3, 1); labels must be one per image, shape (N,): save y.reshape(-1)." },
        { "count mismatch", typeof(DataFormatException), "test-labels.npy holds 3 labels, but " },
        { "negative label", typeof(DataFormatException), "train-labels.npy: index 1: label -1 is negative; labels must be 0 to 2" },
        { "label beyond classes.txt", typeof(DataFormatException), "test-labels.npy: index 1: label 2 is not below the class count 2 (the 2 lines of classes.txt); labels must be 0 to 1" },
        { "label beyond 256 classes", typeof(DataFormatException), "train-labels.npy: index 2: label 300; elr takes at most 256 classes, labels 0 to 255" },
        { "shapes differ", typeof(DataFormatException), "test-images.npy holds images of 2×1×1, but " },
        { "empty", typeof(DataFormatException), "train-images.npy holds no images (shape (0, 2, 2)); give at least one." },
        { "not npy", typeof(DataFormatException), "train-labels.npy is not a usable .npy file: it does not start with the .npy magic" },
        { "fortran", typeof(DataFormatException), "test-images.npy is not a usable .npy file: it is stored in Fortran order" },
        { "empty class name", typeof(DataFormatException), "classes.txt: line 2: an empty class name" },
        { "classes.txt of one huge line", typeof(DataFormatException), "classes.txt is 262,145 bytes, more than 256 class names of up to 1,024 bytes each need (262,144); give one class name per line, in label order." },
        { "control character in a class name", typeof(DataFormatException), @"classes.txt: line 2: a class name with a control character (b\x1B]0;title\x07); give names of printable characters" },
        { "missing file", typeof(FilePathException), "holds no test-labels.npy; a data set of your own is a folder holding train-images.npy, train-labels.npy, test-images.npy and test-labels.npy" },
        { "train images without labels", typeof(FilePathException), "holds no train-labels.npy; a data set of your own is a folder holding " },
    };

    [Theory]
    [MemberData(nameof(BadFolders))]
    public void A_bad_folder_is_refused_with_the_file_and_what_to_do(string fault, Type type, string message)
    {
        string folder = fault switch
        {
            "channels-first" => Folder(trainImages: NpyBytes.Of(NpyDataType.Float32, [3, 1, 8, 8], new double[192])),
            "rank 2" => Folder(trainImages: NpyBytes.Of(NpyDataType.UInt8, [3, 4], new double[12])),
            "int64 images" => Folder(trainImages: NpyBytes.Of(NpyDataType.Int64, [3, 2, 2], new double[12])),
            "NaN" => Folder(testImages: NpyBytes.Of(NpyDataType.Float32, [2, 2, 2], 0, 0, 0, 0, 0, double.NaN, 0, double.NaN)),
            "infinity" => Folder(testImages: NpyBytes.Of(NpyDataType.Float64, [2, 2, 2], 0, 0, double.NegativeInfinity, 0, 0, 0, 0, 0)),
            "float labels" => Folder(trainLabels: NpyBytes.Of(NpyDataType.Float32, [3], 0, 1, 2)),
            "2-D labels" => Folder(trainLabels: NpyBytes.Of(NpyDataType.Int64, [3, 1], 0, 1, 2)),
            "count mismatch" => Folder(testLabels: NpyBytes.Of(NpyDataType.Int64, [3], 0, 1, 2)),
            "negative label" => Folder(trainLabels: NpyBytes.Of(NpyDataType.Int64, [3], 0, -1, 2)),
            "label beyond classes.txt" => Folder(testLabels: NpyBytes.Of(NpyDataType.Int64, [2], 1, 2), trainLabels: NpyBytes.Of(NpyDataType.Int64, [3], 0, 1, 1), classes: "a\nb\n"),
            "label beyond 256 classes" => Folder(trainLabels: NpyBytes.Of(NpyDataType.Int16, [3], 0, 1, 300)),
            "shapes differ" => Folder(testImages: NpyBytes.Of(NpyDataType.UInt8, [2, 2, 1, 1], 0, 0, 0, 0)),
            "empty" => Folder(trainImages: NpyBytes.Of(NpyDataType.UInt8, [0, 2, 2]), trainLabels: NpyBytes.Of(NpyDataType.Int64, [0])),
            "not npy" => Folder(trainLabels: "0\n1\n2\n"u8.ToArray()),
            "fortran" => Folder(testImages: NpyBytes.WithHeader("{'descr': '|u1', 'fortran_order': True, 'shape': (2, 2, 2), }", new byte[8])),
            "empty class name" => Folder(classes: "a\n\nc\n"),
            "classes.txt of one huge line" => Folder(classes: new string('x', 262_144) + "\n"),
            "control character in a class name" => Folder(classes: "a\nb\u001b]0;title\u0007\nc\n"),
            "train images without labels" => WithoutFiles("train-labels.npy"),
            _ => WithoutFiles("test-labels.npy"),
        };

        string refusal = Refusal(folder, type);

        Assert.Contains(message, refusal);
        Assert.StartsWith(folder, refusal);
    }

    [Fact]
    public void A_missing_folder_and_a_folder_named_as_a_catalog_set_are_refused()
    {
        string missing = _temp.File("nowhere");
        Assert.Equal($"There is no folder {missing}; a data set of your own is a folder holding train-images.npy, train-labels.npy, test-images.npy and test-labels.npy "
            + "(and optionally classes.txt; the test arrays alone for elr eval and quantize).", Refusal(missing, typeof(FilePathException)));

        // A model records its data set by name: a folder called mnist would be taken for the catalog's MNIST later.
        string mnist = Folder(name: "MNIST");
        Assert.Contains("has the name of the catalog's data set mnist", Refusal(mnist, typeof(DatasetException)));
        Assert.Contains("rename the folder (such as to my-mnist)", Refusal(mnist, typeof(DatasetException)));
    }

    [Fact]
    public void A_value_with_a_path_separator_is_a_folder_and_a_bare_catalog_name_always_the_catalogs()
    {
        string own = Folder(name: "flowers");

        Assert.Equal(own, DatasetArgument.Resolve(own + "/").Folder);
        Assert.Same(DatasetCatalog.Digits, DatasetArgument.Resolve("Digits"));
        Assert.True(DatasetArgument.IsFolder("data/mnist"));
        Assert.True(DatasetArgument.IsFolder("."));
        Assert.False(DatasetArgument.IsFolder("Fashion-MNIST"));
        Assert.False(DatasetArgument.IsFolder("no-such-folder-here"));
        Assert.Contains("Unknown data set 'cifar10'. Known data sets: mnist, fashion-mnist, digits; or give the path of a folder of your own NumPy arrays (such as ./cifar10)",
            Assert.Throws<DatasetException>(() => DatasetArgument.Resolve("cifar10")).Message);
    }

    [Fact]
    public void A_folder_of_test_arrays_alone_gives_its_test_part_and_says_training_needs_the_training_arrays()
    {
        // New test images for a trained model: the README says elr eval takes them, and it once asked for train-images.npy.
        string folder = WithoutFiles("train-images.npy", "train-labels.npy");

        DatasetInfo info = NpyFolderDataset.Open(folder);
        DatasetTestPart part = info.LoadTestFrom(folder);

        Assert.Equal((0, 2), (info.TrainCount, info.TestCount));
        Assert.Equal(["0", "1"], info.ClassNames);   // from the test labels alone
        Assert.Equal([1, 1], part.Test.Labels.ToArray());
        Assert.Equal(["test-images.npy", "test-labels.npy"], info.FolderFiles);
        // Files missing, as a missing training array alone is: exit code 3, before any work (RequireTrainingArrays) or at the load.
        string refusal = $"{folder} holds test arrays alone (no train-images.npy or train-labels.npy): elr train and compress need the training arrays too";
        Assert.StartsWith(refusal, Assert.Throws<FilePathException>(() => NpyFolderDataset.RequireTrainingArrays(info)).Message);
        Assert.StartsWith(refusal, Assert.Throws<FilePathException>(() => info.LoadFrom(folder)).Message);
    }

    [Theory]
    [InlineData("test-images.npy")]
    [InlineData("train-labels.npy")]
    [InlineData("classes.txt")]
    public async Task A_pipe_in_the_folder_is_refused_at_once_not_waited_on(string name)
    {
        // A FIFO named test-images.npy (tar carries them) made elr eval wait for ever for a writer.
        string folder = Folder(classes: "a\nb\nc\n"), pipe = Path.Combine(folder, name);
        File.Delete(pipe);
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [pipe])) mkfifo.WaitForExit();

        // On a thread of its own, so that the test fails (not hangs) where the open waits.
        string refusal = await Task.Run(() => Refusal(folder, typeof(DataFormatException))).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal($"{pipe} is a pipe, a socket or a device, not a regular file, and reading it could wait for ever; a data folder holds files of data: "
            + "replace it with the file itself.", refusal);
    }

    [Fact]
    public void Classes_txt_is_read_no_further_than_the_most_classes_elr_takes()
    {
        // A 150 MB classes.txt was read whole (3.26 GB) before its count was checked.
        string folder = Folder();
        string classes = Path.Combine(folder, "classes.txt");
        using (var writer = new StreamWriter(classes))
            for (int i = 0; i < 4_000_000; i++) writer.Write("class\n"); // 24 MB

        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<DataFormatException>(() => NpyClassNames.Read(classes));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.StartsWith($"{classes} is 24,000,000 bytes, more than 256 class names of up to 1,024 bytes each need", e.Message);
        Assert.True(allocated < 1 << 20, $"{allocated:N0} bytes allocated");
        // Within that size, no further than the 257th name.
        File.WriteAllText(classes, string.Concat(Enumerable.Range(0, 300).Select(i => $"c{i}\n")));
        Assert.Equal($"{classes} names more than 256 classes; elr takes at most 256.", Assert.Throws<DatasetException>(() => NpyClassNames.Read(classes)).Message);
        // 256 names, then empty lines: no more classes, and a final line break is none either.
        File.WriteAllText(classes, string.Concat(Enumerable.Range(0, 256).Select(i => $"c{i}\n")) + "\n\n");
        Assert.Equal(256, NpyClassNames.Read(classes).Count);
    }

    /// <summary>The default folder without <paramref name="files"/>.</summary>
    private string WithoutFiles(params string[] files)
    {
        string folder = Folder();
        foreach (string file in files) File.Delete(Path.Combine(folder, file));
        return folder;
    }
}
