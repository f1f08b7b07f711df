using System.Runtime.InteropServices;
using EdgeLowRank.Runtime.Cli.Platform;

namespace EdgeLowRank.Runtime.Tests.Cli;

/// <summary>The CPU line of bench reports and latency tables: a board's cores by name, and an emulated process said to be
/// one, since /proc/cpuinfo is then the host's.</summary>
public sealed class CpuDescriptionTests
{
    private const string EpycCpuinfo = """
        processor	: 0
        vendor_id	: AuthenticAMD
        cpu family	: 25
        model		: 17
        model name	: AMD EPYC 9R14
        stepping	: 1
        flags		: fpu sse4_2 avx avx2 fma avx512f avx512bw avx512_vnni
        """;

    private const string Pi4Cpuinfo = """
        processor	: 0
        BogoMIPS	: 108.00
        Features	: fp asimd evtstrm crc32 cpuid
        CPU implementer	: 0x41
        CPU architecture: 8
        CPU part	: 0xd08
        """;

    [Fact]
    public void A_Pi_4_names_its_Cortex_A72_cores_and_their_features()
    {
        CpuDescription cpu = CpuDescription.Parse(Pi4Cpuinfo.Replace("\r", ""), Architecture.Arm64, "Raspberry Pi 4 Model B Rev 1.4", 4);
        Assert.Equal(("Cortex-A72", "Raspberry Pi 4 Model B Rev 1.4", 4), (cpu.Model, cpu.Board, cpu.LogicalCores));
        Assert.Equal(["asimd"], cpu.SimdFeatures);
    }

    [Fact]
    public void A_PC_names_its_CPU_and_flags()
    {
        CpuDescription cpu = CpuDescription.Parse(EpycCpuinfo.Replace("\r", ""), Architecture.X64, null, 2);
        Assert.Equal("AMD EPYC 9R14 (family 25, model 17, stepping 1)", cpu.Model);
        Assert.Equal(["sse4_2", "avx", "avx2", "fma", "avx512f", "avx512_vnni"], cpu.SimdFeatures); // Zen 4: VNNI in AVX-512 only
    }

    [Fact]
    public void An_arm64_process_on_a_PCs_cpuinfo_is_emulated_and_claims_none_of_its_flags()
    {
        CpuDescription cpu = CpuDescription.Parse(EpycCpuinfo.Replace("\r", ""), Architecture.Arm64, null, 2);
        Assert.Equal("emulated arm64 on AMD EPYC 9R14 (family 25, model 17, stepping 1) (timings and memory are the emulator's)", cpu.Model);
        Assert.Empty(cpu.SimdFeatures);
        Assert.True(cpu.Emulated);
    }

    [Fact]
    public void An_x64_process_on_an_arm64_cpuinfo_is_emulated_too()
    {
        CpuDescription cpu = CpuDescription.Parse(Pi4Cpuinfo.Replace("\r", ""), Architecture.X64, null, 4);
        Assert.StartsWith("emulated x64 on Cortex-A72", cpu.Model);
    }
}
