using System.CommandLine;
using EdgeLowRank.Compressor.Cli.Display;
using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Export;
using EdgeLowRank.Onnx;
using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.IO;
using EdgeLowRank.Runtime.Layers;
using Spectre.Console;

namespace EdgeLowRank.Compressor.Cli.Commands;

/// <summary>
/// <c>elr export-onnx MODEL -o OUT.onnx [--int8 dequantize|float|dynamic]</c> and <c>elr import-onnx MODEL.onnx -o OUT.elr
/// [--dataset NAME [--no-eval | --threads N]] [--input-mean M --input-std S]</c>: a compressed model taken to any ONNX engine, and a classifier trained
/// elsewhere (PyTorch, Keras) brought in, with the normalization it was trained with folded into its first layer, to be
/// evaluated, compressed and quantized like one elr trained.
/// </summary>
internal static class OnnxCommands
{
    /// <summary>The export command.</summary>
    public static Command Export()
    {
        var model = new Argument<FileInfo>("model") { Description = "The .elr file to export." };
        var output = new Option<FileInfo>("--output", "-o") { Description = "The .onnx file to write.", Required = true };
        var int8 = new Option<string?>("--int8")
        {
            Description = "How int8 weight matrices are written: dequantize (int8 values and scales behind a DequantizeLinear, the file stays small), "
                + "float (their f32 values), dynamic (as ONNX Runtime's quantize_dynamic writes dense layers and convolutions: integer kernels, activations quantized too). "
                + "Without it, each layer as the runtime computes it: dynamic for the layers elr quantize --activations dynamic made, dequantize for the others.",
        };
        var command = new Command("export-onnx", $"Write a model as an ONNX graph (opset {OnnxExporter.Opset}, images channels-first) that ONNX engines run.") { model, output, int8 };
        command.SetAction(parse => ExportModel(parse.GetRequiredValue(model), parse.GetRequiredValue(output), ParseInt8(parse.GetValue(int8))));
        return command;
    }

    /// <summary>The import command.</summary>
    public static Command Import()
    {
        var model = new Argument<FileInfo>("model") { Description = "The .onnx file: an image classifier, a chain of nodes from one input to one output (the operators taken: docs/ONNX.md)." };
        var output = new Option<FileInfo>("--output", "-o") { Description = "The .elr file to write.", Required = true };
        var dataset = new Option<string?>("--dataset")
        {
            Description = $"The data set the model classifies ({SharedOptions.DatasetChoices}): checked against the model's shapes and recorded, "
                + "so elr eval and quantize need not be told again, and elr compress refuses another; the model's test accuracy on it is measured "
                + "and recorded too, unless --no-eval.",
        };
        // The data set is wanted for more than the measurement (the check and the record), so skipping the measurement alone
        // is a flag of its own, named as quantize names it.
        var noEval = new Option<bool>("--no-eval") { Description = "With --dataset: check the model against the data set and record it, but do not measure "
            + "the test accuracy (which takes the whole test set through the model); the file then records no accuracy (but the one an ONNX file of elr export-onnx carries, unless --input-mean/--input-std change the network)." };
        var threads = SharedOptions.MeasuringThreads();
        var mean = new Option<string?>("--input-mean")
        {
            Description = "The mean the network's inputs were normalized with outside its graph, one for all channels or one per channel "
                + "separated by commas (0.1307 for PyTorch's MNIST transforms.Normalize((0.1307,), (0.3081,)); 0.485,0.456,0.406 for ImageNet's); "
                + "taken in by the first layer, so the model takes pixels in [0, 1]. Needs --input-std.",
        };
        var std = new Option<string?>("--input-std") { Description = "The standard deviation that goes with --input-mean, in the same form (0.3081 for MNIST; 0.229,0.224,0.225 for ImageNet)." };
        var pixelMax = new Option<int?>("--pixel-max")
        {
            Description = "The full scale of the integer pixels the network was trained on, each fed to it as p / N (255 for 8-bit images, 16 for the UCI digits): "
                + "recorded as input.pixel-max, so elr-run divides uint8 input by it. --dataset records its data set's; give this without --dataset.",
        };
        var command = new Command("import-onnx", "Read an ONNX image classifier (from PyTorch, Keras, …) into a .elr model for elr eval, compress and quantize.")
        {
            model, output, dataset, noEval, threads, mean, std, pixelMax,
        };
        // On a worker, as eval runs: Ctrl+C while the accuracy is measured (or MNIST first fetched) then cancels the work cleanly.
        command.SetAction((parse, cancellationToken) => Task.Run(() =>
        {
            bool measures = parse.GetValue(dataset) is not null && !parse.GetValue(noEval);
            InapplicableOptions.Check(parse, new(noEval, parse.GetValue(dataset) is not null, "with --dataset, whose accuracy it skips"),
                new(threads, measures, "to measure the accuracy, with --dataset and without --no-eval"));
            return ImportModel(parse.GetRequiredValue(model), parse.GetRequiredValue(output), parse.GetValue(dataset), measures,
                Normalization(parse.GetValue(mean), parse.GetValue(std)), parse.GetRequiredValue(threads), parse.GetValue(pixelMax), cancellationToken);
        }, CancellationToken.None));
        return command;
    }

