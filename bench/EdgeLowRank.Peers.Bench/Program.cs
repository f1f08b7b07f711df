using BenchmarkDotNet.Running;
using EdgeLowRank.Peers.Bench;

// `verify` checks that both engines compute the same outputs before any timing is trusted.
if (args is ["verify", ..])
{
    int status = OutputAgreement.Check(["lenet300-dense", "lenet300-factorized", "tiny-odd", "lenet5-dense", "lenet5-factorized",
        "lenet300-factorized-int8", "tiny-odd-int8", "lenet5-factorized-int8", "lenet5-1998", "depthwise-separable",
        "residual-blocks", "inverted-residuals", "projection-shortcuts", "fire-modules", "shuffle-units", "squeeze-excite", "channel-affine",
        "folded-normalization"]);
    OutputAgreement.ReportIntegerKernels(["lenet300-factorized-int8", "tiny-odd-int8", "lenet5-factorized-int8"]);
    return status;
}

// `--aot` times a NativeAOT x86-64-v3 build, the kind scripts/publish.sh makes for PCs, instead of the JIT (DeployedBuild).
using var deployed = args.Contains("--aot") ? DeployedBuild.Prepare() : null;
BenchmarkSwitcher.FromAssembly(typeof(WholeModelBenchmarks).Assembly).Run([.. args.Where(arg => arg != "--aot")], deployed?.Config);
return 0;
