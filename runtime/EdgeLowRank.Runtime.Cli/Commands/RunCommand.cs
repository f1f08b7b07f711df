using ConsoleAppFramework;
using EdgeLowRank.Runtime.Cli.Inputs;
using EdgeLowRank.Runtime.Cli.Reporting;
using EdgeLowRank.Runtime.Cli.Scoring;
using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.IO;
using EdgeLowRank.Runtime.Layers;
using EdgeLowRank.Runtime.Scoring;

namespace EdgeLowRank.Runtime.Cli.Commands;

/// <summary>`elr-run run`: inference on the samples of a file.</summary>
internal sealed class RunCommand
{
    /// <summary>Runs a model on every sample of an input file and prints the top classes, writes the outputs, or checks them; --json for a program.</summary>
    /// <param name="model">The .elr model file.</param>
    /// <param name="input">-i, Input samples: .npy (f32, f64, u8), IDX (u8, f32) or raw little-endian f32.</param>
    /// <param name="top">-k, How many classes to print per sample; with --labels, also the k of the top-k accuracy.</param>
    /// <param name="output">-o, Write all outputs to this file: NumPy .npy (float32, shape samples × outputs) when it ends in .npy, else raw little-endian f32.</param>
    /// <param name="expect">Compare the outputs with this file (raw f32 or .npy, as --input reads them); exit 4 on a mismatch.</param>
    /// <param name="rtol">With --expect: the largest allowed |output − expected| relative to the sample's largest |expected|.</param>
    /// <param name="limit">Run only the first N samples (0: all).</param>
    /// <param name="batch">-b, Samples per inference call (0: all samples in one call).</param>
    /// <param name="quiet">-q, Do not print per-sample classes.</param>
    /// <param name="labels">A .npy of one integer label per input sample (as elr data export writes): print the accuracy of the samples run
    /// (top-1, and top-k for a --top k below the model's classes) and each sample's label beside its classes.</param>
    /// <param name="wrongOnly">With --labels: print the lines of the wrongly classified samples only.</param>
    /// <param name="confusion">With --labels: print the confusion matrix (true classes × classes predicted) with each class's
    /// recall and precision; above 20 classes, a table of those and the most frequent confusions.</param>
    /// <param name="pixelMax">The full scale of uint8 input pixels, each fed as p / N (0: the one the model records, as
    /// input.pixel-max in elr-run info; 255 when it records none).</param>
    /// <param name="json">Print the result as JSON instead of text: the accuracy with --labels (and each class's recall and
    /// precision with --confusion), each sample's top classes unless --quiet, the --expect comparison.</param>
    public int Run([Argument] string model, string input, int top = 3, string? output = null, string? expect = null,
        double rtol = 1e-5, int limit = 0, int batch = 0, bool quiet = false, string? labels = null, bool wrongOnly = false, bool confusion = false,
        int pixelMax = 0, bool json = false) => Guard.Run(() =>
    {
        if (pixelMax is < 0 or > ushort.MaxValue) throw new CliException($"--pixel-max must be 0 (the model's) or 1 to {ushort.MaxValue:N0}, not {pixelMax:N0}.", ExitCodes.Usage);
        if (top < 1) throw new CliException($"--top must be at least 1, not {top}.", ExitCodes.Usage);
        if (limit < 0) throw new CliException($"--limit must be 0 (all) or positive, not {limit}.", ExitCodes.Usage);
        if (batch is < 0 or > BenchSettings.MaxBatch) throw new CliException($"--batch must be 0 (all at once) or 1 to {BenchSettings.MaxBatch:N0}, not {batch:N0}.", ExitCodes.Usage);
        if (!(rtol >= 0 && double.IsFinite(rtol))) throw new CliException($"--rtol must be a finite number ≥ 0, not {rtol}.", ExitCodes.Usage);
        FilePaths.RequireInput(model, "MODEL");
        // Not "'-' does not exist": the user meant standard input, which a run reads whole and sizes first, so it takes files.
        if (input == "-")
            throw new CliException("--input -: elr-run reads its samples from a file, not from standard input (it sizes and checks them before the run); "
                + "write them to a .npy, IDX or raw f32 file first, for a camera pipeline one file per frame or batch.", ExitCodes.Usage);
        FilePaths.RequireInput(input, "--input");
        if (expect is not null) FilePaths.RequireInput(expect, "--expect");
        if (labels == "-") throw new CliException("--labels -: elr-run reads labels from a file, not from standard input; give a .npy of integers or an IDX file of bytes.", ExitCodes.Usage);
        if (labels is not null) FilePaths.RequireInput(labels, "--labels");
        FilePaths.RequireDistinctOutputs([("MODEL", model), ("--input", input), ("--expect", expect), ("--labels", labels)], [("--output", output)]);
        if (output is not null)
        {
            // The path first, as profile --output does: a folder is a file error, whatever its name.
            FilePaths.RequireOutput(output, "--output");
            if (output.EndsWith(".elr", StringComparison.OrdinalIgnoreCase))
                throw new CliException($"--output: the outputs are numbers, not a model; give a name ending in .f32 (raw) or .npy, not '{output}'.", ExitCodes.Usage);
        }

        using Model loaded = ModelReader.Load(model);
        int inputLength = loaded.InputShape.ElementCount;
        float[] samples = InputFile.Read(input, inputLength, "the model's input", loaded.InputShape, PixelScale.For(loaded.Metadata, pixelMax));
        int inputCount = samples.Length / inputLength;
        int count = limit > 0 ? Math.Min(inputCount, limit) : inputCount;
        int step = batch == 0 ? count : batch;
        // Sized for this run's passes, the default 64 at most: one sample of a model with large activations needs one
        // sample's arena (a trial's 2 KB model asked 2.5 GB for passes of 64), and a model that cannot hold 64 in one pass still runs.
        int passes = InferenceSession.FittingBatchSize(loaded, Math.Max(1, Math.Min(Math.Min(step, count), SessionOptions.DefaultMaxBatchSize)));
        using var session = new InferenceSession(loaded, new SessionOptions { MaxBatchSize = passes });
        // Read and sized now, so a wrong --expect fails before the run and before --output is replaced.
        float[]? expected = expect is null ? null : ExpectedOutputs(expect, session.OutputLength, count, inputCount, limit);
        long[]? truth = labels is null ? null : LabelFile.Read(labels, inputCount, count, session.OutputLength);
        var outputs = new float[count * session.OutputLength];
        for (int start = 0; start < count; start += step)
        {
            int n = Math.Min(step, count - start);
            session.Run(samples.AsSpan(start * session.InputLength, n * session.InputLength), outputs.AsSpan(start * session.OutputLength, n * session.OutputLength), n);
        }

        WarnOfNonFinite("input", samples.AsSpan(0, count * session.InputLength), session.InputLength);
        WarnOfNonFinite("output", outputs, session.OutputLength);
        if (expected is not null) WarnOfNonFinite("expected", expected.AsSpan(0, outputs.Length), session.OutputLength);
        LabelScore? score = truth is null ? null : LabelScore.Of(outputs, session.OutputLength, truth.AsSpan(0, count), top);
        ExpectComparison? comparison = expected is null ? null : Compare(expect!, expected, outputs, session.OutputLength, rtol);
        if (json)
        {
            // The file first: a document that names an --output must not be printed when writing it failed.
            if (output is not null) OutputFile.Write(output, outputs, session.OutputLength);
            RunReportWriter.WriteJson(new RunReport
            {
                ModelPath = model, InputPath = input, InputSamples = inputCount, Samples = count, Outputs = outputs, OutputLength = session.OutputLength,
                ClassNames = session.Model.Metadata.Labels, Top = top, Predictions = !quiet, WrongOnly = wrongOnly,
                LabelsPath = labels, Score = score, Confusion = confusion, OutputPath = output, Comparison = comparison,
            });
            return comparison is { Ok: false } ? ExitCodes.Mismatch : ExitCodes.Ok;
        }
        if (!quiet) PrintTopClasses(session, outputs, count, top, score, wrongOnly);
        if (score is not null) Console.WriteLine(score.Summary(labels!));
        // A score is there: ParseMessages refuses --confusion without --labels.
        if (confusion) Console.Write(ConfusionReport.Format(score!.Confusion(), session.Model.Metadata.Labels));
        if (output is not null) OutputFile.Write(output, outputs, session.OutputLength);
        if (comparison is null) return ExitCodes.Ok;
        Console.WriteLine($"compare: {(comparison.Ok ? "OK" : "MISMATCH")} — largest relative error {comparison.LargestRelativeError:0.###e+0} (sample {comparison.WorstSample}), tolerance {rtol:0.###e+0}");
        return comparison.Ok ? ExitCodes.Ok : ExitCodes.Mismatch;
    });

