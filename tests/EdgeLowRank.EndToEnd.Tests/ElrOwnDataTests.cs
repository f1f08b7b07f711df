using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Tests.Data;
using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.IO;
using EdgeLowRank.Runtime.Layers;
using EdgeLowRank.Runtime.Tests.IO;

namespace EdgeLowRank.EndToEnd.Tests;

/// <summary><c>--dataset FOLDER</c>: a folder of the user's own NumPy arrays trains, compresses and evaluates as a catalog
/// data set does, is never fetched, and is never overwritten by an output.</summary>
public class ElrOwnDataTests : TempFiles
{
    /// <summary>The UCI digits from the cache, written as np.save would write them from float32 pixels and int64 labels into
    /// a folder called <paramref name="name"/>.</summary>
    private string DigitsFolder(string name = "my-digits")
    {
        DatasetParts digits = RealData.Load("digits");
        string folder = Directory.CreateDirectory(PathOf(name)).FullName;
        foreach ((Dataset part, string prefix) in new[] { (digits.Train, "train"), (digits.Test, "test") })
        {
            File.WriteAllBytes(Path.Combine(folder, $"{prefix}-images.npy"), NpyBytes.Floats([part.Count, 8, 8], part.Pixels.Span));
            File.WriteAllBytes(Path.Combine(folder, $"{prefix}-labels.npy"), NpyBytes.Of(NpyDataType.Int64, [part.Count], [.. part.Labels.ToArray().Select(l => (double)l)]));
        }
        return folder;
    }

    /// <summary>A folder <paramref name="name"/> whose train and test parts are both <paramref name="images"/> (two of
    /// them), labelled 0, 1 and 1, 0.</summary>
    /// <summary>A folder "halves" of two 8×8 float images (pixels 0 to 1 in quarters) and a digits MLP trained on it for one epoch.</summary>
    private (string Folder, string Model) TrainedOnHalves()
    {
        var pixels = new double[128];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = i % 5 / 4.0;
        string folder = TwoImageFolder("halves", NpyBytes.Floats([2, 8, 8], [.. pixels.Select(p => (float)p)])), model = PathOf("halves.elr");
        ToolResult trained = Tool.Elr("train", "--dataset", folder, "--model", "digits-mlp", "--epochs", "1", "--threads", "1", "-o", model);
        Assert.True(trained.ExitCode == 0, trained.Error);
        return (folder, model);
    }

    private string TwoImageFolder(string name, byte[] images)
    {
        string folder = Directory.CreateDirectory(PathOf(name)).FullName;
        File.WriteAllBytes(Path.Combine(folder, "train-images.npy"), images);
        File.WriteAllBytes(Path.Combine(folder, "test-images.npy"), images);
        File.WriteAllBytes(Path.Combine(folder, "train-labels.npy"), NpyBytes.Of(NpyDataType.Int64, [2], 0, 1));
        File.WriteAllBytes(Path.Combine(folder, "test-labels.npy"), NpyBytes.Of(NpyDataType.Int64, [2], 1, 0));
        return folder;
    }

    /// <summary>A folder <paramref name="name"/> of 200 float 8×8 images of ten classes (each class brighter at its own
    /// pixels), the same in its train and test parts, with pixels <paramref name="offset"/> + <paramref name="scale"/>·[0, 1].</summary>
    private string FloatFolder(string name, float scale, float offset = 0)
    {
        const int Count = 200;
        var pixels = new float[Count * 64];
        var labels = new double[Count];
        for (int s = 0; s < Count; s++)
        {
            labels[s] = s % 10;
            for (int i = 0; i < 64; i++) pixels[s * 64 + i] = offset + scale * ((s * 11 + i * 37) % 100 / 200f + (i % 10 == s % 10 ? 0.5f : 0));
        }
        string folder = Directory.CreateDirectory(PathOf(name)).FullName;
        foreach (string part in new[] { "train", "test" })
        {
            File.WriteAllBytes(Path.Combine(folder, $"{part}-images.npy"), NpyBytes.Floats([Count, 8, 8], pixels));
            File.WriteAllBytes(Path.Combine(folder, $"{part}-labels.npy"), NpyBytes.Of(NpyDataType.Int64, [Count], labels));
        }
        return folder;
    }

    private static float[] Parameters(string path)
    {
        using Model model = ModelReader.Load(path);
        return [.. model.Layers.SelectMany(l => l.WeightMatrices.SelectMany(m => m.Data.ToArray()).Concat(l is DenseLayer d ? d.Bias.ToArray() : []))];
    }

