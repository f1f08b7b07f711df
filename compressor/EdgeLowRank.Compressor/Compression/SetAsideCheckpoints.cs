using System.Text.RegularExpressions;

namespace EdgeLowRank.Compressor.Compression;

/// <summary>What one <c>--auto-resume</c> run did with checkpoints set aside: the one it moved away, and the one of its own
/// it took back (null when there was none, and it started anew).</summary>
/// <param name="SetAsideAs">The path the unresumable checkpoint was moved to, NAME.DIGEST.bin.</param>
/// <param name="TakenBack">The path of the checkpoint of this run's reference or samples set aside earlier and taken back
/// (it is the checkpoint now); null when none was there.</param>
public sealed record CheckpointSwap(string SetAsideAs, string? TakenBack);

/// <summary>
/// Checkpoints <c>--auto-resume</c> sets aside beside the checkpoint file (NAME.bin) as NAME.DIGEST.bin, DIGEST the XxHash64
/// of the reference or training samples each was made from: never deleted by elr, as each resumes when its reference or
/// samples return (renamed back, or taken back by the next such run).
/// </summary>
public static partial class SetAsideCheckpoints
{
    /// <summary>
    /// Moves the checkpoint <paramref name="file"/> aside to NAME.<paramref name="theirs"/>.bin, and takes back one set aside
    /// earlier under <paramref name="ours"/>, this run's digest, if there is one. So a job handed a wrong file for a night, then
    /// the right one again, resumes where the right one stopped, and no checkpoint is lost to another.
    /// </summary>
    public static CheckpointSwap Swap(string file, string theirs, string ours)
    {
        string aside = Named(file, theirs), ourAside = Named(file, ours);
        File.Move(file, aside, overwrite: true);   // the same digest's is the same reference's or samples' run, less far on
        if (!File.Exists(ourAside)) return new CheckpointSwap(aside, null);
        File.Move(ourAside, file);
        return new CheckpointSwap(aside, ourAside);
    }

    /// <summary>The checkpoints set aside beside <paramref name="file"/>, by name.</summary>
    public static IReadOnlyList<FileInfo> Beside(string file)
    {
        string name = Path.GetFileNameWithoutExtension(file);
        var folder = new DirectoryInfo(Path.GetDirectoryName(file)!);
        return folder.Exists
            ? [.. folder.EnumerateFiles($"{name}.*.bin").Where(f => Digest().IsMatch(f.Name[(name.Length + 1)..^".bin".Length])).OrderBy(f => f.Name, StringComparer.Ordinal)]
            : [];
    }

    private static string Named(string file, string digest) => Path.ChangeExtension(file, $".{digest}.bin");

    /// <summary>An XxHash64 as the digests are written: 16 hex digits.</summary>
    [GeneratedRegex("^[0-9a-f]{16}$")]
    private static partial Regex Digest();
}
