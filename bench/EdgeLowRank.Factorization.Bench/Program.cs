using BenchmarkDotNet.Running;
using EdgeLowRank.Factorization.Bench;

// `ratios [MODEL.elr]` prints the CUR/SVD error table; anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "ratios")
{
    string? model = args.Length > 1 ? args[1] : null;
    if (args.Length > 2 || (model is not null && !File.Exists(model)))
    {
        Console.Error.WriteLine($"ratios: give at most one model file that exists (got '{string.Join(' ', args[1..])}'): ratios [MODEL.elr]");
        return 1;
    }
    ErrorRatioTable.Print(model);
    return 0;
}
BenchmarkSwitcher.FromAssembly(typeof(FactorizationBenchmarks).Assembly).Run(args);
return 0;
