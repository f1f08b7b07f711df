using System.Text.RegularExpressions;
using EdgeLowRank.Compressor.Tests.Data;
using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.IO;
using EdgeLowRank.Runtime.Layers;
using EdgeLowRank.Runtime.Tests.IO;

namespace EdgeLowRank.EndToEnd.Tests;

/// <summary>
/// <c>elr data export</c> writes a catalog data set as uint8 .npy arrays in its own pixel scale, and <c>elr-run run --labels</c>
/// scores a model on them where elr is not installed (a board): the accuracy must be elr eval's.
/// </summary>
public class ElrDataExportTests : TempFiles
{
    [RealDataFact("digits")]
    public void The_digits_test_part_exported_and_run_with_its_labels_scores_what_elr_eval_scores()
    {
        string model = PathOf("digits.elr"), folder = PathOf("exported");
        DigitsReference.Train(model);

        // With a trailing separator, as a shell completes a folder's name: the folder is new, its parent is the test's.
        ToolResult export = Tool.Elr("data", "export", "digits", "-o", folder + Path.DirectorySeparatorChar);
        Assert.True(export.ExitCode == 0, export.Error);
        NpyArray images = NpyArray.Read(Path.Combine(folder, "test-images.npy")), labels = NpyArray.Read(Path.Combine(folder, "test-labels.npy"));
        Assert.Equal(NpyDataType.UInt8, images.DataType);
        Assert.Equal([359, 8, 8, 1], images.Shape);
        Assert.Equal(16, images.Data.ToArray().Max()); // the digits' own scale, which the model records
        Assert.Equal(NpyDataType.UInt8, labels.DataType);
        Assert.Equal("0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n", File.ReadAllText(Path.Combine(folder, "classes.txt")));

        ToolResult eval = Tool.Elr("eval", model);
        ToolResult run = Tool.ElrRun("run", model, "--input", Path.Combine(folder, "test-images.npy"), "--labels", Path.Combine(folder, "test-labels.npy"), "-q", "--confusion");

        Assert.True(eval.ExitCode == 0, eval.Error);
        Assert.True(run.ExitCode == 0, run.Error);
        string evaluated = Regex.Match(eval.Output, @"accuracy (\d+\.\d\d)% \((\d+)/359\)").Groups[1].Value;
        Assert.NotEmpty(evaluated);
        Assert.Contains($"accuracy {evaluated}% (", run.Output);
        Assert.Contains("of 359 wrong) against", run.Output);
        // The confusion matrix's diagonal holds the samples the accuracy line counts right, and its rows all 359.
        int wrong = int.Parse(Regex.Match(run.Output, @"\((\d+) of 359 wrong\)").Groups[1].Value);
        int[][] rows = [.. Enumerable.Range(0, 10).Select(c => Regex.Match(run.Output, $@"\n{c} +((?:\d+ +){{10}})").Groups[1].Value
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray())];
        Assert.Equal(359 - wrong, Enumerable.Range(0, 10).Sum(c => rows[c][c]));
        Assert.Equal(359, rows.Sum(row => row.Sum()));
    }

    [RealDataFact("digits")]
    public void A_model_whose_first_output_is_NaN_is_scored_alike_by_elr_eval_and_elr_run()
    {
        // elr eval took a NaN in column 0 for every sample's class (about 10% here), elr-run the highest number: one
        // matrix in the runtime library now picks the class for both.
        string trained = PathOf("digits.elr"), broken = PathOf("broken.elr"), folder = PathOf("exported");
        DigitsReference.Train(trained);
        using (Model model = ModelReader.Load(trained))
        {
            // Logits: a softmax after them would make every output of a sample NaN.
            Assert.IsType<SoftmaxLayer>(model.Layers[^1]);
            var last = (DenseLayer)model.Layers[^2];
            float[] bias = last.Bias.ToArray();
            bias[0] = float.NaN;
            Layer[] layers = [.. model.Layers.SkipLast(2), new DenseLayer(last.Weights, bias, last.Activation)];
            ModelWriter.Write(new Model(model.InputShape, layers, model.Metadata), broken);
        }
        Assert.Equal(0, Tool.Elr("data", "export", "digits", "-o", folder).ExitCode);

        ToolResult eval = Tool.Elr("eval", broken);
        ToolResult run = Tool.ElrRun("run", broken, "--input", Path.Combine(folder, "test-images.npy"), "--labels", Path.Combine(folder, "test-labels.npy"), "-q");

        Assert.True(eval.ExitCode == 0, eval.Error);
        Assert.Contains("359 of 359 samples got NaN or infinite scores", eval.Error);
        Match evaluated = Regex.Match(eval.Output, @"accuracy (\d+\.\d\d)% \((\d+)/359\)");
        Assert.True(evaluated.Success, eval.Output);
        int right = int.Parse(evaluated.Groups[2].Value);
        Assert.InRange(right, 200, 359 - 36);   // the other classes mostly right, class 0's 36 samples all wrong
        Assert.Contains($"accuracy {evaluated.Groups[1].Value}% ({359 - right} of 359 wrong)", run.Output);
        Assert.Contains("│ precision ", eval.Output);
        Assert.DoesNotContain("no class", eval.Output);   // no sample's scores are all NaN
    }