    /// <summary>--int8, or null when absent: each layer's int8 matrices as the layer computes.</summary>
    private static Int8Export? ParseInt8(string? text) => text?.ToLowerInvariant() switch
    {
        null => null,
        "dequantize" => Int8Export.Dequantize,
        "float" => Int8Export.Float,
        "dynamic" => Int8Export.Dynamic,
        _ => throw new UsageException($"--int8 takes dequantize, float or dynamic, not '{text}'."),
    };

    private static int ExportModel(FileInfo file, FileInfo output, Int8Export? int8)
    {
        FilePaths.RequireOutput(output.ToString(), "-o");
        FilePaths.RequireInput(file.ToString(), "MODEL", $"train one with 'elr train ... -o {file.Name}'");
        FilePaths.RequireDistinctOutputs([("MODEL", file.FullName)], [("-o", output.FullName)]);
        using Model model = ModelReader.Load(file.FullName);
        bool hasInt8 = model.Layers.SelectMany(l => l.WeightMatrices).Any(m => m.ElementType == ElementType.Int8);
        if (int8 is { } form && !hasInt8)
            throw new UsageException($"--int8 {form.ToString().ToLowerInvariant()} says how to write int8 weight matrices, and {file.Name} has none (every matrix is f32), "
                + $"so it would be ignored; drop --int8, or quantize the model first (elr quantize {file.Name} -o SMALL.elr).");
        (ModelMetadata metadata, string? note) = ExportedMetadata.For(model, int8);
        // The layers whose int8 matrices go behind a DequantizeLinear, which ONNX Runtime fuses unless told not to.
        bool dequantized = int8 == Int8Export.Dequantize
            || int8 is null && model.Layers.Any(l => l.InputQuantization == InputQuantization.None && l.WeightMatrices.Any(m => m.ElementType == ElementType.Int8));
        // The same layers under the metadata of the graph written.
        AtomicFile.Write(output.FullName, OnnxExporter.Export(new Model(model.InputShape, model.Layers, metadata), int8));
        string input = ChannelsFirst.IsImage(model.InputShape) ? $"N×{string.Join("×", ChannelsFirst.OnnxShape(model.InputShape))} (channels-first)" : $"N×{model.InputShape}";
        AnsiConsole.MarkupLine(Markup.Escape($"{file.Name} ({file.Length:N0} bytes) → {output.Name} ({new FileInfo(output.FullName).Length:N0} bytes), ONNX opset {OnnxExporter.Opset}, "
            + $"input '{OnnxExporter.InputName}' {input}, output '{OnnxExporter.OutputName}' N×{model.OutputShape}"
            + (hasInt8 ? ", int8 matrices " + Int8Form(int8, model) : "") + $"; wrote {output.FullName}"));
        if (note is not null) AnsiConsole.MarkupLine(Markup.Escape($"note: {note}"));
        if (InputNote(model) is { } inputNote) AnsiConsole.MarkupLine(Markup.Escape(inputNote));
        if (dequantized)
            AnsiConsole.MarkupLine(Markup.Escape("ONNX Runtime: give the session the config entry session.disable_quant_qdq = 1 to run it as fast as f32 "
                + "with the runtime's arithmetic; by default it fuses DequantizeLinear into slower integer kernels (docs/ONNX.md)."));
        return 0;
    }

