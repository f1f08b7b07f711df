using System.CommandLine;
using EdgeLowRank.Compressor.Cli.Display;
using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Export;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.IO;
using EdgeLowRank.Runtime.Layers;
using Spectre.Console;

namespace EdgeLowRank.Compressor.Cli.Commands;

/// <summary>
/// <c>elr quantize MODEL -o OUT.elr [--keep-float NAMES] [--activations float|dynamic [--dynamic-ops dense,conv]] [--dataset NAME | --no-eval]</c>:
/// post-training int8 quantization of the weight matrices (<see cref="WeightQuantization"/>), dense or factorized, optionally with the
/// matrix layers' inputs, or those of the kinds chosen (<see cref="DynamicOps"/>), quantized as they run
/// (<see cref="ActivationQuantization.Dynamic"/>), and the test accuracy of both files
/// measured by the runtime, so the cost of the smaller file is a number before it goes to the board.
/// </summary>
internal static class QuantizeCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var model = new Argument<FileInfo>("model") { Description = "The .elr file to quantize (from elr train or elr compress)." };
        var output = new Option<FileInfo>("--output", "-o") { Description = "The int8 .elr file to write.", Required = true };
        var keepFloat = new Option<string?>("--keep-float") { Description = "Layers to keep f32, by name as `elr inspect` lists them, comma-separated (e.g. fc3)." };
        var activations = new Option<string>("--activations")
        {
            Description = "float (the default): weight-only, inputs and arithmetic stay f32; dynamic: every Dense, FactorizedDense, Conv2d and FactorizedConv2d "
                + "layer with int8 weights (or those of the kinds --dynamic-ops names) also quantizes each sample's inputs to uint8 as it runs (a convolution's with one scale per image) and multiplies "
                + "in integers (TensorFlow Lite's dynamic-range quantization, ONNX Runtime's quantize_dynamic). Depthwise convolutions stay weight-only either way.",
            DefaultValueFactory = _ => "float",
        };
        var dynamicOps = new Option<string?>("--dynamic-ops")
        {
            Description = "With --activations dynamic, which layers multiply in integers, comma-separated: dense (Dense, FactorizedDense), conv (Conv2d, "
                + "FactorizedConv2d); default dense,conv. The others stay weight-only. Integer convolutions are slower than f32 ones on x64 CPUs without VNNI, "
                + "where integer dense layers are still faster: dense leaves the convolutions weight-only (ONNX Runtime's op_types_to_quantize).",
        };
        var dataset = SharedOptions.DatasetOrRecorded();
        var noEval = new Option<bool>("--no-eval") { Description = "Do not measure the accuracy of either file (no data set needed)." };
        var log = new Option<FileInfo?>("--log") { Description = "Write a JSON log of the run here: sizes, errors, every matrix." };
        var threads = SharedOptions.MeasuringThreads();
        var command = new Command("quantize", "Store a model's weight matrices as int8 with one scale per column (about 4× smaller), and measure the accuracy it costs.")
        {
            model, output, keepFloat, activations, dynamicOps, dataset, noEval, log, threads,
        };
        command.SetAction((parse, cancellationToken) => Task.Run(() =>
        {
            InapplicableOptions.Check(parse, new InapplicableOptions.Rule(threads, !parse.GetValue(noEval), "to measure the accuracy, without --no-eval"));
            ActivationQuantization form = ParseActivations(parse.GetRequiredValue(activations));
            return Quantize(parse.GetRequiredValue(model), parse.GetRequiredValue(output), Names(parse.GetValue(keepFloat)), form,
                ParseDynamicOps(parse.GetValue(dynamicOps), form), parse.GetValue(dataset), parse.GetValue(noEval), parse.GetValue(log),
                parse.GetRequiredValue(threads), cancellationToken);
        }, CancellationToken.None));
        return command;
    }

    /// <summary>The layer names of --keep-float; an empty entry is refused, as --keep-dense refuses one.</summary>
    private static string[] Names(string? text)
    {
        if (text is null) return [];
        string[] names = text.Split(',', StringSplitOptions.TrimEntries);
        return names.Any(n => n.Length == 0)
            ? throw new UsageException($"--keep-float takes layer names separated by commas (such as fc3, or conv1,fc3), not '{text}': an entry is empty.")
            : names;
    }

    /// <summary>--activations: float or dynamic. Static (calibrated) quantization of the activations is named, so its user learns
    /// that it is missing rather than that the word is unknown.</summary>
    private static ActivationQuantization ParseActivations(string text) => text.ToLowerInvariant() switch
    {
        "float" => ActivationQuantization.Float,
        "dynamic" => ActivationQuantization.Dynamic,
        "static" => throw new UsageException("--activations static (activation ranges calibrated on data, as TensorFlow Lite's full-integer quantization) "
            + "is not supported; --activations dynamic quantizes each sample's inputs as the layer runs and needs no calibration."),
        _ => throw new UsageException($"--activations takes float (weight-only, the default) or dynamic (inputs quantized to uint8 as each matrix layer runs), not '{text}'."),
    };

    /// <summary>--dynamic-ops: dense, conv or both, comma-separated (<see cref="DynamicOps.All"/> when not given). Refused with
    /// --activations float, where no layer multiplies in integers and the choice would be silently ignored.</summary>
    private static DynamicOps ParseDynamicOps(string? text, ActivationQuantization activations)
    {
        if (text is null) return DynamicOps.All;
        if (activations != ActivationQuantization.Dynamic)
            throw new UsageException($"--dynamic-ops {text} chooses which layers multiply in integers under --activations dynamic, but --activations is float "
                + "(weight-only: no layer does), so it would be ignored; add --activations dynamic, or drop --dynamic-ops.");
        DynamicOps ops = 0;
        foreach (string entry in text.Split(',', StringSplitOptions.TrimEntries))
            ops |= entry.ToLowerInvariant() switch
            {
                "dense" => DynamicOps.Dense,
                "conv" => DynamicOps.Convolution,
                "" => throw new UsageException($"--dynamic-ops takes dense, conv or dense,conv, not '{text}': an entry is empty."),
                _ => throw new UsageException($"--dynamic-ops takes dense (Dense and FactorizedDense layers), conv (Conv2d and FactorizedConv2d) or both, "
                    + $"comma-separated, not '{entry}'."),
            };
        return ops;
    }

    /// <summary>The command's work, also the demo's quantization step: checks, quantizes, measures (unless
    /// <paramref name="noEval"/>), writes <paramref name="output"/> and prints the per-matrix table and the summary.</summary>
    internal static int Quantize(FileInfo file, FileInfo output, string[] keepFloat, ActivationQuantization activations, DynamicOps dynamicOps,
        string? datasetName, bool noEval, FileInfo? log, int threads, CancellationToken cancellationToken)
    {
        if (noEval && datasetName is not null) throw new UsageException("--no-eval measures nothing, so --dataset would be ignored; give one or the other.");
        SharedOptions.RequireThreads(threads);
        FilePaths.RequireOutput(output.ToString(), "-o");
        if (log is not null) FilePaths.RequireOutput(log.ToString(), "--log");
        FilePaths.RequireInput(file.ToString(), "MODEL", $"train one with 'elr train ... -o {file.Name}'");
        string? modelSha256 = log is null ? null : FileSha256.Of(file.FullName);   // as it is read, for the log
        using Model model = ModelReader.Load(file.FullName);
        DatasetInfo? named = datasetName is null ? null : GivenDataset.Resolve(datasetName, ModelFit.ClassesOf(model));
        DatasetInfo? info = noEval ? null : RecordedDataset.GivenOrRecorded(file.Name, model.Metadata, named, "to measure the accuracy, or --no-eval");
        FilePaths.RequireDistinctOutputs([("MODEL", file.FullName), .. info is null ? [] : DatasetFiles.Of(info)],
            [("-o", output.FullName), ("--log", log?.FullName)]);
        if (info is not null)
        {
            RecordedDataset.RequireFit(file.Name, model, info);
        }

        Model quantized;
        IReadOnlyList<WeightQuantization.MatrixReport> report;
        try
        {
            (quantized, report) = WeightQuantization.Apply(model, keepFloat, activations, dynamicOps);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"{file.Name}: {e.Message}");
        }
        GivenDataset.NoteTaken(datasetName, model.Metadata);
        using (quantized)
        {
            (double Float, double Int8)? accuracy = info is null ? null : Measure(model, quantized, info, threads, cancellationToken);
            // The same layers (managed memory, owned by no file) under the metadata with both accuracies and the data set they
            // were measured on.
            var written = accuracy is var (before, after)
                ? new Model(quantized.InputShape, quantized.Layers, RecordedDataset.Recording(WeightQuantization.WithAccuracy(quantized.Metadata, before, after), info!))
                : quantized;
            byte[] bytes = ModelWriter.ToArray(written);
            long floatBytes = file.Length, int8Bytes = bytes.Length;
            ModelWithLog.Write(output.FullName, bytes, log?.FullName, outputSha256 =>
                QuantizationLog.Of(file.FullName, modelSha256!, output.FullName, outputSha256, info?.Name, activations, dynamicOps, floatBytes, int8Bytes, accuracy, report));
            Print(report, WeightQuantization.FloatOnlyLayers(model), file.Name, floatBytes, output, int8Bytes, accuracy, info, activations);
        }
        return 0;
    }

    /// <summary>Both models' test accuracy, each through the runtime session, as elr eval measures it.</summary>
    private static (double Float, double Int8) Measure(Model f32, Model int8, DatasetInfo info, int threads, CancellationToken cancellationToken)
    {
        Dataset test = FetchProgressDisplay.LoadTest(info, cancellationToken).Test;
        return (EvalCommand.Accuracy(f32, test, threads, cancellationToken), EvalCommand.Accuracy(int8, test, threads, cancellationToken));
    }

    private static void Print(IReadOnlyList<WeightQuantization.MatrixReport> report, string[] floatOnly, string input, long before, FileInfo output,
        long after, (double Float, double Int8)? accuracy, DatasetInfo? info, ActivationQuantization activations)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (string column in new[] { "layer", "matrix", "shape", "f32 bytes", "int8 bytes", "‖W−Ŵ‖/‖W‖", "inputs" })
            table.AddColumn(new TableColumn(column));
        foreach (var r in report)
            table.AddRow(r.Layer, r.Matrix, $"{r.Rows}×{r.Columns}", r.BytesBefore.ToString("N0"), r.BytesAfter.ToString("N0"), r.RelativeError.ToString("P3"),
                r.DynamicInputs ? "dynamic uint8" : "f32");
        AnsiConsole.Write(table);
        if (floatOnly.Length > 0)
            AnsiConsole.MarkupLine(Markup.Escape($"{string.Join(", ", floatOnly)}: depthwise filters, no matrix, stay f32"));
        string measured = accuracy is var (f, q)
            ? $"; test error on {info!.Name} {1 - f:P2} (f32) → {1 - q:P2} ({Form(activations)}), a change of {(f - q) * 100:+0.00;-0.00;0.00} points"
            : "; accuracy not measured (--no-eval)";
        AnsiConsole.MarkupLine(Markup.Escape($"{input} {before:N0} bytes → {output.Name} {after:N0} bytes ({(double)before / after:F2}× smaller){measured}; wrote {output.FullName}"));
        // Said here because a trial quantized a convolutional network this way and found it 2.1× slower than f32 on one build
        // of the runtime and 0.67× on another, with nothing on the way to tell it to measure.
        if (activations == ActivationQuantization.Dynamic)
            AnsiConsole.MarkupLine(Markup.Escape("note: whether integer products run faster than f32 depends on the CPU, the build and the layer: they need an "
                + "int8 dot product (x64's AVX-VNNI, arm64's sdot in a Pi 5 build) and f32 kernels no wider than it (an x86-64-v4 build's 512-bit ones "
                + "are), and convolutions gain least (--dynamic-ops dense keeps them f32); time both files on the target with elr-run bench --per-layer."));
    }

    /// <summary>How the summary names the quantized file's arithmetic.</summary>
    private static string Form(ActivationQuantization activations) =>
        activations == ActivationQuantization.Dynamic ? "int8, dynamic uint8 inputs" : "int8";
}
