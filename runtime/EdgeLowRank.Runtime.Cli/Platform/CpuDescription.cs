using System.Runtime.InteropServices;

namespace EdgeLowRank.Runtime.Cli.Platform;

/// <summary>The CPU and board as /proc/cpuinfo and the device tree describe them.</summary>
/// <param name="Model">The CPU's name, or "emulated arm64 on …" under user-mode emulation.</param>
/// <param name="Board">The device tree's model (a Raspberry Pi's name), or null.</param>
/// <param name="LogicalCores">The cores the process may use.</param>
/// <param name="SimdFeatures">The SIMD flags worth reporting; none under emulation (the host's are not the program's).</param>
/// <param name="Emulated">Whether the program runs under user-mode emulation (qemu-aarch64 on a PC): its timings and its
/// process's memory are then the emulator's.</param>
internal sealed record CpuDescription(string Model, string? Board, int LogicalCores, IReadOnlyList<string> SimdFeatures, bool Emulated = false)
{
    /// <summary>The flags worth reporting for SIMD kernels; the full list is long and mostly irrelevant. The int8 dot products
    /// as Linux names them: avx_vnni (what .NET's AvxVnni and the integer products use), avx512_vnni, asimddp.</summary>
    private static readonly string[] InterestingFlags =
        ["sse4_2", "avx", "avx2", "fma", "avx512f", "avx_vnni", "avx512_vnni", "asimd", "asimddp", "asimdhp", "fphp", "asimdrdm", "sve", "sve2", "i8mm", "bf16"];

    /// <summary>ARM "CPU part" codes of the cores found on Raspberry Pi boards.</summary>
    private static readonly Dictionary<string, string> ArmParts = new()
    {
        ["0xd03"] = "Cortex-A53", ["0xd04"] = "Cortex-A35", ["0xd05"] = "Cortex-A55",
        ["0xd08"] = "Cortex-A72", ["0xd0b"] = "Cortex-A76", ["0xd0c"] = "Neoverse-N1",
    };

    /// <summary>This machine's CPU and board.</summary>
    public static CpuDescription Read() =>
        Parse(SysfsFile.ReadText("/proc/cpuinfo") ?? "", RuntimeInformation.ProcessArchitecture, SysfsFile.ReadText("/proc/device-tree/model"), Environment.ProcessorCount);

    /// <summary>
    /// The CPU <paramref name="cpuinfo"/> describes, for a process of <paramref name="process"/>'s architecture. Under user-mode
    /// emulation (qemu-aarch64 running the arm64 build on a PC) /proc/cpuinfo is the host's: reported as such, a PC's CPU
    /// and its AVX flags read as the board's in bench reports and latency tables, so the model says it is emulated and the
    /// host's flags, which the emulated code cannot use, are left out.
    /// </summary>
    internal static CpuDescription Parse(string cpuinfo, Architecture process, string? board, int logicalCores)
    {
        string? modelName = Field(cpuinfo, "model name") ?? Field(cpuinfo, "Model");
        string? part = Field(cpuinfo, "CPU part");
        string model = modelName ?? (part is not null && ArmParts.TryGetValue(part, out var name) ? name : part) ?? RuntimeInformation.ProcessArchitecture.ToString();
        // A cloud VM's model name ("AMD EPYC") covers several generations, whose timings differ: the x86 family, model and
        // stepping tell them apart, as a performance engineer's trial asked of every recorded result.
        if (Field(cpuinfo, "cpu family") is string family && Field(cpuinfo, "model") is string number)
            model += $" (family {family}, model {number}{(Field(cpuinfo, "stepping") is string stepping ? $", stepping {stepping}" : "")})";
        string flags = Field(cpuinfo, "flags") ?? Field(cpuinfo, "Features") ?? "";
        var offered = flags.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(f => InterestingFlags.Contains(f)).ToArray();
        // An arm64 kernel lists "CPU implementer" per core, an x86 one "vendor_id".
        bool hostArm = Field(cpuinfo, "CPU implementer") is not null, hostX86 = Field(cpuinfo, "vendor_id") is not null;
        bool emulated = (process == Architecture.Arm64 && hostX86) || (process == Architecture.X64 && hostArm);
        return emulated
            ? new CpuDescription($"emulated {process.ToString().ToLowerInvariant()} on {model} (timings and memory are the emulator's)", board, logicalCores, [], Emulated: true)
            : new CpuDescription(model, board, logicalCores, offered);
    }

    private static string? Field(string cpuinfo, string key)
    {
        foreach (string line in cpuinfo.Split('\n'))
        {
            int colon = line.IndexOf(':');
            if (colon > 0 && line[..colon].Trim() == key) return line[(colon + 1)..].Trim();
        }
        return null;
    }
}
