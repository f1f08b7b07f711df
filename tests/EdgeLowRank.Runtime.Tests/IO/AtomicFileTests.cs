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
    public void A_successful_write_replaces_the_file_and_leaves_only_it()
    {
        string path = Path.Combine(Folder, "log.json");
        File.WriteAllBytes(path, new byte[100]);
        AtomicFile.Write(path, [7, 8]);
        Assert.Equal([7, 8], File.ReadAllBytes(path));
        Assert.Equal(["log.json"], Directory.GetFiles(Folder).Select(Path.GetFileName));
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
