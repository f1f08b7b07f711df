// Runs every golden model of a folder through the EdgeLowRank.Runtime package as an app would: a session per model,
// the recorded input as one batch and sample by sample, from four threads at once, each output compared with the recorded
// one within 1e-5 of the sample's largest (as elr-run --expect --rtol 1e-5 compares). Prints a line per model and exits 1
// on any difference.
using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Format;

if (args.Length != 1 || !Directory.Exists(args[0]))
{
    Console.Error.WriteLine("usage: package-consumer FOLDER   (a folder of NAME.elr with NAME.input.f32 and NAME.expected.f32)");
    return 2;
}

int failures = 0, models = 0;
foreach (string model in Directory.GetFiles(args[0], "*.elr").Order(StringComparer.Ordinal))
{
    string stem = model[..^".elr".Length];
    if (!File.Exists(stem + ".input.f32") || !File.Exists(stem + ".expected.f32")) continue;
    models++;
    float[] input = Floats(stem + ".input.f32"), expected = Floats(stem + ".expected.f32");
    using var session = InferenceSession.Load(model, new SessionOptions { ConcurrentRuns = 4 });
    int samples = input.Length / session.InputLength;
    var batch = new float[expected.Length];
    session.Run(input, batch, samples);
    var alone = new float[expected.Length];
    Parallel.For(0, samples, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        session.Run(input.AsSpan(i * session.InputLength, session.InputLength), alone.AsSpan(i * session.OutputLength, session.OutputLength)));
    string? batchDifference = Difference(batch, expected, session.OutputLength), aloneDifference = Difference(alone, expected, session.OutputLength);
    bool ok = batchDifference is null && aloneDifference is null;
    if (!ok) failures++;
    string labels = session.Model.Metadata.Labels.Count > 0 ? $", {session.Model.Metadata.Labels.Count} labels" : "";
    Console.WriteLine($"{(ok ? "ok  " : "FAIL")}  {Path.GetFileName(model)}: {samples} samples {session.Model.InputShape} -> {session.Model.OutputShape}{labels}"
        + (ok ? "" : $"; batch: {batchDifference ?? "ok"}; alone: {aloneDifference ?? "ok"}"));
}
// Under the JIT (a PublishAot project run by dotnet switches dynamic code off, so only the JIT's count of compiled methods
// tells), the package's embedded debug information names file and line in the library's frames.
if (System.Runtime.JitInfo.GetCompiledMethodCount() > 0 && LibraryFramesLackLines() is { } trace)
{
    Console.WriteLine($"FAIL  the library's frames name no file and line: {trace}");
    failures++;
}
if (models == 0)
{
    Console.Error.WriteLine($"no golden models in {args[0]}");
    return 1;
}
Console.WriteLine($"package consumer: {models - failures} passed, {failures} failed");
return failures == 0 ? 0 : 1;

// A file of little-endian float32 values.
static float[] Floats(string path) => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(path)).ToArray();

// The first output further from the recorded one than 1e-5 of its sample's largest magnitude, or null.
static string? Difference(float[] actual, float[] expected, int outputLength)
{
    for (int sample = 0; sample < expected.Length / outputLength; sample++)
    {
        ReadOnlySpan<float> want = expected.AsSpan(sample * outputLength, outputLength), got = actual.AsSpan(sample * outputLength, outputLength);
        float tolerance = 1e-5f * Math.Max(1e-30f, Math.Abs(System.Numerics.Tensors.TensorPrimitives.MaxMagnitude(want)));
        for (int i = 0; i < outputLength; i++)
            if (!(Math.Abs(got[i] - want[i]) <= tolerance)) return $"sample {sample} output {i}: {got[i]} where {want[i]} was recorded";
    }
    return null;
}

// The stack trace of the library's refusal of a damaged model, when none of the library's own frames in it names a file
// and a line; null when they do.
static string? LibraryFramesLackLines()
{
    try
    {
        InferenceSession.Load(new byte[64]).Dispose();
        return "a file of 64 zero bytes loaded";
    }
    catch (Exception e)
    {
        string trace = e.StackTrace ?? "";
        bool named = trace.Split('\n').Any(line => line.TrimStart().StartsWith("at EdgeLowRank.Runtime.", StringComparison.Ordinal) && line.Contains(".cs:line "));
        return named ? null : $"{e.GetType().Name}: {trace}";
    }
}
