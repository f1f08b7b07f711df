namespace EdgeLowRank.Samples.ThermalBench.Output;

/// <summary>Writes a file so that readers see either the old content or the whole new content, never half:
/// the text goes to a temporary file beside the target (same file system, so the rename is atomic), is
/// flushed to the disk — SD cards on a Pi lose unflushed data on power loss — and is then renamed over the target.</summary>
internal static class AtomicFile
{
    /// <summary>Replaces <paramref name="path"/> with <paramref name="text"/> (UTF-8, no byte-order mark).</summary>
    public static void WriteAllText(string path, string text)
    {
        string full = Path.GetFullPath(path);
        string temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                stream.Write(new System.Text.UTF8Encoding(false).GetBytes(text));
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
