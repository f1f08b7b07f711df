using BenchmarkDotNet.Running;
using EdgeLowRank.Peers.Bench;

// `verify` checks that both engines compute the same outputs before any timing is trusted.
if (args is ["verify", ..])
{
    int status = OutputAgreement.Check(["lenet300-dense", "lenet300-factorized", "tiny-odd", "lenet5-dense", "lenet5-factorized",
        "lenet300-factorized-int8", "tiny-odd-int8", "lenet5-factorized-int8", "lenet5-1998", "depthwise-separable",
        "residual-blocks", "inverted-residuals", "projection-shortcuts", "fire-modules", "shuffle-units", "squeeze-excite", "channel-affine",
        "folded-normalization", "leaky-relu"]);
    OutputAgreement.ReportIntegerKernels(["lenet300-factorized-int8", "tiny-odd-int8", "lenet5-factorized-int8"]);
    return status;
}

// `compare NET.onnx …` checks a user's own ONNX file against its import (ModelComparison).
if (args is ["compare", ..]) return ModelComparison.Run(args[1..]);

// `--aot [INSTRUCTION_SET]` times a NativeAOT build, by default x86-64-v3 as scripts/publish.sh makes it for PCs, instead
// of the JIT (DeployedBuild); `--aot x86-64-v4` the build for AVX-512 PCs.
int aot = Array.IndexOf(args, "--aot");
bool isaGiven = aot >= 0 && aot + 1 < args.Length && !args[aot + 1].StartsWith('-');
using var deployed = aot < 0 ? null : DeployedBuild.Prepare(isaGiven ? args[aot + 1] : DeployedBuild.DefaultInstructionSet);
string[] rest = aot < 0 ? args : [.. args[..aot], .. args[(aot + (isaGiven ? 2 : 1))..]];
BenchmarkSwitcher.FromAssembly(typeof(WholeModelBenchmarks).Assembly).Run(rest, deployed?.Config);
return 0;
