using BenchmarkDotNet.Running;
using EdgeLowRank.Peers.Bench;

// `verify` checks that both engines compute the same outputs before any timing is trusted.
if (args is ["verify", ..])
    return OutputAgreement.Check(["lenet300-dense", "lenet300-factorized", "tiny-odd", "lenet5-dense", "lenet5-factorized"]);

BenchmarkSwitcher.FromAssembly(typeof(WholeModelBenchmarks).Assembly).Run(args);
return 0;
