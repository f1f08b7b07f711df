using System.Globalization;
using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Export;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Compressor.Tests.Data;
using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.Layers;
using Google.Protobuf;
using Onnx;
using static EdgeLowRank.Onnx.OnnxProto;

namespace EdgeLowRank.EndToEnd.Tests;

/// <summary><c>elr export-onnx</c> and <c>elr import-onnx</c> as a user runs them.</summary>
public sealed class ElrOnnxTests : TempFiles
{
    [Theory]
    [InlineData("lenet5-factorized-int8.elr")]
    [InlineData("lenet300-factorized.elr")]
    public void Exported_and_imported_again_a_model_computes_the_same_outputs(string fixture)
    {
        string onnx = PathOf("model.onnx"), back = PathOf("back.elr");

        ToolResult exported = Tool.Elr("export-onnx", Tool.Fixture(fixture), "-o", onnx);
        ToolResult imported = Tool.Elr("import-onnx", onnx, "-o", back);

        Assert.True(exported.ExitCode == 0, exported.Error);
        Assert.True(imported.ExitCode == 0, imported.Error);
        Assert.Contains("ONNX opset 17", exported.Output);
        Assert.Contains($"wrote {back} ({new FileInfo(back).Length:N0} bytes)", imported.Output);
        Assert.Matches(@"\n\s*0\s+\w+\s+\w+", imported.Output);   // the imported model's layer table
        // int8 weights stay int8 in the ONNX file (DequantizeLinear): it is about as small as the .elr file.
        Assert.True(new FileInfo(onnx).Length < 1.1 * new FileInfo(Tool.Fixture(fixture)).Length);
        string name = Path.GetFileNameWithoutExtension(fixture);
        Assert.Equal(Outputs(Tool.Fixture(fixture), name), Outputs(back, name));
    }

    [Theory]
    [InlineData("lenet5-factorized-int8.elr", "its first nodes, a Mul and an Add")]   // int8 weights cannot absorb it: kept as a layer
    [InlineData("lenet300-factorized.elr", "folded into the first layer")]
    public void The_export_of_a_model_imported_with_its_normalization_says_its_graph_takes_pixels(string fixture, string where)
    {
        // The network as trained took normalized pixels; the graph written takes the pixels, which only its metadata said.
        string foreign = Foreign(fixture, edit: null), imported = PathOf("imported.elr"), onnx = PathOf("out.onnx"), back = PathOf("back.elr");

        ToolResult import = Tool.Elr("import-onnx", foreign, "-o", imported, "--input-mean", "0.1307", "--input-std", "0.3081");
        ToolResult export = Tool.Elr("export-onnx", imported, "-o", onnx);
        ToolResult again = Tool.Elr("import-onnx", onnx, "-o", back);
        ToolResult plain = Tool.Elr("export-onnx", Tool.Fixture(fixture), "-o", PathOf("plain.onnx"));

        Assert.True(import.ExitCode == 0, import.Error);
        Assert.True(export.ExitCode == 0, export.Error);
        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Contains($"input: unnormalized pixels, on the scale the mean and std were given for ([0, 1] for elr's data sets); the normalization "
            + $"(x - 0.1307) / 0.3081 is inside the graph ({where}): give it the pixels, not normalized ones, which the network took as trained "
            + "(import.input-normalization in its metadata).", export.Output);
        Assert.DoesNotContain("input: unnormalized pixels", plain.Output);
        string name = Path.GetFileNameWithoutExtension(fixture);
        Assert.Equal(Outputs(imported, name), Outputs(back, name));
    }

    [Fact]
    public void A_model_from_another_tool_records_the_data_set_it_is_imported_for()
    {
        string onnx = Foreign("lenet300-dense.elr", edit: null), model = PathOf("imported.elr");

        ToolResult result = Tool.Elr("import-onnx", onnx, "-o", model, "--dataset", "fashion-mnist");

        Assert.True(result.ExitCode == 0, result.Error);
        using Model imported = ModelReader.Load(model);
        Assert.Equal("fashion-mnist/test", imported.Metadata.Dataset);
        Assert.Equal("Ankle boot", imported.Metadata.Labels[9]);
        Assert.Equal("tests", imported.Metadata.Producer);
    }