    [RealDataFact("digits")]
    public void Training_on_the_digits_as_a_folder_gives_the_catalogs_weights_bit_for_bit_and_eval_then_asks_for_the_folder()
    {
        string folder = DigitsFolder(), fromFolder = PathOf("folder.elr"), fromCatalog = PathOf("catalog.elr");

        ToolResult own = Tool.Elr("train", "--dataset", folder, "--model", "digits-mlp", "--epochs", "2", "--threads", "1", "-o", fromFolder);
        ToolResult catalog = Tool.Elr("train", "--dataset", "digits", "--model", "digits-mlp", "--epochs", "2", "--threads", "1", "-o", fromCatalog);

        Assert.True(own.ExitCode == 0, own.Error);
        Assert.True(catalog.ExitCode == 0, catalog.Error);
        Assert.Contains("on my-digits/train (1,438 samples)", own.Output);
        float[] expected = Parameters(fromCatalog);
        Assert.NotEmpty(expected);
        Assert.Equal(expected, Parameters(fromFolder)); // nothing reordered, rescaled or rounded on the way through .npy
        using (Model trained = ModelReader.Load(fromFolder), reference = ModelReader.Load(fromCatalog))
        {
            Assert.Equal("my-digits/test", trained.Metadata.Dataset);
            Assert.Equal(reference.Metadata.Accuracy, trained.Metadata.Accuracy);
            Assert.Equal(reference.Metadata.Labels, trained.Metadata.Labels);
        }

        ToolResult asked = Tool.Elr("eval", fromFolder);
        Assert.Equal(1, asked.ExitCode);
        Assert.Equal("elr: folder.elr records the data set 'my-digits/test', a folder of your own, which elr cannot find by its name; "
            + "give --dataset FOLDER, the path of the folder 'my-digits' that holds its NumPy arrays.", asked.Error.Trim());
        ToolResult catalogInstead = Tool.Elr("eval", fromFolder, "--dataset", "digits");
        Assert.Equal(1, catalogInstead.ExitCode);
        Assert.Contains("folder.elr was trained on 'my-digits', a folder of your own (its metadata says so), not the catalog's digits", catalogInstead.Error);
        ToolResult folderInstead = Tool.Elr("eval", fromCatalog, "--dataset", folder);
        Assert.Equal(1, folderInstead.ExitCode);
        Assert.Contains("catalog.elr was trained on digits (its metadata says so), not my-digits; use --dataset digits.", folderInstead.Error);
        ToolResult evaluated = Tool.Elr("eval", fromFolder, "--dataset", folder);
        Assert.True(evaluated.ExitCode == 0, evaluated.Error);
        Assert.Contains("folder.elr on my-digits/test: accuracy", evaluated.Output);
    }

    [RealDataFact("digits")]
    public void A_model_of_a_folder_compresses_quantizes_and_imports_on_it()
    {
        string folder = DigitsFolder("shapes"), model = PathOf("dense.elr"), small = PathOf("small.elr"), int8 = PathOf("int8.elr");
        ToolResult trained = Tool.Elr("train", "--dataset", folder, "--model", "digits-mlp", "--epochs", "2", "--threads", "1", "-o", model);
        Assert.True(trained.ExitCode == 0, trained.Error);

        ToolResult compressed = Tool.Elr("compress", model, "--dataset", folder, "--method", "svd", "--target-ratio", "2", "--steps", "2", "--threads", "1", "-o", small);
        ToolResult quantized = Tool.Elr("quantize", small, "--dataset", folder, "-o", int8);

        Assert.True(compressed.ExitCode == 0, compressed.Error);
        Assert.True(quantized.ExitCode == 0, quantized.Error);
        using Model result = ModelReader.Load(int8);
        Assert.Equal("shapes/test", result.Metadata.Dataset);
        Assert.NotNull(result.Metadata.Accuracy);
        Assert.True(new FileInfo(small).Length < new FileInfo(model).Length);

        // The same network from ONNX with no data set recorded (as from PyTorch), told its data set is the folder: checked
        // against it and recorded.
        string anonymous = PathOf("anonymous.elr"), onnx = PathOf("dense.onnx"), imported = PathOf("imported.elr");
        using (Model dense = ModelReader.Load(model))
            ModelWriter.Write(new Model(dense.InputShape, dense.Layers, dense.Metadata with { Dataset = "" }), anonymous);
        ToolResult exported = Tool.Elr("export-onnx", anonymous, "-o", onnx);
        Assert.True(exported.ExitCode == 0, exported.Error);
        ToolResult import = Tool.Elr("import-onnx", onnx, "-o", imported, "--dataset", folder);
        Assert.True(import.ExitCode == 0, import.Error);
        using Model back = ModelReader.Load(imported);
        Assert.Equal("shapes/test", back.Metadata.Dataset);
    }

