using EdgeLowRank.Runtime.IO;
using EdgeLowRank.Runtime.Tests.Format;

namespace EdgeLowRank.Runtime.Tests.IO;

/// <summary>Every output of the tools goes through <see cref="AtomicFile"/>: a failed write must leave the old file and nothing else.</summary>
public sealed class AtomicFileTests : TempFolderTest
{
    [Fact]
    public void A_writer_that_fails_half_way_leaves_the_old_file_and_no_temporary()
    {
        string path = Path.Combine(Folder, "log.json");
        File.WriteAllBytes(path, [1, 2, 3]);
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[4096]);
            throw new InvalidOperationException("the writer fails half-way");
        }));
        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
        Assert.Equal(["log.json"], Directory.GetFiles(Folder).Select(Path.GetFileName));
    }

    [Fact]
    public void A_full_device_is_named_for_the_target_not_the_temporary_file()
    {
        // .NET reports ENOSPC as an IOException whose HResult is 28 and whose message names the file written: the
        // temporary one here (a 40 KB tmpfs gave "No space left on device : '…/.elr-….tmp'" before this test).
        string path = Path.Combine(Folder, "model.elr");
        File.WriteAllBytes(path, [1, 2, 3]);

        var e = Assert.Throws<FilePathException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[4096]);
            throw new IOException($"No space left on device : '{((FileStream)stream).Name}'", 28);
        }));

        Assert.Equal($"Cannot write '{path}': its device is full (no space left, or the disk quota is used up); free space there or write to another device. Nothing was replaced.", e.Message);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
        Assert.Equal(["model.elr"], Directory.GetFiles(Folder).Select(Path.GetFileName));
    }

    [Fact]
    public void Files_written_together_are_all_replaced_or_none_when_a_later_one_fails()
    {
        // An export's images written, then its labels on a full device: the images of one export beside the labels of another.
        string images = Path.Combine(Folder, "train-images.npy"), labels = Path.Combine(Folder, "train-labels.npy");
        File.WriteAllBytes(images, [1]);
        File.WriteAllBytes(labels, [2]);

        var e = Assert.Throws<FilePathException>(() => AtomicFile.WriteAll([(images, s => s.Write([9, 9])),
            (labels, s => throw new IOException($"No space left on device : '{((FileStream)s).Name}'", 28))]));

        Assert.StartsWith($"Cannot write '{labels}': its device is full", e.Message);
        Assert.Equal([1], File.ReadAllBytes(images));
        Assert.Equal([2], File.ReadAllBytes(labels));
        Assert.Equal(["train-images.npy", "train-labels.npy"], Directory.GetFiles(Folder).Select(Path.GetFileName).Order());

        AtomicFile.WriteAll([(images, s => s.Write([9, 9])), (labels, s => s.Write([8]))]);
        Assert.Equal([9, 9], File.ReadAllBytes(images));
        Assert.Equal([8], File.ReadAllBytes(labels));
        Assert.Equal(2, Directory.GetFiles(Folder).Length);
    }

    [Fact]
    public void A_successful_write_replaces_the_file_and_leaves_only_it()
    {
        string path = Path.Combine(Folder, "log.json");
        File.WriteAllBytes(path, new byte[100]);
        AtomicFile.Write(path, [7, 8]);
        Assert.Equal([7, 8], File.ReadAllBytes(path));
        Assert.Equal(["log.json"], Directory.GetFiles(Folder).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite)] // 0600: it became 0644, readable by every user
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute)] // 0750
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)] // 0666, beyond the umask
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void A_replaced_file_keeps_its_permission_bits(UnixFileMode mode)
    {
        string path = Path.Combine(Folder, "model.elr");
        File.WriteAllBytes(path, [1]);
        File.SetUnixFileMode(path, mode);

        AtomicFile.Write(path, [2]);

        Assert.Equal([2], File.ReadAllBytes(path));
        Assert.Equal(mode, File.GetUnixFileMode(path));
    }

    [Fact]
    public void A_write_through_a_symbolic_link_replaces_the_file_it_names_and_keeps_the_link()
    {
        string real = Path.Combine(Folder, "real.f32"), link = Path.Combine(Folder, "link.f32");
        File.WriteAllBytes(real, [1]);
        File.CreateSymbolicLink(link, real);

        AtomicFile.Write(link, [7, 8]);

        Assert.Equal(real, new FileInfo(link).LinkTarget);
        Assert.Equal([7, 8], File.ReadAllBytes(real));
    }
}