    [Fact]
    public void A_final_log_softmax_is_read_as_a_softmax_and_the_import_says_so()
    {
        string onnx = Foreign("lenet300-dense.elr", g => g.Node[^1].OpType = "LogSoftmax"), model = PathOf("imported.elr");

        ToolResult result = Tool.Elr("import-onnx", onnx, "-o", model);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("note: the graph ends with a LogSoftmax, which the runtime does not have; it was read as a Softmax", result.Output);
        Assert.Equal(Outputs(Tool.Fixture("lenet300-dense.elr"), "lenet300-dense"), Outputs(model, "lenet300-dense"));
    }

    [Fact]
    public void A_flatten_written_as_x_view_x_size_0_computes_what_the_model_did()
    {
        string onnx = Foreign("lenet5-factorized-int8.elr", ViewInsteadOfFlatten), model = PathOf("imported.elr");

        ToolResult result = Tool.Elr("import-onnx", onnx, "-o", model);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(Outputs(Tool.Fixture("lenet5-factorized-int8.elr"), "lenet5-factorized-int8"), Outputs(model, "lenet5-factorized-int8"));
    }

    [RealDataFact("digits")]
    public void A_model_from_another_tool_is_evaluated_and_compressed_like_one_elr_trained()
    {
        string trained = TrainDigits(), imported = PathOf("imported.elr"), compressed = PathOf("compressed.elr");
        string onnx = Foreign(trained, edit: null);

        ToolResult import = Tool.Elr("import-onnx", onnx, "-o", imported, "--dataset", "digits");
        ToolResult evaluated = Tool.Elr("eval", imported);
        ToolResult compress = Tool.Elr("compress", imported, "--dataset", "digits", "--method", "cur", "--target-ratio", "2", "--steps", "2", "--threads", "1", "-o", compressed);

        Assert.True(import.ExitCode == 0, import.Error);
        Assert.DoesNotContain("about chance's", import.Error); // trained: no warning of inputs it was not trained on
        Assert.True(evaluated.ExitCode == 0, evaluated.Error);
        Assert.True(compress.ExitCode == 0, compress.Error);
        // The imported network is the trained one: elr eval measures the same accuracy on both files.
        Assert.Equal(Accuracy(Tool.Elr("eval", trained)), Accuracy(evaluated));
        // The import measured it too, so a forgotten normalization shows at once: the file records what eval measures.
        Assert.Contains("note: the accuracy above is the runtime's on the test images of digits", import.Output);
        using (Model recorded = ModelReader.Load(imported))
            Assert.StartsWith(FormattableString.Invariant($"accuracy {recorded.Metadata.Accuracy * 100:0.00}% ("), Accuracy(evaluated));
        using Model small = ModelReader.Load(compressed);
        Assert.Contains(small.Layers, l => l is FactorizedDenseLayer);
        Assert.Equal("digits/test", small.Metadata.Dataset);
    }

    [RealDataFact("mnist")]
    public void An_import_measured_on_a_data_set_keeps_the_reference_accuracy_the_graph_records()
    {
        // A compressed model exported by elr records its dense reference's accuracy; the import measures the compressed
        // network's own, and once wrote it as the reference too.
        string model = PathOf("small.elr"), onnx = PathOf("small.onnx"), back = PathOf("back.elr");
        using (Model golden = ModelReader.Load(Tool.Fixture("lenet300-factorized.elr")))
            ModelWriter.Write(new Model(golden.InputShape, golden.Layers, golden.Metadata with { ReferenceAccuracy = 0.983, Accuracy = 0.98 }), model);
        Assert.Equal(0, Tool.Elr("export-onnx", model, "-o", onnx).ExitCode);

        ToolResult import = Tool.Elr("import-onnx", onnx, "-o", back, "--dataset", "mnist");

        Assert.True(import.ExitCode == 0, import.Error);
        Assert.Contains("elr: measuring the test accuracy on 10,000 images of mnist", import.Error);
        using Model imported = ModelReader.Load(back);
        Assert.Equal(0.983, imported.Metadata.ReferenceAccuracy);
        Assert.Contains(FormattableString.Invariant($": accuracy {imported.Metadata.Accuracy * 100:0.00}% ("), Tool.Elr("eval", back).Output);
    }