    [Fact]
    public void Compress_and_quantize_of_a_folders_model_ask_for_the_folder_as_eval_does()
    {
        // A model whose metadata names a folder of the user's own, as elr train on ./shapes writes it; the refusal comes
        // before any data is read, so the fixture's shapes need not fit.
        string model = PathOf("dense.elr");
        using (Model fixture = ModelReader.Load(Tool.Fixture("lenet300-dense.elr")))
            ModelWriter.Write(new Model(fixture.InputShape, fixture.Layers, fixture.Metadata with { Dataset = "shapes/test" }), model);
        const string Asked = "elr: dense.elr records the data set 'shapes/test', a folder of your own, which elr cannot find by its name; "
            + "give --dataset FOLDER, the path of the folder 'shapes' that holds its NumPy arrays";

        ToolResult compressed = Tool.Elr("compress", model, "--method", "svd", "--target-ratio", "2", "--steps", "1", "--threads", "1", "-o", PathOf("small.elr"));
        ToolResult quantized = Tool.Elr("quantize", model, "-o", PathOf("int8.elr"));

        Assert.Equal((1, Asked + ", to train and test on."), (compressed.ExitCode, compressed.Error.Trim()));
        Assert.Equal((1, Asked + ", to measure the accuracy, or --no-eval."), (quantized.ExitCode, quantized.Error.Trim()));
        Assert.False(File.Exists(PathOf("small.elr")));
        Assert.False(File.Exists(PathOf("int8.elr")));
    }

    [RealDataFact("digits")]
    public void A_catalog_name_beside_a_data_folder_of_that_name_takes_the_catalogs_with_a_note_and_the_folder_needs_another_name()
    {
        string work = Directory.CreateDirectory(PathOf("work")).FullName;
        DigitsFolder(Path.Combine("work", "digits"));
        string[] train = ["train", "--model", "digits-mlp", "--epochs", "1", "--threads", "1", "-o", "out.elr"];

        ToolResult catalog = Tool.ElrIn(work, [.. train, "--dataset", "digits"]);
        ToolResult byPath = Tool.ElrIn(work, [.. train, "--dataset", "./digits"]);

        Assert.True(catalog.ExitCode == 0, catalog.Error);
        Assert.Contains("on digits/train (1,438 samples)", catalog.Output);
        Assert.Equal("elr: note: --dataset digits is the catalog's digits (UCI optical digits, 8×8), not the folder ./digits here. A folder of your own "
            + "may not take a catalog name, as a model records its data set by name: to use those arrays, rename the folder (such as to my-digits) "
            + "and give --dataset ./my-digits.", catalog.Error.Trim());
        Assert.Equal(1, byPath.ExitCode);
        Assert.Contains("rename the folder (such as to my-digits)", byPath.Error);

        // A model that records the catalog's digits takes no other set, and ./digits is likely elr data export's copy of it: no note.
        ToolResult evaluated = Tool.ElrIn(work, "eval", "out.elr", "--dataset", "digits", "--threads", "1");
        Assert.True(evaluated.ExitCode == 0, evaluated.Error);
        Assert.Equal("", evaluated.Error);

        // A folder called digits that holds no arrays (a project's, a data cache) is no data folder of the user's: no note.
        string other = Directory.CreateDirectory(PathOf("other")).FullName;
        Directory.CreateDirectory(Path.Combine(other, "digits"));
        ToolResult quiet = Tool.ElrIn(other, [.. train, "--dataset", "digits"]);
        Assert.True(quiet.ExitCode == 0, quiet.Error);
        Assert.Equal("", quiet.Error);
    }

