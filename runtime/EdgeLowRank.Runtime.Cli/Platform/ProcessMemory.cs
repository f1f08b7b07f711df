namespace EdgeLowRank.Runtime.Cli.Platform;

/// <summary>The process's resident memory from /proc/self/status: VmHWM is the peak, as the kernel saw it.</summary>
internal static class ProcessMemory
{
    public static long? PeakResidentBytes() => StatusKilobytes("VmHWM:") * 1024;

    private static long? StatusKilobytes(string field)
    {
        string? status = SysfsFile.ReadText("/proc/self/status");
        if (status is null) return null;
        foreach (string line in status.Split('\n'))
        {
            if (!line.StartsWith(field, StringComparison.Ordinal)) continue;
            string number = line[field.Length..].Trim().Split(' ')[0];
            return long.TryParse(number, out long kb) ? kb : null;
        }
        return null;
    }
}