    [RealDataFact("digits")]
    public void A_model_whose_outputs_are_all_NaN_gives_no_sample_a_class_in_elr_eval_or_elr_run()
    {
        // A NaN logit before the softmax makes every output NaN: elr eval counted each sample as class 0 (36 of 359 right).
        string trained = PathOf("digits.elr"), broken = PathOf("broken.elr"), folder = PathOf("exported");
        DigitsReference.Train(trained);
        using (Model model = ModelReader.Load(trained))
        {
            var last = (DenseLayer)model.Layers[^2];
            float[] bias = last.Bias.ToArray();
            bias[3] = float.NaN;
            Layer[] layers = [.. model.Layers.SkipLast(2), new DenseLayer(last.Weights, bias, last.Activation), model.Layers[^1]];
            ModelWriter.Write(new Model(model.InputShape, layers, model.Metadata), broken);
        }
        Assert.Equal(0, Tool.Elr("data", "export", "digits", "-o", folder).ExitCode);

        ToolResult eval = Tool.Elr("eval", broken);
        ToolResult run = Tool.ElrRun("run", broken, "--input", Path.Combine(folder, "test-images.npy"), "--labels", Path.Combine(folder, "test-labels.npy"), "-q", "--confusion");

        Assert.True(eval.ExitCode == 0, eval.Error);
        Assert.Contains("accuracy 0.00% (0/359)", eval.Output);
        Assert.Matches(@"│ no class │ recall │", eval.Output);
        Assert.Contains("accuracy 0.00% (359 of 359 wrong)", run.Output);
        Assert.Matches(@"no class\s+recall", run.Output);
    }