    [Fact]
    public void The_note_on_a_data_folder_of_the_catalog_name_is_printed_only_when_the_catalogs_set_is_taken()
    {
        // A folder ./digits holding one of the arrays; a command that refuses --dataset digits has taken nothing, and a note
        // that "the catalog's digits" is taken would be false. Each refusal comes before the data set is read.
        string work = Directory.CreateDirectory(PathOf("work")).FullName;
        File.WriteAllBytes(Path.Combine(Directory.CreateDirectory(Path.Combine(work, "digits")).FullName, "train-images.npy"), []);

        ToolResult evaluated = Tool.ElrIn(work, "eval", Tool.Fixture("lenet300-dense.elr"), "--dataset", "digits", "--threads", "1");
        ToolResult trained = Tool.ElrIn(work, "train", "--dataset", "digits", "--model", "lenet300", "--epochs", "1", "--threads", "1", "-o", "out.elr");

        Assert.Equal((1, "elr: lenet300-dense.elr takes inputs of 784 (784 numbers) but digits holds samples of 8×8×1 (64); use a model made for this data set."),
            (evaluated.ExitCode, evaluated.Error.Trim()));
        Assert.Equal((1, "elr: Model 'lenet300' takes 28×28×1 images but the data set has 8×8×1 samples. Models for 8×8×1: digits-mlp."),
            (trained.ExitCode, trained.Error.Trim()));
    }

    [Fact]
    public void A_divergence_on_float_pixels_that_look_like_0_to_255_names_them_and_one_on_other_pixels_does_not()
    {
        // The user's trial: float pixels saved without the / 255 diverge at the default rate, and the message blamed the rate.
        string raw = FloatFolder("raw", 255), unit = FloatFolder("unit", 1), standardized = FloatFolder("standardized", 4, offset: -1);
        const string Cause = "(the warning above), where a network usually takes 0 to 1, which can make training diverge: scale the images to 0–1 "
            + "(save (x / 255).astype(np.float32), or x.astype(np.uint8)) and run again. If the network expects that range, lower the learning rate";
        string[] train = ["train", "--model", "digits-mlp", "--epochs", "3", "--threads", "1", "-o", PathOf("out.elr")];

        ToolResult onRaw = Tool.Elr([.. train, "--dataset", raw]);
        ToolResult onUnit = Tool.Elr([.. train, "--dataset", unit, "--lr", "1e30"]);
        // Standardized pixels reach past 1.5 too, but are negative somewhere: no warning, so no such cause either.
        ToolResult onStandardized = Tool.Elr([.. train, "--dataset", standardized, "--lr", "1e30"]);

        Assert.Equal(5, onRaw.ExitCode);
        Assert.True(onRaw.Error.Contains("elr: Training diverged "), onRaw.Error);
        Assert.True(onRaw.Error.Contains("; the training images are float pixels from 0 to 252.4 " + Cause), onRaw.Error);
        foreach (ToolResult other in new[] { onUnit, onStandardized })
        {
            Assert.Equal(5, other.ExitCode);
            Assert.Contains("at rate 1E+30; lower the learning rate", other.Error);
            Assert.DoesNotContain("the training images are float pixels", other.Error);
        }
        Assert.False(File.Exists(PathOf("out.elr")));

        // elr compress's L steps, on the training part that --validation leaves (a subset keeps what its set was read as).
        ToolResult reference = Tool.Elr("train", "--dataset", unit, "--model", "digits-mlp", "--epochs", "1", "--threads", "1", "-o", PathOf("unit.elr"));
        Assert.True(reference.ExitCode == 0, reference.Error);
        string[] compress = ["compress", PathOf("unit.elr"), "--method", "svd", "--target-ratio", "2", "--steps", "1", "--lr", "1e30", "--validation", "0.1",
            "--threads", "1", "-o", PathOf("small.elr")];
        ToolResult compressedRaw = Tool.Elr([.. compress, "--dataset", raw]);
        ToolResult compressedUnit = Tool.Elr([.. compress, "--dataset", unit]);
        Assert.Equal(5, compressedRaw.ExitCode);
        Assert.Contains("elr: The L step of LC step 0 diverged ", compressedRaw.Error);
        Assert.Contains("; the training images are float pixels from 0 to 252.4 (the warning above)", compressedRaw.Error);
        Assert.Equal(5, compressedUnit.ExitCode);
        Assert.Contains("elr: The L step of LC step 0 diverged ", compressedUnit.Error);
        Assert.DoesNotContain("the training images are float pixels", compressedUnit.Error);
    }

