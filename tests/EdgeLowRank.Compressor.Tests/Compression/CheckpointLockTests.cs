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

    [Fact]
    public void A_folder_the_claim_made_is_removed_on_release_when_it_holds_nothing_but_the_lock()
    {
        using var parent = new TempDirectory();
        string folder = parent.File("ck");

        using (CheckpointLock.Take(folder)) Assert.True(File.Exists(Path.Combine(folder, CheckpointLock.FileName)));

        Assert.False(Directory.Exists(folder));   // a refused run leaves nothing new
    }

    [Fact]
    public void The_parents_the_claim_made_are_removed_with_the_folder_but_not_one_that_gained_something()
    {
        using var parent = new TempDirectory();
        string top = parent.File("new"), middle = Path.Combine(top, "a"), folder = Path.Combine(middle, "ck");

        using (CheckpointLock.Take(folder)) { }
        Assert.False(Directory.Exists(top));   // --checkpoint new/a/ck left new and new/a behind

        using (CheckpointLock.Take(folder)) File.WriteAllText(Path.Combine(top, "notes.txt"), "mine");
        Assert.False(Directory.Exists(middle));
        Assert.True(File.Exists(Path.Combine(top, "notes.txt")));
    }

    [Fact]
    public void A_folder_the_claim_made_stays_with_its_lock_when_it_holds_a_checkpoint()
    {
        using var parent = new TempDirectory();
        string folder = parent.File("ck");

        using (CheckpointLock.Take(folder)) File.WriteAllText(Path.Combine(folder, "lc-checkpoint.bin"), "steps");

        Assert.True(File.Exists(Path.Combine(folder, "lc-checkpoint.bin")));
        Assert.True(File.Exists(Path.Combine(folder, CheckpointLock.FileName)));
    }

    [Fact]
    public void A_lock_file_removed_while_open_is_told_from_one_in_its_folder()
    {
        // What a claim that opened the lock file just before a released claim removed it sees once it locks it: it then takes the folder anew.
        using var folder = new TempDirectory();
        string path = folder.File(CheckpointLock.FileName);
        using var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        Assert.True(CheckpointLock.InFolder(file.SafeFileHandle));

        File.Delete(path);

        Assert.False(CheckpointLock.InFolder(file.SafeFileHandle));
    }
}
