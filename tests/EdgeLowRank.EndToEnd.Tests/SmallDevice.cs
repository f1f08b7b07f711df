namespace EdgeLowRank.EndToEnd.Tests;

/// <summary>
/// A 64 KiB tmpfs mounted in a test's folder with most of it filled, for the writes that must fail for want of space
/// (<see cref="RootFactAttribute"/> tests: mounting needs root). Unmounted on dispose.
/// </summary>
internal sealed class SmallDevice : IDisposable
{
    /// <summary>Mounts the tmpfs at <paramref name="mount"/> (created) and fills all but about <paramref name="free"/> bytes
    /// of it with a file named "filler".</summary>
    public SmallDevice(string mount, int free)
    {
        Mount = mount;
        Directory.CreateDirectory(mount);
        Run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mount);
        try
        {
            File.WriteAllBytes(Path.Combine(mount, "filler"), new byte[64 * 1024 - free]);
        }
        catch
        {
            Run("umount", mount);   // no Dispose follows a constructor that throws
            throw;
        }
    }

    /// <summary>Where it is mounted.</summary>
    public string Mount { get; }

    public void Dispose() => Run("umount", Mount);

    private static void Run(string program, params string[] arguments)
    {
        using var process = System.Diagnostics.Process.Start(program, arguments);
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)} exited {process.ExitCode}");
    }
}