    [RealDataFact("mnist")]
    public void An_import_at_chance_level_is_warned_of_and_pointed_to_the_normalization()
    {
        // Random weights score as a network fed inputs unlike its training's does (a trial's, imported without
        // --input-mean/--input-std: 9.74%), and the general note after the table said no more than for any accuracy.
        string onnx = Foreign("lenet300-dense.elr", edit: null), model = PathOf("chance.elr");

        ToolResult import = Tool.Elr("import-onnx", onnx, "-o", model, "--dataset", "mnist");

        Assert.True(import.ExitCode == 0, import.Error);
        Assert.Matches(@"elr: warning: the imported model's test accuracy, \d+\.\d\d%, is about chance's \(10\.00%, one class in 10\)", import.Error);
        Assert.Contains("--input-mean and --input-std (0.1307 and 0.3081 for MNIST)", import.Error);
    }

    [Fact]
    public void An_import_without_a_data_set_records_the_pixel_scale_it_is_given_and_none_otherwise()
    {
        string onnx = Foreign("lenet300-dense.elr", edit: null), given = PathOf("given.elr"), none = PathOf("none.elr");

        ToolResult withScale = Tool.Elr("import-onnx", onnx, "-o", given, "--pixel-max", "16");
        ToolResult without = Tool.Elr("import-onnx", onnx, "-o", none);

        Assert.True(withScale.ExitCode == 0, withScale.Error);
        Assert.True(without.ExitCode == 0, without.Error);
        using Model scaled = ModelReader.Load(given), unscaled = ModelReader.Load(none);
        Assert.Equal(16, scaled.Metadata.InputPixelMax);
        Assert.Null(unscaled.Metadata.InputPixelMax);
        Assert.Contains("note: the model records no scale of integer pixels, so elr-run and libelr will read uint8 input as p / 255", without.Output);
        Assert.DoesNotContain("records no scale", withScale.Output);
    }

    [RealDataFact("mnist")]
    public void An_import_with_no_eval_checks_and_records_the_data_set_and_records_no_accuracy()
    {
        string onnx = Foreign("lenet300-dense.elr", edit: null), model = PathOf("imported.elr");

        ToolResult result = Tool.Elr("import-onnx", onnx, "-o", model, "--dataset", "mnist", "--no-eval");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.DoesNotContain("measuring", result.Error);
        Assert.DoesNotContain("the accuracy above", result.Output);
        using Model imported = ModelReader.Load(model);
        Assert.Equal("mnist/test", imported.Metadata.Dataset);
        // Absent, not 0: elr eval and compress read a recorded accuracy as measured.
        Assert.Null(imported.Metadata.Accuracy);
        Assert.Null(imported.Metadata.ReferenceAccuracy);
    }

    [RealDataFact("mnist")]
    public void An_import_measures_on_the_threads_it_is_given_the_accuracy_eval_measures_on_one()
    {
        string onnx = Foreign("lenet300-dense.elr", edit: null), model = PathOf("imported.elr");

        ToolResult result = Tool.Elr("import-onnx", onnx, "-o", model, "--dataset", "mnist", "--threads", "2");
        ToolResult one = Tool.Elr("eval", model, "--threads", "1"), two = Tool.Elr("eval", model, "--threads", "2");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("elr: measuring the test accuracy on 10,000 images of mnist, 2 threads (--no-eval skips it)", result.Error);
        // A batch split over threads gives each sample one thread's outputs bit for bit: the same count right.
        Assert.Equal(Accuracy(one), Accuracy(two));
        using Model imported = ModelReader.Load(model);
        Assert.StartsWith(FormattableString.Invariant($"accuracy {imported.Metadata.Accuracy * 100:0.00}% ("), Accuracy(one));
    }

