using System.Runtime.Intrinsics;
using EdgeLowRank.Runtime.Cli.Platform;

namespace EdgeLowRank.Runtime.Tests.Cli;

/// <summary>bench's hint when the CPU offers wider vectors than the binary uses (an x86-64-v3 build on an AVX-512 CPU).</summary>
public class WiderBuildTests
{
    [Fact]
    public void A_cpu_offering_wider_vectors_than_the_code_uses_names_the_publish_for_them()
    {
        // Under the JIT the code uses what this CPU accelerates, so the hint appears only for flags beyond it.
        string? avx512 = InstructionSets.WiderBuild(["sse4_2", "avx2", "avx512f"]);
        if (Vector512.IsHardwareAccelerated) Assert.Null(avx512);
        else Assert.Equal("this CPU offers avx512f, which this binary leaves unused: scripts/publish.sh linux-x64 x86-64-v4 builds for it", avx512);

        string? avx2 = InstructionSets.WiderBuild(["sse4_2", "avx2"]);
        if (Vector256.IsHardwareAccelerated) Assert.Null(avx2);
        else Assert.Contains("x86-64-v3 builds for it", avx2);

        Assert.Null(InstructionSets.WiderBuild([]));
        Assert.Null(InstructionSets.WiderBuild(["asimd", "asimddp"]));
    }
}
