namespace EdgeLowRank.Runtime.Cli.Platform;

/// <summary>Reads small kernel files (/proc, /sys). A file that is absent or unreadable is simply absent:
/// many sensors do not exist on a PC or inside an emulator, and that is not an error.</summary>
internal static class SysfsFile
{
    public static string? ReadText(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path).Trim().TrimEnd('\0') : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static long? ReadInteger(string path) =>
        long.TryParse(ReadText(path), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out long value) ? value : null;
}