    /// <summary>For a model imported with --input-mean/--input-std, what its graph takes: unnormalized pixels, the normalization
    /// inside it (where the network as trained took normalized pixels, which the file otherwise says only in its metadata);
    /// null for any other model. The pixels' range is the one the mean and std were given for, which the file does not
    /// record: [0, 1] for elr's data sets and PyTorch's ToTensor, 0–255 for a mean of 127.5.</summary>
    private static string? InputNote(Model model)
    {
        if (model.Metadata.InputNormalization is not { } recorded) return null;
        // "(x - 0.1307) / 0.3081, kept as …" or "…, folded into the first layer; …": the lists within are comma-separated without spaces.
        string formula = recorded.Split(", ")[0];
        string where = model.Layers is [DepthwiseConv2dLayer first, ..] && OnnxExporter.IsKeptNormalization(model, first) ? "its first nodes, a Mul and an Add"
            : OnnxImporter.KeepsNormalizationLayer(model.Metadata) ? "its first node, a 1×1 depthwise Conv"
            : "folded into the first layer";
        return $"input: unnormalized pixels, on the scale the mean and std were given for ([0, 1] for elr's data sets); the normalization {formula} "
            + $"is inside the graph ({where}): give it the pixels, not normalized ones, which the network took as trained (import.input-normalization in its metadata).";
    }

    /// <summary>--input-mean and --input-std, both or neither, as comma-separated numbers.</summary>
    private static InputNormalization? Normalization(string? mean, string? std)
    {
        try
        {
            return InputNormalization.Parse(mean, std);
        }
        catch (InputNormalizationException e)
        {
            throw new UsageException(e.Message);
        }
    }

    private static string Int8Form(Int8Export? int8, Model model) => int8 switch
    {
        null when model.Layers.Any(l => l.InputQuantization == InputQuantization.Dynamic) =>
            "as the runtime computes them: of the layers with dynamic inputs as quantize_dynamic writes them (DynamicQuantizeLinear, MatMulInteger or ConvInteger), "
            + "of any other behind DequantizeLinear",
        null or Int8Export.Dequantize => "as int8 behind DequantizeLinear",
        Int8Export.Float => "as their f32 values",
        _ => "as dynamic quantization (DynamicQuantizeLinear, MatMulInteger or ConvInteger)",
    };

    /// <summary>What to say of an accuracy no better than twice chance's (one class in K), or null: a trial imported a net
    /// trained on normalized pixels without --input-mean/--input-std and was told only the general note, at 9.74%.</summary>
    internal static string? ChanceLevelWarning(double accuracy, DatasetInfo info)
    {
        int classes = info.ClassNames.Count;
        if (classes < 2 || accuracy > 2.0 / classes) return null;
        return $"the imported model's test accuracy, {accuracy:P2}, is about chance's ({1.0 / classes:P2}, one class in {classes}): it may not see the "
            + "inputs it was trained on. A network trained on normalized pixels (PyTorch's transforms.Normalize) needs the same numbers as "
            + "--input-mean and --input-std (0.1307 and 0.3081 for MNIST); check the pixel scale (--pixel-max) and the channel order too.";
    }

    /// <summary>The test accuracy of <paramref name="model"/> as elr eval measures it, through the runtime on <paramref name="threads"/> threads.</summary>
    private static double TestAccuracy(Model model, DatasetInfo info, int threads, CancellationToken cancellationToken)
    {
        Dataset test = FetchProgressDisplay.LoadTest(info, cancellationToken).Test;
        Console.Error.WriteLine($"elr: measuring the test accuracy on {test.Count:N0} images of {info.Name}, {threads} thread{(threads == 1 ? "" : "s")} (--no-eval skips it)");
        return EvalCommand.Accuracy(model, test, threads, cancellationToken);
    }

    /// <summary><paramref name="metadata"/> recording --pixel-max <paramref name="pixelMax"/>, which the file may already
    /// record (an ONNX file of elr export-onnx carries its model's metadata): another scale there is refused.</summary>
    private static ModelMetadata WithPixelMax(string fileName, ModelMetadata metadata, int pixelMax)
    {
        if (metadata.InputPixelMax is int recorded && recorded != pixelMax)
            throw new UsageException($"--pixel-max {pixelMax} disagrees with {fileName}, which records input.pixel-max = {recorded} (its network was trained on pixels 0–{recorded}); drop --pixel-max.");
        var properties = new Dictionary<string, string>(metadata.Properties);
        ExportMetadata.RecordInputScale(properties, pixelMax);
        return metadata with { Properties = properties };
    }

