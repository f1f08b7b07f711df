using System.CommandLine;
using EdgeLowRank.Onnx;
using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.Layers;
using Ort = Microsoft.ML.OnnxRuntime;

namespace EdgeLowRank.Peers.Bench;

/// <summary>
/// <c>compare NET.onnx [--model NET.elr] [--input-mean M --input-std S] [--samples N] [--tolerance T] [--seed S]</c>: a user's
/// own ONNX file run by ONNX Runtime and its import run by the runtime on the same random samples, the outputs compared as
/// the importer's tests compare them (largest difference relative to ONNX Runtime's largest output, 1e-5 by default) and by
/// the class each sample scores highest. Without <c>--model</c> the file is imported here, as <c>elr import-onnx</c> would
/// with the same normalization; with it, the file <c>elr import-onnx</c> wrote is run. ONNX Runtime gets each sample in its
/// own layout (channels first), normalized as the network was trained when the import folded a normalization in, and a
/// final LogSoftmax's outputs are taken back to the probabilities the import's Softmax gives.
/// </summary>
internal static class ModelComparison
{
    /// <summary>Exit code for outputs that differ by more than the tolerance.</summary>
    private const int Differ = 1;

    /// <summary>Exit code for a command that could not run: a missing file, a model that does not import, a shape mismatch.</summary>
    private const int CannotCompare = 2;

    public static int Run(string[] args)
    {
        var onnx = new Argument<FileInfo>("onnx") { Description = "The ONNX file: the network as trained, run by ONNX Runtime." };
        var model = new Option<FileInfo?>("--model") { Description = "The .elr file elr import-onnx wrote from it; without it, the file is imported here." };
        var mean = new Option<string?>("--input-mean") { Description = "The normalization's mean, as given to elr import-onnx (0.1307, or 0.485,0.456,0.406)." };
        var std = new Option<string?>("--input-std") { Description = "The normalization's standard deviation, as given to elr import-onnx." };
        var samples = new Option<int>("--samples") { Description = "Random samples in [0, 1) to run, each value a pixel.", DefaultValueFactory = _ => 64 };
        var tolerance = new Option<double>("--tolerance") { Description = "The largest difference allowed, relative to ONNX Runtime's largest output.", DefaultValueFactory = _ => 1e-5 };
        var seed = new Option<int>("--seed") { Description = "The random samples' seed.", DefaultValueFactory = _ => 1 };
        var command = new RootCommand("Compare an ONNX file run by ONNX Runtime with its import run by EdgeLowRank.") { onnx, model, mean, std, samples, tolerance, seed };
        command.SetAction(parse =>
        {
            try
            {
                return Compare(parse.GetRequiredValue(onnx), parse.GetValue(model), InputNormalization.Parse(parse.GetValue(mean), parse.GetValue(std)),
                    parse.GetValue(samples), parse.GetValue(tolerance), parse.GetValue(seed));
            }
            catch (Exception e) when (e is ComparisonException or OnnxImportException or InputNormalizationException or ModelFormatException or Ort.OnnxRuntimeException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return CannotCompare;
            }
        });
        return command.Parse(args).Invoke();
    }

    private static int Compare(FileInfo onnxFile, FileInfo? modelFile, InputNormalization? normalization, int samples, double tolerance, int seed)
    {
        if (samples < 1) throw new ComparisonException($"--samples must be at least 1, not {samples}.");
        if (!(tolerance >= 0)) throw new ComparisonException($"--tolerance must be 0 or more, not {tolerance}.");
        byte[] onnx = File.Exists(onnxFile.FullName) ? File.ReadAllBytes(onnxFile.FullName)
            : throw new ComparisonException($"{onnxFile}: no such file; give the ONNX file the network was exported to.");
        using Model imported = modelFile is null ? OnnxImporter.Import(onnx, normalization) : Load(modelFile, normalization);
        int size = imported.InputShape.ElementCount;
        float[] input = Fixtures.RandomInput(samples * size, seed);
        float[] onnxInput = OnnxLayout(input, imported.InputShape, normalization);
        float[] expected = RunOnnxRuntime(onnx, onnxInput, imported.InputShape, samples, onnxFile.Name);
        if (imported.Metadata.Properties.ContainsKey(OnnxImporter.FinalLogSoftmaxProperty))
            for (int i = 0; i < expected.Length; i++) expected[i] = MathF.Exp(expected[i]);

        using var session = new InferenceSession(imported, new SessionOptions { MaxBatchSize = samples });
        var actual = new float[samples * session.OutputLength];
        if (expected.Length != actual.Length)
            throw new ComparisonException($"ONNX Runtime gives {expected.Length / samples} outputs a sample and the runtime {session.OutputLength}; the two are not the same network.");
        session.Run(input, actual, samples);
        return Report(expected, actual, session.OutputLength, tolerance);
    }

