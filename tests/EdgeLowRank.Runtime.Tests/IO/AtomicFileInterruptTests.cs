using EdgeLowRank.Runtime.IO;
using EdgeLowRank.Runtime.Tests.Format;

namespace EdgeLowRank.Runtime.Tests.IO;

/// <summary>Runs alone: <see cref="AtomicFile.DeleteUnfinished"/> removes every write in progress in the process, and the
/// other test classes write files in parallel.</summary>
[CollectionDefinition(nameof(AloneInTheProcess), DisableParallelization = true)]
public sealed class AloneInTheProcess;

/// <summary>elr-run ends at once on Ctrl+C; the write it cuts short must leave the old file and no hidden temporary one.</summary>
[Collection(nameof(AloneInTheProcess))]
public sealed class AtomicFileInterruptTests : TempFolderTest
{
    [Fact]
    public void A_write_cut_short_leaves_the_old_file_and_no_temporary()
    {
        string path = Path.Combine(Folder, "out.f32");
        File.WriteAllBytes(path, [1, 2, 3]);
        using var writing = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        Task write = Task.Run(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[4096]);
            writing.Set();
            release.Wait();
        }));
        writing.Wait();
        Assert.Single(Directory.GetFiles(Folder, ".elr-*.tmp"));

        AtomicFile.DeleteUnfinished();

        Assert.Empty(Directory.GetFiles(Folder, ".elr-*.tmp"));
        release.Set();
        Assert.ThrowsAny<IOException>(() => write.GetAwaiter().GetResult()); // the rename finds no temporary file to rename
        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
        Assert.Equal(["out.f32"], Directory.GetFiles(Folder).Select(Path.GetFileName));
    }
}