    [Fact]
    public void Labels_that_do_not_fit_the_input_or_the_model_are_refused_by_file_and_index()
    {
        // tiny-odd: 4 samples, 7 outputs.
        string model = Tool.Fixture("tiny-odd.elr"), input = Tool.Fixture("tiny-odd.input.f32");
        string three = Write("three.npy", NpyBytes.Of(NpyDataType.Int64, [3], 0, 1, 2));
        string beyond = Write("beyond.npy", NpyBytes.Of(NpyDataType.Int32, [4], 0, 1, 7, 2));
        string floats = Write("floats.npy", NpyBytes.Of(NpyDataType.Float32, [4], 0, 1, 2, 3));
        string raw = Write("labels.f32", new byte[16]);

        ToolResult count = Tool.ElrRun("run", model, "--input", input, "--labels", three, "-q");
        ToolResult range = Tool.ElrRun("run", model, "--input", input, "--labels", beyond, "-q");
        ToolResult type = Tool.ElrRun("run", model, "--input", input, "--labels", floats, "-q");
        ToolResult form = Tool.ElrRun("run", model, "--input", input, "--labels", raw, "-q");
        ToolResult good = Tool.ElrRun("run", model, "--input", input, "--labels", Write("good.npy", NpyBytes.Of(NpyDataType.UInt8, [4], 6, 0, 3, 1)), "-q");
        Assert.True(good.ExitCode == 0, good.Error);
        Assert.Matches(@"accuracy \d+\.\d\d% \(\d of 4 wrong\) against", good.Output);

        Assert.Equal(2, count.ExitCode);
        Assert.Contains("holds 3 labels but the input holds 4 samples; give one label per sample, in the input's order, or --limit 3 to run and score the first 3 samples.", count.Error);
        Assert.Equal(2, range.ExitCode);
        Assert.Contains("label 7 at index 2 is not a class of the model, which has 7 outputs (0 to 6)", range.Error);
        Assert.Equal(2, type.ExitCode);
        Assert.Contains("labels are integers", type.Error);
        Assert.Equal(1, form.ExitCode);
        Assert.Contains("give a .npy of integer labels", form.Error);
        ToolResult oneHot = Tool.ElrRun("run", model, "--input", input, "--labels", Write("onehot.npy", NpyBytes.Of(NpyDataType.Int64, [4, 2], 1, 0, 0, 1, 1, 0, 0, 1)), "-q");
        Assert.Equal(2, oneHot.ExitCode);
        Assert.Contains("one-hot rows become labels with y.argmax(axis=1)", oneHot.Error);
        ToolResult stdin = Tool.ElrRun("run", model, "--input", input, "--labels", "-", "-q");
        Assert.Equal(1, stdin.ExitCode);
        Assert.Contains("--labels -: elr-run reads labels from a file, not from standard input", stdin.Error);
        // Run on fewer samples than the input holds (--limit), labels may cover more, as --expect may.
        ToolResult limited = Tool.ElrRun("run", model, "--input", input, "--labels", three, "--limit", "2", "-q");
        Assert.True(limited.ExitCode == 0, limited.Error);
        Assert.Matches(@"accuracy \d+\.\d\d% \(\d of 2 wrong\)", limited.Output);
        // MNIST's own label files are IDX bytes: taken as they are.
        byte[] idx = [0, 0, 8, 1, 0, 0, 0, 4, 6, 0, 3, 1];
        ToolResult idxLabels = Tool.ElrRun("run", model, "--input", input, "--labels", Write("labels-idx1-ubyte", idx), "-q");
        Assert.True(idxLabels.ExitCode == 0, idxLabels.Error);
        Assert.Equal(good.Output, idxLabels.Output.Replace("labels-idx1-ubyte", "good.npy"));
    }

    [Fact]
    public void Export_refuses_a_file_as_its_folder_a_folder_whose_parent_is_missing_and_standard_output_before_loading_anything()
    {
        string file = Write("file.npy", [1]);

        ToolResult intoFile = Tool.Elr("data", "export", "digits", "-o", file);
        ToolResult noParent = Tool.Elr("data", "export", "digits", "-o", PathOf(Path.Combine("missing", "sub")));

        Assert.Equal(3, intoFile.ExitCode);
        Assert.Contains("is a file; give a folder to write test-images.npy, test-labels.npy and classes.txt into", intoFile.Error);
        Assert.Equal(3, noParent.ExitCode);
        Assert.Contains("does not exist; create it or choose another path", noParent.Error);
        Assert.False(Directory.Exists(PathOf("missing")));

        // Not into the data cache, whose fetched files its arrays would sit among.
        ToolResult intoCache = Tool.ElrWith(new Dictionary<string, string> { ["ELR_DATA"] = PathOf("cache") }, "data", "export", "digits", "-o", PathOf(Path.Combine("cache", "digits")));
        Assert.Equal(3, intoCache.ExitCode);
        Assert.Contains("is inside elr's data cache", intoCache.Error);

        // A folder where none can be made is refused as a folder, not as "not a file".
        ToolResult inProc = Tool.Elr("data", "export", "digits", "-o", "/proc/elr-export");
        Assert.Equal(3, inProc.ExitCode);
        Assert.Contains("-o: cannot use '/proc/elr-export' as a folder", inProc.Error);

        // '-' is standard output to other tools; a folder named '-' would be a surprise.
        ToolResult dash = Tool.Elr("data", "export", "digits", "-o", "-");
        Assert.Equal(3, dash.ExitCode);   // as every output path refused as "-"
        Assert.Contains("-o -: elr data export writes three files (test-images.npy, test-labels.npy, classes.txt) into a folder, not to standard output", dash.Error);
    }