    [RealDataFact("digits")]
    public void A_model_imported_without_a_data_set_is_named_after_its_file_and_records_the_one_quantize_measured_it_on()
    {
        string onnx = Foreign(TrainDigits(), edit: null), imported = PathOf("imported.elr"), quantized = PathOf("quantized.elr");

        ToolResult import = Tool.Elr("import-onnx", onnx, "-o", imported);
        ToolResult quantize = Tool.Elr("quantize", imported, "--dataset", "digits", "-o", quantized);

        Assert.True(import.ExitCode == 0, import.Error);
        Assert.True(quantize.ExitCode == 0, quantize.Error);
        using (Model model = ModelReader.Load(imported))
        {
            Assert.Equal("foreign", model.Metadata.Properties["model"]);
            Assert.Equal("", model.Metadata.Dataset);
        }
        using Model small = ModelReader.Load(quantized);
        Assert.Equal("digits/test", small.Metadata.Dataset);
        Assert.Equal(DatasetCatalog.Digits.ClassNames, small.Metadata.Labels);
        // So elr eval now knows the data set, and refuses another.
        Assert.Contains("was trained on digits (its metadata says so), not mnist", Tool.Elr("eval", quantized, "--dataset", "mnist").Error);
    }

    [RealDataFact("digits")]
    public void A_model_ending_in_logits_still_does_once_compressed_and_keeps_what_the_import_recorded()
    {
        string trained = TrainDigits(), imported = PathOf("imported.elr");
        string onnx;
        using (Model model = ModelReader.Load(trained))
        using (var logits = new Model(model.InputShape, model.Layers.Where(l => l is not SoftmaxLayer).ToArray(), model.Metadata))
            onnx = Foreign(logits, edit: null);

        ToolResult import = Tool.Elr("import-onnx", onnx, "-o", imported, "--dataset", "digits", "--input-mean", "0", "--input-std", "1");

        Assert.True(import.ExitCode == 0, import.Error);
        using Model small = ModelReader.Load(Compressed(imported));
        Assert.IsNotType<SoftmaxLayer>(small.Layers[^1]);
        Assert.StartsWith("(x - 0) / 1, folded into the first layer", small.Metadata.Properties["import.input-normalization"]);
        Assert.EndsWith("; then trained with the other layers by elr compress", small.Metadata.Properties["import.input-normalization"]);
        // And one that ends in probabilities keeps them (every elr-trained model, and the test above's import).
        using Model again = ModelReader.Load(Compressed(trained));
        Assert.IsType<SoftmaxLayer>(again.Layers[^1]);
    }

    [RealDataFact("digits")]
    public void A_normalization_kept_as_a_layer_of_its_own_stays_as_it_was_through_compress()
    {
        // A padded convolution first, as PyTorch's LeNet-5 has: the import keeps (x − 0.5)/0.25 as a 1×1 depthwise layer.
        var network = new Network("padded", new TensorShape(8, 8, 1),
            [new Conv2d("conv1", 1, 8, new ConvolutionGeometry(3, 1, 1)), new Relu("relu1"),
             new Flatten("flatten"), new Dense("fc1", 8 * 8 * 8, 32),
             new Relu("relu2"), new Dense("fc2", 32, 10)]);
        network.Initialize(1);
        string onnx, imported = PathOf("imported.elr");
        using (Model model = NetworkExporter.ToModel(network, new ModelMetadata(), appendSoftmax: false))
            onnx = Foreign(model, edit: null);

        ToolResult import = Tool.Elr("import-onnx", onnx, "-o", imported, "--dataset", "digits", "--input-mean", "0.5", "--input-std", "0.25");

        Assert.True(import.ExitCode == 0, import.Error);
        using Model before = ModelReader.Load(imported);
        using Model after = ModelReader.Load(Compressed(imported));
        var kept = Assert.IsType<DepthwiseConv2dLayer>(before.Layers[0]);
        var still = Assert.IsType<DepthwiseConv2dLayer>(after.Layers[0]);
        Assert.Equal([4f], kept.Filters.ToArray());
        Assert.Equal(kept.Filters.ToArray(), still.Filters.ToArray());
        Assert.Equal(kept.Bias.ToArray(), still.Bias.ToArray());
        Assert.NotEqual(before.Layers[1].WeightMatrices[0].ToRowMajor(), after.Layers[1].WeightMatrices[0].ToRowMajor());   // the others trained
        Assert.EndsWith("; kept fixed while elr compress trained the other layers", after.Metadata.Properties["import.input-normalization"]);
        Assert.Equal("0", after.Metadata.Properties["import.input-normalization-layer"]);

        // A value the import never writes is refused rather than taken to freeze a layer of the network itself.
        string edited = PathOf("edited.elr"), output = PathOf("never.elr");
        var properties = new Dictionary<string, string>(before.Metadata.Properties) { ["import.input-normalization-layer"] = "1" };
        using (var changed = new Model(before.InputShape, before.Layers.ToArray(), before.Metadata with { Properties = properties }))
            ModelWriter.Write(changed, edited);
        ToolResult refused = Tool.Elr("compress", edited, "--method", "svd", "--target-ratio", "2", "-o", output);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("edited.elr records import.input-normalization-layer '1', but the import writes 0", refused.Error);
        Assert.False(File.Exists(output));
    }

