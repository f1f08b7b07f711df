namespace EdgeLowRank.Runtime.Format;

/// <summary>The advice shared by many format errors, worded once.</summary>
internal static class FormatErrors
{
    /// <summary>For damage: the bytes are not what a writer wrote.</summary>
    public const string CopyAgain = "HINT: the file is damaged or incomplete; copy it again in binary mode, or write it again (elr train or elr compress; ModelWriter in a program).";

    /// <summary>For a newer file: the reader must be upgraded.</summary>
    public static string Upgrade(int fileMinor) => fileMinor > FormatConstants.MinorVersion
        ? $"HINT: the file is format {FormatConstants.MajorVersion}.{fileMinor}, newer than this reader's {FormatConstants.MajorVersion}.{FormatConstants.MinorVersion}; upgrade EdgeLowRank to read it."
        : CopyAgain;

    /// <summary>The file ended before <paramref name="what"/>.</summary>
    public static ModelFormatException Truncated(long length, string what) =>
        new($"The file ends at byte {length}, before {what}: it is truncated or not an .elr file. {CopyAgain}", length);
}