    [Fact]
    public void Export_refuses_a_link_to_the_data_cache_and_a_link_in_its_folder_to_a_cached_file_before_loading_anything()
    {
        // A trial wrote into the cache through a link to it (the check compared paths), and replaced a cached file through a
        // link to it in the output folder. ELR_OFFLINE: without the check, the export would load the data set, not fetch it.
        Directory.CreateDirectory(PathOf(Path.Combine("cache", "digits")));
        string cached = Write(Path.Combine("cache", "digits", "test-images.npy"), [1, 2, 3]);
        var environment = new Dictionary<string, string> { ["ELR_DATA"] = PathOf("cache"), ["ELR_OFFLINE"] = "1" };
        string link = PathOf("link");
        File.CreateSymbolicLink(link, PathOf(Path.Combine("cache", "digits")));
        Directory.CreateDirectory(PathOf("out"));
        string fileLink = PathOf(Path.Combine("out", "test-images.npy"));
        File.CreateSymbolicLink(fileLink, cached);

        ToolResult intoLink = Tool.ElrWith(environment, "data", "export", "digits", "-o", link);
        ToolResult underLink = Tool.ElrWith(environment, "data", "export", "digits", "-o", Path.Combine(link, "new"));
        ToolResult throughFile = Tool.ElrWith(environment, "data", "export", "digits", "-o", PathOf("out"));

        Assert.Equal(3, intoLink.ExitCode);
        Assert.Contains($"-o: '{link}' is inside elr's data cache {PathOf("cache")} (it leads to {PathOf(Path.Combine("cache", "digits"))}); give a folder outside it.", intoLink.Error);
        Assert.Equal(3, underLink.ExitCode);
        Assert.Contains("is inside elr's data cache", underLink.Error);
        Assert.False(Directory.Exists(Path.Combine(link, "new")));
        Assert.Equal(3, throughFile.ExitCode);
        Assert.Contains($"-o (images): '{fileLink}' is a symbolic link to {cached}, in elr's data cache {PathOf("cache")}, whose file the export would replace; "
            + "remove the link or give another folder.", throughFile.Error);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(cached));
        Assert.Equal(["test-images.npy"], Directory.GetFileSystemEntries(PathOf(Path.Combine("cache", "digits"))).Select(Path.GetFileName));
    }

    [RootFact]
    public void Export_refuses_a_device_node_outside_dev_as_an_output_as_it_refuses_dev_null()
    {
        // mknod makes a device anywhere (tar and cpio carry them); a stream on /dev/null's kind seeks, so it was taken for a
        // file and replaced by one. Making a device node needs root, as mounting does.
        string folder = Directory.CreateDirectory(PathOf("out")).FullName, device = Path.Combine(folder, "test-labels.npy");
        using (var mknod = System.Diagnostics.Process.Start("mknod", [device, "c", "1", "3"])) mknod.WaitForExit();

        ToolResult export = Tool.Elr("data", "export", "digits", "-o", folder);

        Assert.Equal(3, export.ExitCode);
        Assert.Contains($"-o (labels): '{device}' is a pipe or a device (or lies in /dev or /proc), not a file; outputs are written to a file, so give a file path.", export.Error);
        Assert.Equal(0, new FileInfo(device).Length);
        Assert.Equal(["test-labels.npy"], Directory.GetFileSystemEntries(folder).Select(Path.GetFileName));
        // The node itself as -o is no folder, and not called a file either.
        ToolResult onto = Tool.Elr("data", "export", "digits", "-o", device);
        Assert.Equal((3, $"elr: -o: '{device}' is a pipe, socket or device; give a folder to write test-images.npy, test-labels.npy and classes.txt into."),
            (onto.ExitCode, onto.Error.Trim()));
    }

    [RootFact]
    public void Export_to_a_full_device_leaves_no_folder_it_made_and_no_file_half_written()
    {
        // A trial's export to a full disk left an empty folder behind. A 64 KiB tmpfs, most of it filled, holds the new folder
        // but not the digits' 23 KB of images.
        using var device = new SmallDevice(PathOf("small-device"), free: 16 * 1024);
        string folder = Path.Combine(device.Mount, "exported");

        ToolResult export = Tool.Elr("data", "export", "digits", "-o", folder);

        Assert.Equal(3, export.ExitCode);
        Assert.Contains("its device is full", export.Error);
        Assert.Contains("Nothing was replaced.", export.Error);
        Assert.False(Directory.Exists(folder), "the folder the export made was left behind");
        Assert.Equal(["filler"], Directory.GetFileSystemEntries(device.Mount).Select(Path.GetFileName));
    }
}