    [Fact]
    public void Float_pixels_above_1_5_are_warned_of_once_by_train_and_by_eval_each_of_the_arrays_it_read()
    {
        var pixels = new double[128];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = i % 3; // 0 to 2: unscaled-looking, yet too small to make training diverge
        string folder = TwoImageFolder("floats", NpyBytes.Floats([2, 8, 8], [.. pixels.Select(p => (float)p)])), model = PathOf("floats.elr");

        ToolResult trained = Tool.Elr("train", "--dataset", folder, "--model", "digits-mlp", "--epochs", "1", "--threads", "1", "-o", model);
        ToolResult evaluated = Tool.Elr("eval", model, "--dataset", folder);

        Assert.True(trained.ExitCode == 0, trained.Error);
        Assert.True(evaluated.ExitCode == 0, evaluated.Error);
        // eval reads the test images alone, and says nothing of training images it never read.
        Assert.StartsWith("elr: warning: floats/train-images.npy and floats/test-images.npy hold float pixels from 0 to 2. ", trained.Error);
        Assert.StartsWith("elr: warning: floats/test-images.npy holds float pixels from 0 to 2. ", evaluated.Error);
        foreach (ToolResult result in new[] { trained, evaluated }) Assert.Single(result.Error.Trim().Split('\n'));
    }

    [Fact]
    public void Eval_and_quantize_read_only_a_folders_test_images_and_train_reads_both()
    {
        (string folder, string model) = TrainedOnHalves();
        // The training pixels cut short after a valid header: only a command that reads them can notice.
        string trainImages = Path.Combine(folder, "train-images.npy");
        File.WriteAllBytes(trainImages, File.ReadAllBytes(trainImages)[..^4]);

        ToolResult evaluated = Tool.Elr("eval", model, "--dataset", folder);
        ToolResult quantized = Tool.Elr("quantize", model, "--dataset", folder, "-o", PathOf("int8.elr"));
        ToolResult retrained = Tool.Elr("train", "--dataset", folder, "--model", "digits-mlp", "--epochs", "1", "--threads", "1", "-o", PathOf("again.elr"));

        Assert.True(evaluated.ExitCode == 0, evaluated.Error);
        Assert.Contains("halves.elr on halves/test: accuracy", evaluated.Output);
        Assert.True(quantized.ExitCode == 0, quantized.Error);
        Assert.Equal(2, retrained.ExitCode);   // a damaged input: replace the file (README's exit codes)
        Assert.Contains("train-images.npy is not a usable .npy file: its shape (2, 8, 8) does not match the 127 values", retrained.Error);
    }

    [Fact]
    public void New_test_images_without_training_arrays_are_evaluated_and_quantized_on_and_train_says_what_it_lacks()
    {
        (string folder, string model) = TrainedOnHalves();
        string fresh = Directory.CreateDirectory(PathOf("fresh")).FullName;
        foreach (string file in new[] { "test-images.npy", "test-labels.npy" }) File.Copy(Path.Combine(folder, file), Path.Combine(fresh, file));

        ToolResult evaluated = Tool.Elr("eval", model, "--dataset", fresh);
        ToolResult quantized = Tool.Elr("quantize", model, "--dataset", fresh, "-o", PathOf("int8.elr"));
        ToolResult trained = Tool.Elr("train", "--dataset", fresh, "--model", "digits-mlp", "--epochs", "1", "--threads", "1", "-o", PathOf("again.elr"));

        Assert.True(evaluated.ExitCode == 0, evaluated.Error);
        Assert.Contains("halves.elr on fresh/test: accuracy", evaluated.Output);
        Assert.True(quantized.ExitCode == 0, quantized.Error);
        Assert.Equal(3, trained.ExitCode); // files missing, as for one training array missing (the README's exit codes)
        Assert.Contains("fresh holds test arrays alone (no train-images.npy or train-labels.npy): elr train and compress need the training arrays too", trained.Error);
        Assert.False(File.Exists(PathOf("again.elr")));
    }