    private static int ImportModel(FileInfo file, FileInfo output, string? datasetName, bool measure, InputNormalization? normalization, int threads,
        int? pixelMax, CancellationToken cancellationToken)
    {
        SharedOptions.RequireThreads(threads);
        if (pixelMax is < 1 or > ushort.MaxValue)
            throw new UsageException($"--pixel-max must be 1 to {ushort.MaxValue:N0} (255 for 8-bit images), not {pixelMax:N0}.");
        FilePaths.RequireOutput(output.ToString(), "-o");
        FilePaths.RequireInput(file.ToString(), "MODEL", "export one from PyTorch with torch.onnx.export, or from elr with elr export-onnx");
        FilePaths.RequireDistinctOutputs([("MODEL", file.FullName)], [("-o", output.FullName)]);
        DatasetInfo? info = null;
        Model model;
        string? logSoftmax;
        bool recordsScale;
        string? chanceLevel = null;
        try
        {
            model = OnnxImporter.Import(File.ReadAllBytes(file.FullName), normalization);
        }
        catch (OnnxImportException e)
        {
            throw new InputException($"{file.Name}: {e.Message}");
        }
        catch (InputNormalizationException e)
        {
            throw new UsageException($"{file.Name}: {e.Message}");
        }
        using (model)
        {
            logSoftmax = model.Metadata.Properties.GetValueOrDefault(OnnxImporter.FinalLogSoftmaxProperty);
            // A name for the network (elr compress and its log call it by it; another tool's file records none), and the data set.
            ModelMetadata metadata = model.Metadata.Properties.ContainsKey(ExportMetadata.ModelNameProperty)
                ? model.Metadata
                : model.Metadata with
                {
                    Properties = new Dictionary<string, string>(model.Metadata.Properties) { [ExportMetadata.ModelNameProperty] = Path.GetFileNameWithoutExtension(file.Name) },
                };
            if (datasetName is not null)
            {
                // Opened once the model is read: a folder without classes.txt takes the model's classes.
                info = GivenDataset.Resolve(datasetName, ModelFit.ClassesOf(model));
                RecordedDataset.RequireFit(file.Name, model, info);
                if (pixelMax is int given && info.IntegerPixelMax is int own && given != own)
                    throw new UsageException($"--pixel-max {given} disagrees with {info.Name}, whose pixels are integers 0–{own}, recorded with --dataset; drop --pixel-max.");
            }
            if (pixelMax is int scale) metadata = WithPixelMax(file.Name, metadata, scale);
            if (info is not null)
            {
                // Once nothing can refuse the data set any more.
                GivenDataset.NoteTaken(datasetName, metadata);
                metadata = RecordedDataset.Recording(metadata, info);
            }
            if (measure)
            {
                // Measured here, the accuracy shows at once a normalization or preprocessing that differs from the training's,
                // which otherwise imports without a word (a LeNet-5 imported without --input-mean/--input-std: 1.25% error, not 0.86%).
                double accuracy = TestAccuracy(model, info!, threads, cancellationToken);
                chanceLevel = ChanceLevelWarning(accuracy, info!);
                // A compressed model exported by elr records its dense reference's accuracy: keep it.
                metadata = metadata with { Accuracy = accuracy, ReferenceAccuracy = metadata.ReferenceAccuracy ?? accuracy };
            }
            recordsScale = metadata.InputPixelMax is not null;
            var written = new Model(model.InputShape, model.Layers, metadata);
            try
            {
                ModelWriter.Write(written, output.FullName);
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException)
            {
                throw new InputException($"{file.Name} cannot be stored as a .elr file: {e.Message}");
            }
        }
        InspectCommand.Inspect(output);
        if (chanceLevel is not null) Console.Error.WriteLine($"elr: warning: {chanceLevel}");
        if (measure)
            AnsiConsole.MarkupLine(Markup.Escape($"note: the accuracy above is the runtime's on the test images of {info!.Name}; it should be the accuracy the network "
                + "had where it was trained: if it is lower, the inputs differ from the training's (its --input-mean/--input-std, or other preprocessing)."));
        if (logSoftmax is not null)
            AnsiConsole.MarkupLine(Markup.Escape($"note: the graph ends with a LogSoftmax, which the runtime does not have; it was {logSoftmax}."));
        // Said here, where it can still be given: without it elr-run and libelr read bytes as 0–255, wrong for another scale.
        if (!recordsScale)
            AnsiConsole.MarkupLine(Markup.Escape("note: the model records no scale of integer pixels, so elr-run and libelr will read uint8 input as p / 255; "
                + "if the network was trained on pixels of another full scale (the UCI digits' 0–16), import it again with --pixel-max N or --dataset."));
        // Both sizes: the .elr file may be far larger than the ONNX one (a narrow matrix too tall to pack at load is stored as
        // padded panels; a verification trial's 8.8 MB graph became a 140.8 MB file, said nowhere).
        AnsiConsole.MarkupLine(Markup.Escape($"imported {file.Name} ({file.Length:N0} bytes); wrote {output.FullName} ({new FileInfo(output.FullName).Length:N0} bytes)"));
        return 0;
    }
}
