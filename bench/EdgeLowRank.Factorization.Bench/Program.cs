using BenchmarkDotNet.Running;
using EdgeLowRank.Factorization.Bench;

// `ratios` prints the CUR/SVD error table; anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "ratios")
{
    ErrorRatioTable.Print();
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(FactorizationBenchmarks).Assembly).Run(args);