    [Fact]
    public void Test_images_of_the_first_classes_alone_take_the_models_classes_and_a_label_beyond_them_is_named()
    {
        (string folder, string model) = TrainedOnHalves();
        string fresh = Directory.CreateDirectory(PathOf("fresh")).FullName;
        File.Copy(Path.Combine(folder, "test-images.npy"), Path.Combine(fresh, "test-images.npy"));
        // New images of the first class alone: the labels' largest + 1 would count one class, but the model has two.
        File.WriteAllBytes(Path.Combine(fresh, "test-labels.npy"), NpyBytes.Of(NpyDataType.Int64, [2], 0, 0));

        ToolResult evaluated = Tool.Elr("eval", model, "--dataset", fresh, "--threads", "1");
        ToolResult quantized = Tool.Elr("quantize", model, "--dataset", fresh, "--threads", "1", "-o", PathOf("int8.elr"));

        Assert.True(evaluated.ExitCode == 0, evaluated.Error);
        Assert.Contains("halves.elr on fresh/test: accuracy", evaluated.Output);
        Assert.True(quantized.ExitCode == 0, quantized.Error);
        // A label the model has no output for is the folder's mistake, named by file and index.
        File.WriteAllBytes(Path.Combine(fresh, "test-labels.npy"), NpyBytes.Of(NpyDataType.Int64, [2], 0, 2));
        ToolResult beyond = Tool.Elr("eval", model, "--dataset", fresh, "--threads", "1");
        Assert.Equal((2, $"elr: {Path.Combine(fresh, "test-labels.npy")}: index 1: label 2 is not below the class count 2 (the model's 2 outputs); labels must be 0 to 1"),
            (beyond.ExitCode, beyond.Error.Trim()));
        // Training still counts the classes from the labels: the same folder with training arrays trains a model of three.
        File.Copy(Path.Combine(fresh, "test-images.npy"), Path.Combine(fresh, "train-images.npy"));
        File.Copy(Path.Combine(fresh, "test-labels.npy"), Path.Combine(fresh, "train-labels.npy"));
        ToolResult trained = Tool.Elr("train", "--dataset", fresh, "--model", "digits-mlp", "--epochs", "1", "--threads", "1", "-o", PathOf("three.elr"));
        Assert.True(trained.ExitCode == 0, trained.Error);
        using Model three = ModelReader.Load(PathOf("three.elr"));
        Assert.Equal(3, three.OutputShape.ElementCount);
    }

    [Fact]
    public void An_output_on_one_of_the_folders_arrays_is_refused_and_the_array_kept()
    {
        string folder = TwoImageFolder("own", NpyBytes.Of(NpyDataType.UInt8, [2, 8, 8], new double[128]));
        string target = Path.Combine(folder, "train-labels.npy");

        ToolResult result = Tool.Elr("train", "--dataset", folder, "--model", "digits-mlp", "--epochs", "1", "-o", target);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains($"-o '{target}' is the same file as the own data set's train-labels.npy; writing it would destroy", result.Error);
        Assert.Equal(NpyBytes.Of(NpyDataType.Int64, [2], 0, 1), File.ReadAllBytes(target));
    }

    [Fact]
    public void A_channels_first_folder_is_one_line_and_exit_code_2_with_the_transpose_to_apply_and_no_fetch()
    {
        string cache = Directory.CreateDirectory(PathOf("cache")).FullName;
        string folder = TwoImageFolder("torch", NpyBytes.Of(NpyDataType.Float32, [2, 1, 8, 8], new double[128]));

        ToolResult result = Tool.ElrWith(new Dictionary<string, string> { ["ELR_DATA"] = cache },
            "train", "--dataset", folder, "--model", "digits-mlp", "--epochs", "1", "-o", PathOf("out.elr"));

        Assert.Equal(2, result.ExitCode);   // the file is not as a folder takes it: replace it
        Assert.Equal($"elr: {Path.Combine(folder, "train-images.npy")} has shape (2, 1, 8, 8), which looks channels-first (N, C, H, W) as PyTorch stores images; "
            + "images must be channels-last (N, H, W, C): save np.transpose(x, (0, 2, 3, 1)).", result.Error.Trim());
        Assert.Empty(Directory.EnumerateFileSystemEntries(cache));
        Assert.False(File.Exists(PathOf("out.elr")));
    }

    [Fact]
    public void A_folder_of_images_the_model_does_not_take_is_refused_before_evaluating()
    {
        string folder = TwoImageFolder("small", NpyBytes.Of(NpyDataType.UInt8, [2, 8, 8], new double[128]));

        ToolResult result = Tool.Elr("eval", Tool.Fixture("lenet300-dense.elr"), "--dataset", folder);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("elr: lenet300-dense.elr takes inputs of 784 (784 numbers) but small holds samples of 8×8×1 (64); use a model made for this data set.", result.Error.Trim());
    }

    [Fact]
    public void A_folder_given_to_data_fetch_is_told_it_needs_no_fetch()
    {
        ToolResult result = Tool.Elr("data", "fetch", PathOf("own"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"'{PathOf("own")}' is a folder; elr data fetch takes the catalog's data sets (mnist, fashion-mnist, digits, all). "
            + "A folder of your own NumPy arrays is already .npy files and needs no fetch: give it to --dataset, which reads it in place.", result.Error);
    }
}