    /// <summary>NaN or infinite values make every score meaningless without failing anything, so they are pointed out.</summary>
    private static void WarnOfNonFinite(string what, ReadOnlySpan<float> values, int sampleLength)
    {
        int bad = 0, firstSample = -1;
        for (int i = 0; i < values.Length; i++)
        {
            if (float.IsFinite(values[i])) continue;
            if (bad++ == 0) firstSample = i / sampleLength;
        }
        if (bad == 0) return;
        string cause = what switch
        {
            "input" => "check the input file",
            "expected" => "check the --expect file",
            _ => "the model's weights or the inputs hold NaN or infinite values, or the outputs overflow float32",
        };
        Console.Error.WriteLine($"elr-run: warning: {bad:N0} of {values.Length:N0} {what} values are NaN or infinite (the first in sample {firstSample}); {cause}.");
    }

    /// <summary>A line per sample of its <paramref name="top"/> classes; with a <paramref name="score"/>, its label after them and
    /// whether its class is wrong, and with <paramref name="wrongOnly"/> the wrong samples' lines only.</summary>
    private static void PrintTopClasses(InferenceSession session, float[] outputs, int count, int top, LabelScore? score, bool wrongOnly)
    {
        IReadOnlyList<string> names = session.Model.Metadata.Labels;
        int k = Math.Min(top, session.OutputLength);
        Span<int> best = stackalloc int[k];
        for (int s = 0; s < count; s++)
        {
            if (wrongOnly && !score!.IsWrong(s)) continue;   // as --confusion, refused without --labels
            // Named as the classes are, so "label 3, wrong" reads against the classes before it.
            string label = score is null ? "" : $"  label {ClassName.Of(names, score.Label(s))}{(score.IsWrong(s) ? ", wrong" : "")}";
            ReadOnlySpan<float> scores = outputs.AsSpan(s * session.OutputLength, session.OutputLength);
            // NaN scores rank nowhere; printed as class 0 they read as an answer.
            if (TopK.Best(scores) == TopK.NoClass)
            {
                Console.WriteLine($"sample {s}: no class (every output is NaN){label}");
                continue;
            }
            TopK.Select(scores, best);
            var parts = new string[k];
            for (int j = 0; j < k; j++)
                parts[j] = $"{ClassName.Of(names, best[j])} ({Units.Fixed(scores[best[j]], "0.0000")})";
            Console.WriteLine($"sample {s}: {string.Join("  ", parts)}{label}");
        }
    }