    /// <summary>The .elr file, whose recorded normalization (from <c>elr import-onnx --input-mean/--input-std</c>) must come
    /// with the same options here: the file says it only in words.</summary>
    private static Model Load(FileInfo file, InputNormalization? normalization)
    {
        if (!File.Exists(file.FullName)) throw new ComparisonException($"{file}: no such file; give the .elr file elr import-onnx wrote, or leave --model out to import here.");
        Model model = ModelReader.Load(file.FullName);
        string? recorded = model.Metadata.InputNormalization;
        if (recorded is not null && normalization is null || recorded is null && normalization is not null)
        {
            model.Dispose();
            throw new ComparisonException(recorded is not null
                ? $"{file.Name} was imported with a normalization ({recorded}); give the same --input-mean and --input-std, so ONNX Runtime gets normalized samples."
                : $"{file.Name} was imported without a normalization; drop --input-mean and --input-std, or import it with them.");
        }
        return model;
    }

    /// <summary>The samples in ONNX's layout (channels first), normalized per channel when the import folded a normalization in.</summary>
    private static float[] OnnxLayout(float[] input, TensorShape shape, InputNormalization? normalization)
    {
        var onnxInput = new float[input.Length];
        ChannelsFirst.ToOnnxLayout(input, shape, onnxInput);
        normalization?.ApplyChannelsFirst(onnxInput, shape);
        return onnxInput;
    }

    /// <summary>ONNX Runtime's outputs for the samples: in one batch where the graph's batch axis is dynamic, one at a time
    /// where it is fixed at 1. DequantizeLinear computes q × scale in f32, as the runtime does, not ONNX Runtime's integer
    /// kernels.</summary>
    private static float[] RunOnnxRuntime(byte[] onnx, float[] onnxInput, TensorShape shape, int samples, string fileName)
    {
        using var options = new Ort.SessionOptions { GraphOptimizationLevel = Ort.GraphOptimizationLevel.ORT_ENABLE_ALL };
        options.AddSessionConfigEntry("session.disable_quant_qdq", "1");
        using var session = new Ort.InferenceSession(onnx, options);
        string inputName = session.InputNames[0], outputName = session.OutputNames[0];
        int[] dimensions = session.InputMetadata[inputName].Dimensions;
        int[] sample = ChannelsFirst.OnnxShape(shape);
        if (dimensions.Length != sample.Length + 1 || !dimensions.Skip(1).Zip(sample).All(p => p.First <= 0 || p.First == p.Second))
            throw new ComparisonException($"{fileName}: its input {inputName} is [{string.Join(", ", dimensions)}], and the import takes samples of [{string.Join(", ", sample)}] (channels first) after a batch axis.");
        int batch = dimensions[0] > 0 ? dimensions[0] : samples;
        if (batch != 1 && batch != samples)
            throw new ComparisonException($"{fileName}: its batch axis is fixed at {batch}; give --samples {batch}.");
        int size = shape.ElementCount;
        var outputs = new List<float>();
        using var run = new Ort.RunOptions();
        for (int first = 0; first < samples; first += batch)
        {
            using var value = Ort.OrtValue.CreateTensorValueFromMemory(onnxInput.AsSpan(first * size, batch * size).ToArray(), [batch, .. sample.Select(d => (long)d)]);
            using var results = session.Run(run, [inputName], [value], [outputName]);
            outputs.AddRange(results[0].GetTensorDataAsSpan<float>().ToArray());
        }
        return [.. outputs];
    }

    /// <summary>Prints the largest difference, absolute and relative to ONNX Runtime's largest output, and how many samples
    /// score the same class highest; 0 when the difference is within <paramref name="tolerance"/>.</summary>
    private static int Report(float[] expected, float[] actual, int outputs, double tolerance)
    {
        if (expected.Any(float.IsNaN) || actual.Any(float.IsNaN))
        {
            Console.WriteLine($"NaN in the outputs: ONNX Runtime {expected.Count(float.IsNaN)}, EdgeLowRank {actual.Count(float.IsNaN)}.");
            return Differ;
        }
        double scale = Math.Max(expected.Max(v => Math.Abs(v)), float.Epsilon);
        double largest = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        int samples = expected.Length / outputs, same = 0;
        for (int s = 0; s < samples; s++)
            same += OutputAgreement.ArgMax(expected.AsSpan(s * outputs, outputs)) == OutputAgreement.ArgMax(actual.AsSpan(s * outputs, outputs)) ? 1 : 0;
        bool agree = largest <= tolerance * scale;
        Console.WriteLine($"{samples} samples, {outputs} outputs each: largest |ONNX Runtime − EdgeLowRank| {largest:G3}, "
            + $"{largest / scale:0.###e+0} of the largest output ({scale:G3}); the same top class in {same} of {samples}.");
        Console.WriteLine(agree ? $"agree within {tolerance:G3}." : $"DIFFER: beyond {tolerance:G3} of the largest output.");
        return agree ? 0 : Differ;
    }

    /// <summary>A comparison that cannot run, with what to do.</summary>
    private sealed class ComparisonException(string message) : Exception(message);
}