    [RealDataFact("digits")]
    public void A_model_trained_on_normalized_inputs_takes_the_pixels_once_imported_with_its_mean_and_std()
    {
        string trained = TrainDigits(), imported = PathOf("imported.elr");
        // The same network as it would be had it been trained on (x - 0.5) / 0.25: its first layer takes normalized pixels.
        const float Mean = 0.5f, Std = 0.25f;
        string onnx;
        using (Model model = ModelReader.Load(trained))
        {
            var first = (DenseLayer)model.Layers.First(l => l is DenseLayer);
            float[] w = first.Weights.ToRowMajor(), b = first.Bias.ToArray();
            for (int i = 0; i < first.Inputs; i++)
                for (int j = 0; j < first.Outputs; j++)
                {
                    b[j] += Mean * w[i * first.Outputs + j];
                    w[i * first.Outputs + j] *= Std;
                }
            var layers = model.Layers.Select(l => ReferenceEquals(l, first) ? new DenseLayer(PackedMatrix.FromRowMajor(w, first.Inputs, first.Outputs), b, first.Activation) : l).ToArray();
            using var normalized = new Model(model.InputShape, layers, model.Metadata);
            onnx = Foreign(normalized, edit: null);
        }

        ToolResult result = Tool.Elr("import-onnx", onnx, "-o", imported, "--dataset", "digits", "--input-mean", "0.5", "--input-std", "0.25");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(Accuracy(Tool.Elr("eval", trained)), Accuracy(Tool.Elr("eval", imported)));
        using Model back = ModelReader.Load(imported);
        Assert.StartsWith("(x - 0.5) / 0.25, folded into the first layer", back.Metadata.Properties["import.input-normalization"]);
    }

    [Theory]
    [InlineData("lenet300-factorized-dynamic.elr", null, true, "quantize.activations,quantize.dynamic-layers,quantize.weights")]
    [InlineData("lenet300-factorized-dynamic.elr", "dynamic", true, "quantize.activations,quantize.dynamic-layers,quantize.weights")]
    [InlineData("lenet300-factorized-dynamic.elr", "dequantize", false, "quantize.weights")]
    [InlineData("lenet300-factorized-dynamic.elr", "float", false, "")]
    [InlineData("lenet300-factorized-int8.elr", "dequantize", true, "quantize.weights")]
    [InlineData("lenet300-factorized-int8.elr", "dynamic", false, "quantize.weights")]
    public void An_exported_graph_records_only_what_holds_of_it(string fixture, string? int8, bool keepsAccuracy, string quantizeEntries)
    {
        // The fixture's layers under the metadata elr quantize leaves: a test accuracy, and the scheme entries of its arithmetic.
        string model = PathOf("quantized.elr"), onnx = PathOf("out.onnx"), back = PathOf("back.elr");
        using (Model golden = ModelReader.Load(Tool.Fixture(fixture)))
        {
            bool dynamic = golden.Layers.Any(l => l.InputQuantization == InputQuantization.Dynamic);
            var properties = new Dictionary<string, string> { ["quantize.weights"] = "int8", ["model"] = "lenet300" };
            if (dynamic)
            {
                properties["quantize.activations"] = "dynamic";
                properties["quantize.dynamic-layers"] = "fc1,fc2,fc3";
            }
            ModelWriter.Write(new Model(golden.InputShape, golden.Layers, golden.Metadata with { Accuracy = 0.98, Properties = properties }), model);
        }

        ToolResult export = Tool.Elr(["export-onnx", model, "-o", onnx, .. int8 is null ? Array.Empty<string>() : ["--int8", int8]]);
        ToolResult import = Tool.Elr("import-onnx", onnx, "-o", back);

        Assert.True(export.ExitCode == 0, export.Error);
        Assert.True(import.ExitCode == 0, import.Error);
        Assert.Equal(!keepsAccuracy, export.Output.Contains("left out; measure the graph with elr eval"));
        using Model imported = ModelReader.Load(back);
        Assert.Equal(keepsAccuracy ? 0.98 : null, imported.Metadata.Accuracy);
        Assert.Equal(quantizeEntries, string.Join(',', imported.Metadata.Properties.Keys.Where(k => k.StartsWith("quantize.")).Order(StringComparer.Ordinal)));
        Assert.Equal("lenet300", imported.Metadata.Properties["model"]);
    }