    /// <summary>The expected outputs of the <paramref name="count"/> samples to run, of the <paramref name="inputCount"/>
    /// the input holds. When --limit runs fewer samples than the input holds the file may hold more, and the first ones
    /// are compared; otherwise it must hold as many: one sample compared with the first of a longer file passed, though
    /// the files did not match.</summary>
    private static float[] ExpectedOutputs(string expectPath, int outputLength, int count, int inputCount, int limit)
    {
        float[] expected = InputFile.Read(expectPath, outputLength, "the model's output");
        int held = expected.Length / outputLength;
        bool limited = count < inputCount;
        if (held == count || (limited && held > count)) return expected;
        // Each remedy must work as given. A longer file is refused only when all the input is run; a --limit below the
        // input's count would pass it only by skipping samples, so the file is what to change. A shorter one (never
        // empty: InputFile refuses that) passes with a --limit of its count, which is below the input's.
        throw new CliException(held > count
            ? $"{expectPath} holds {held} samples but the input holds {count}, all to be run{(limit > 0 ? $" (--limit {limit} is not below the input's count)" : "")}; --expect must then hold exactly as many samples as are run: give an --expect of {count} sample{(count == 1 ? "" : "s")}, the outputs of the same input file."
            : $"{expectPath} holds {held} sample{(held == 1 ? "" : "s")} but {count} are to be run; give {(limited ? $"outputs of at least {count} samples" : "the outputs of the same input file")}, or --limit {held} to compare the first {held}.",
            ExitCodes.BadInput);
    }

    /// <summary>Compares the outputs with the expected ones (see <see cref="OutputComparison"/>).</summary>
    private static ExpectComparison Compare(string expectPath, float[] expected, float[] outputs, int outputLength, double rtol)
    {
        (double worst, int worstSample) = OutputComparison.Worst(expected, outputs, outputLength);
        return new ExpectComparison(expectPath, worst, worstSample, rtol);
    }
}
