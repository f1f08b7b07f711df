using EdgeLowRank.Compressor.Compression;
using EdgeLowRank.Compressor.Tests.Data;
using EdgeLowRank.Runtime.IO;

namespace EdgeLowRank.Compressor.Tests.Compression;

/// <summary>One run at a time in a checkpoint folder: two nightly jobs given one folder overwrote each other's checkpoints
/// and both exited 0.</summary>
public sealed class CheckpointLockTests
{
    [Fact]
    public void A_claimed_folder_is_refused_to_a_second_claim_until_the_first_gives_it_up()
    {
        using var folder = new TempDirectory();
        using (CheckpointLock.Take(folder.Path))
        {
            // flock(2) locks belong to an open file, not a process: a second open in this process meets the lock as another process would.
            var refused = Assert.Throws<FilePathException>(() => CheckpointLock.Take(folder.Path));
            Assert.Contains("is in use by another elr run", refused.Message);
            Assert.Contains("give this one another --checkpoint folder", refused.Message);
        }
        using (CheckpointLock.Take(folder.Path)) { }
        Assert.True(File.Exists(Path.Combine(folder.Path, CheckpointLock.FileName)));   // kept: removed, a run that opened it a moment before would lock a stray file
    }
}