    [Fact]
    public void A_model_dynamic_in_its_dense_layers_only_written_all_dynamic_no_longer_names_those_layers()
    {
        string model = PathOf("dense-dynamic.elr"), onnx = PathOf("out.onnx"), back = PathOf("back.elr");
        ToolResult quantized = Tool.Elr("quantize", Tool.Fixture("lenet5-factorized.elr"), "--activations", "dynamic", "--dynamic-ops", "dense", "--no-eval", "-o", model);
        Assert.True(quantized.ExitCode == 0, quantized.Error);

        ToolResult export = Tool.Elr("export-onnx", model, "-o", onnx, "--int8", "dynamic");
        ToolResult import = Tool.Elr("import-onnx", onnx, "-o", back);

        Assert.True(export.ExitCode == 0, export.Error);
        Assert.True(import.ExitCode == 0, import.Error);
        using Model imported = ModelReader.Load(back);
        // The convolutions came back dynamic too, so "fc1,fc2" and "dense" would be wrong: the entries are left out.
        Assert.All(imported.Layers.Where(l => l.WeightMatrices.Count > 0), l => Assert.Equal(InputQuantization.Dynamic, l.InputQuantization));
        // quantize.source-producer, the quantized model's producer before elr quantize, is carried through as any property is.
        Assert.Equal("quantize.source-producer,quantize.weights",
            string.Join(',', imported.Metadata.Properties.Keys.Where(k => k.StartsWith("quantize.")).Order(StringComparer.Ordinal)));
    }

