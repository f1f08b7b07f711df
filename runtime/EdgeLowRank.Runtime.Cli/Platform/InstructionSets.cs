using System.Runtime;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace EdgeLowRank.Runtime.Cli.Platform;

/// <summary>
/// What the native code may use against what the CPU offers. NativeAOT fixes the instruction set at
/// publish time (x64 default: x86-64-v2, no AVX2; arm64 default: armv8.0-a + AdvSimd), so a binary can
/// run slower than the CPU allows; the report shows both sides so that is visible.
/// </summary>
internal static class InstructionSets
{
    /// <summary>"NativeAOT, published for x86-64-v3" or "JIT (code generated for this CPU)".</summary>
    public static string BuiltFor()
    {
        // A PublishAot project also runs under the JIT (`dotnet elr-run.dll`) with dynamic code switched off, so neither
        // IsDynamicCodeSupported nor IsDynamicCodeCompiled tells; the JIT's own count of compiled methods is 0 only in NativeAOT.
        if (RuntimeFeature.IsDynamicCodeCompiled || JitInfo.GetCompiledMethodCount() > 0) return "JIT (code generated for this CPU at run time)";
        string target = BuildInfo.InstructionSet, rid = BuildInfo.RuntimeIdentifier;
        return $"NativeAOT {rid}, instruction set {(string.IsNullOrEmpty(target) ? "default (x64: x86-64-v2; arm64: armv8.0-a)" : target)}";
    }

    /// <summary>The publish that would use wider vectors than this binary on a CPU that offers
    /// <paramref name="cpuFeatures"/> (/proc/cpuinfo's flags), or null when none would. An x86-64-v3 binary on an AVX-512 CPU
    /// runs half-width kernels: LeNet-300-100 dense at batch 64 took 308 µs there against 158 µs for the x86-64-v4 build
    /// (bench/RESULTS.md, "The deployed builds against ONNX Runtime"), while ONNX Runtime picks its kernels at run time.</summary>
    public static string? WiderBuild(IReadOnlyList<string> cpuFeatures)
    {
        if (!Vector512.IsHardwareAccelerated && Offers(cpuFeatures, "avx512f"))
            return "this CPU offers avx512f, which this binary leaves unused: scripts/publish.sh linux-x64 x86-64-v4 builds for it";
        if (!Vector256.IsHardwareAccelerated && Offers(cpuFeatures, "avx2"))
            return "this CPU offers avx2, which this binary leaves unused: scripts/publish.sh linux-x64 x86-64-v3 builds for it";
        return null;
    }

    // A loop, not LINQ's Contains over the collection: that one call brought 63 KB into the NativeAOT binary.
    private static bool Offers(IReadOnlyList<string> cpuFeatures, string flag)
    {
        foreach (string feature in cpuFeatures)
            if (feature == flag) return true;
        return false;
    }

    /// <summary>The SIMD features the running code can use, as the runtime reports them.</summary>
    public static IReadOnlyList<string> Used()
    {
        var used = new List<string>();
        if (Vector512.IsHardwareAccelerated) used.Add("Vector512");
        if (Vector256.IsHardwareAccelerated) used.Add("Vector256");
        if (Vector128.IsHardwareAccelerated) used.Add("Vector128");
        if (Avx2.IsSupported) used.Add("AVX2");
        if (Fma.IsSupported) used.Add("FMA");
        if (Avx512F.IsSupported) used.Add("AVX-512F");
        if (AvxVnni.IsSupported) used.Add("AVX-VNNI");
        if (AdvSimd.IsSupported) used.Add("AdvSimd");
        if (AdvSimd.Arm64.IsSupported) used.Add("AdvSimd.Arm64");
        if (Dp.IsSupported) used.Add("DotProd");
        if (Rdm.IsSupported) used.Add("RDM");
        return used;
    }
}
