namespace EdgeLowRank.Runtime.Cli.Inputs;

/// <summary>Writes a file through a temporary file beside it and a rename, so an interrupted run never
/// leaves a half-written output (the rename replaces the target in one step).</summary>
internal static class AtomicFile
{
    public static void Write(string path, Action<Stream> write)
    {
        string full = Path.GetFullPath(path);
        string temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            using (var stream = File.Create(temp)) write(stream);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