    [Theory]
    [InlineData("not onnx", "out.elr", "README.md: not an ONNX model")]
    [InlineData("unsupported operator", "out.elr", "(Elu): the operator Elu is not supported")]
    [InlineData("damaged graph", "out.elr", "the node has no outputs; every ONNX operator has at least one. The file is damaged: export the model again.")]
    [InlineData("over its input", "out.elr", "is the same file as MODEL")]
    [InlineData("shape of another data set", "out.elr", "foreign.onnx takes inputs of 784 (784 numbers) but digits holds samples of 8×8×1 (64)")]
    [InlineData("recorded another data set", "out.elr", "was trained on mnist (its metadata says so), not fashion-mnist")]
    [InlineData("unknown int8 form", "out.onnx", "--int8 takes dequantize, float or dynamic, not 'int4'")]
    [InlineData("int8 form of an f32 model", "out.onnx", "--int8 dynamic says how to write int8 weight matrices, and lenet300-dense.elr has none (every matrix is f32)")]
    [InlineData("missing model", "out.onnx", "does not exist; train one with")]
    [InlineData("mean without std", "out.elr", "--input-mean and --input-std go together")]
    [InlineData("normalization of another input", "out.elr", "gives 3 means for an input of 784 features; give one, or one per feature")]
    [InlineData("no-eval without a data set", "out.elr", "--no-eval is only used with --dataset, whose accuracy it skips, so it would change nothing here")]
    [InlineData("threads with no-eval", "out.elr", "--threads is only used to measure the accuracy, with --dataset and without --no-eval, so it would change nothing")]
    [InlineData("no threads", "out.elr", "--threads must be between 1 and 256, not 0.")]
    [InlineData("no pixel scale", "out.elr", "--pixel-max must be 1 to 65,535 (255 for 8-bit images), not 0.")]
    [InlineData("pixel scale of another data set", "out.elr", "--pixel-max 16 disagrees with mnist, whose pixels are integers 0–255, recorded with --dataset; drop --pixel-max.")]
    [InlineData("pixel scale the file contradicts", "out.elr", "--pixel-max 255 disagrees with foreign.onnx, which records input.pixel-max = 16")]
    public void A_refused_request_says_why_in_one_line_and_writes_nothing(string request, string outputName, string says)
    {
        string input = request switch
        {
            "not onnx" => Write("README.md", File.ReadAllBytes(Tool.Fixture("README.md"))),
            "unsupported operator" => Foreign("lenet300-dense.elr", g => g.Node[^1].OpType = "Elu"),
            "damaged graph" => Foreign("lenet300-dense.elr", g => g.Node[1].Output.Clear()),
            "recorded another data set" => Foreign("lenet300-dense.elr", edit: null, dataset: "mnist/test"),
            "pixel scale the file contradicts" => Foreign("lenet300-dense.elr", edit: null, dataset: "mnist/test", pixelMax: 16),
            "unknown int8 form" => Tool.Fixture("tiny-odd-int8.elr"),
            "int8 form of an f32 model" => Tool.Fixture("lenet300-dense.elr"),
            "missing model" => PathOf("missing.elr"),
            _ => Foreign("lenet300-dense.elr", edit: null),
        };
        string output = request == "over its input" ? input : PathOf(outputName);
        string[] args = request switch
        {
            "shape of another data set" => ["import-onnx", input, "-o", output, "--dataset", "digits"],
            "recorded another data set" => ["import-onnx", input, "-o", output, "--dataset", "fashion-mnist"],
            "unknown int8 form" => ["export-onnx", input, "-o", output, "--int8", "int4"],
            "int8 form of an f32 model" => ["export-onnx", input, "-o", output, "--int8", "dynamic"],
            "missing model" => ["export-onnx", input, "-o", output],
            "mean without std" => ["import-onnx", input, "-o", output, "--input-mean", "0.1307"],
            "normalization of another input" => ["import-onnx", input, "-o", output, "--input-mean", "0.4,0.5,0.6", "--input-std", "0.2"],
            "no-eval without a data set" => ["import-onnx", input, "-o", output, "--no-eval"],
            "threads with no-eval" => ["import-onnx", input, "-o", output, "--dataset", "mnist", "--no-eval", "--threads", "2"],
            "no threads" => ["import-onnx", input, "-o", output, "--dataset", "mnist", "--threads", "0"],
            "no pixel scale" => ["import-onnx", input, "-o", output, "--pixel-max", "0"],
            "pixel scale of another data set" => ["import-onnx", input, "-o", output, "--dataset", "mnist", "--no-eval", "--pixel-max", "16"],
            "pixel scale the file contradicts" => ["import-onnx", input, "-o", output, "--pixel-max", "255"],
            _ => ["import-onnx", input, "-o", output],
        };
        byte[]? before = File.Exists(input) ? File.ReadAllBytes(input) : null;

        ToolResult result = Tool.Elr(args);

        // A file to replace (2), a path to fix (3), or an option to change (1): a pipeline's three different responses.
        int expected = request switch
        {
            "not onnx" or "unsupported operator" or "damaged graph" => 2,
            "missing model" or "over its input" => 3,
            _ => 1,
        };
        Assert.Equal(expected, result.ExitCode);
        Assert.Contains(says, result.Error);
        Assert.Single(result.Error.Trim().Split('\n'));
        if (before is not null) Assert.Equal(before, File.ReadAllBytes(input));
        if (output != input) Assert.False(File.Exists(output));
    }

    /// <summary>A model (a fixture's name, or a path) exported to ONNX as another tool would leave it: no elr metadata (or
    /// only a data set), a producer of its own.</summary>
    private string Foreign(string model, Action<GraphProto>? edit, string? dataset = null, int? pixelMax = null)
    {
        using Model loaded = ModelReader.Load(Path.IsPathRooted(model) ? model : Tool.Fixture(model));
        return Foreign(loaded, edit, dataset, pixelMax);
    }

