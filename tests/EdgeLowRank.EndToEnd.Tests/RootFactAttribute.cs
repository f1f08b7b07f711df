using EdgeLowRank.Compressor.Tests.Data;

namespace EdgeLowRank.EndToEnd.Tests;

/// <summary>
/// A fact that needs root, to mount a small tmpfs and fill it: the only way to make a write fail for want of space after
/// the command has made its folder. Decided at discovery, as <see cref="RealDataFactAttribute"/> is: skipped with the
/// reason shown when not root outside CI; never skipped with CI=true (CI runs as root), where a failed mount fails it.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RootFactAttribute : FactAttribute
{
    /// <summary>Marks a test that mounts a file system.</summary>
    public RootFactAttribute()
    {
        if (!RealData.RunningInCi && Environment.UserName != "root")
            Skip = "needs root to mount a tmpfs (CI=true turns this skip into a failure).";
    }
}
