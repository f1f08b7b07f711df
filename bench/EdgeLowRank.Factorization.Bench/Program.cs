using BenchmarkDotNet.Running;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Factorization.Bench;
using EdgeLowRank.Runtime.Format;

// `ratios [MODEL.elr]` prints the CUR/SVD error table; anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "ratios")
{
    string? model = args.Length > 1 ? args[1] : null;
    if (args.Length > 2 || (model is not null && !File.Exists(model)))
    {
        Console.Error.WriteLine($"ratios: give at most one model file that exists (got '{string.Join(' ', args[1..])}'): ratios [MODEL.elr]");
        return 1;
    }
    try
    {
        ErrorRatioTable.Print(model);
    }
    catch (Exception e) when (e is ModelFormatException or TrainingException or IOException)
    {
        // A damaged file, or a model whose layers are already factorized (the table needs the dense weights).
        Console.Error.WriteLine($"ratios: cannot take the layers of '{model}': {e.Message}");
        return 1;
    }
    return 0;
}
BenchmarkSwitcher.FromAssembly(typeof(FactorizationBenchmarks).Assembly).Run(args);
return 0;