    /// <param name="loaded">The model.</param>
    /// <param name="edit">A change to its graph, or null.</param>
    /// <param name="dataset">The data set its elr metadata records, or null for no elr metadata at all.</param>
    /// <param name="pixelMax">With <paramref name="dataset"/>: the input.pixel-max the metadata records too.</param>
    private string Foreign(Model loaded, Action<GraphProto>? edit, string? dataset = null, int? pixelMax = null)
    {
        ModelProto proto = ModelProto.Parser.ParseFrom(EdgeLowRank.Onnx.OnnxExporter.Export(loaded));
        proto.MetadataProps.Clear();
        proto.ProducerName = "tests";
        if (dataset is not null)
        {
            proto.MetadataProps.Add(new StringStringEntryProto { Key = "edgelowrank.producer", Value = "tests" });
            proto.MetadataProps.Add(new StringStringEntryProto { Key = "edgelowrank.dataset", Value = dataset });
            if (pixelMax is int max)
                proto.MetadataProps.Add(new StringStringEntryProto { Key = "edgelowrank.property." + ModelMetadata.InputPixelMaxProperty, Value = max.ToString(CultureInfo.InvariantCulture) });
        }
        edit?.Invoke(proto.Graph);
        return Write("foreign.onnx", proto.ToByteArray());
    }

    /// <summary>Replaces the graph's Flatten with <c>x.view(x.size(0), -1)</c> as torch.onnx.export writes it from opset 13
    /// with a dynamic batch: Shape, Gather of entry 0, Unsqueeze, Concat with (−1), Reshape.</summary>
    private static void ViewInsteadOfFlatten(GraphProto g)
    {
        int at = g.Node.ToList().FindIndex(n => n.OpType == "Flatten");
        string x = g.Node[at].Input[0], y = g.Node[at].Output[0];
        var view = new GraphProto();
        string shape = Node(view, "Shape", "view.shape", [x]);
        string batch = Node(view, "Gather", "view.batch", [shape, Int64Initializer(g, "view.zero", [0])], Int("axis", 0));
        string unsqueezed = Node(view, "Unsqueeze", "view.unsqueezed", [batch, Int64Initializer(g, "view.axes", [0], 1)]);
        string target = Node(view, "Concat", "view.target", [unsqueezed, Int64Initializer(g, "view.rest", [-1], 1)], Int("axis", 0));
        Node(view, "Reshape", y, [x, target]);
        g.Node.RemoveAt(at);
        for (int i = 0; i < view.Node.Count; i++) g.Node.Insert(at + i, view.Node[i]);
    }

    /// <summary>A digits network trained for 5 epochs by elr train (seconds), as the model another tool would have trained.</summary>
    private string TrainDigits()
    {
        string trained = PathOf("digits.elr");
        DigitsReference.Train(trained);
        return trained;
    }

    /// <summary><paramref name="model"/> compressed briefly (SVD, 2×, two LC steps) on the data set it records, digits (no --dataset:
    /// the default); the compressed file's path.</summary>
    private string Compressed(string model)
    {
        string compressed = PathOf("compressed-" + Path.GetFileName(model));
        ToolResult compress = Tool.Elr("compress", model, "--method", "svd", "--target-ratio", "2", "--steps", "2", "--threads", "1", "-o", compressed);
        Assert.True(compress.ExitCode == 0, compress.Error);
        return compressed;
    }

    /// <summary>The "accuracy 97.21% (349/359)" elr eval printed.</summary>
    private static string Accuracy(ToolResult eval) => System.Text.RegularExpressions.Regex.Match(eval.Output, @"accuracy \d+\.\d\d% \([\d,]+/[\d,]+\)").Value;

    /// <summary>The runtime's outputs for a fixture's input file.</summary>
    private static float[] Outputs(string model, string fixture)
    {
        byte[] bytes = File.ReadAllBytes(Tool.Fixture(fixture + ".input.f32"));
        float[] input = new float[bytes.Length / sizeof(float)];
        Buffer.BlockCopy(bytes, 0, input, 0, bytes.Length);
        using var session = InferenceSession.Load(model, new SessionOptions { MaxBatchSize = 64 });
        int batch = input.Length / session.InputLength;
        var output = new float[batch * session.OutputLength];
        session.Run(input, output, batch);
        return output;
    }
}
