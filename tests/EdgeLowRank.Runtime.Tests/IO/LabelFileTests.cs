using EdgeLowRank.Runtime.Cli;
using EdgeLowRank.Runtime.Cli.Inputs;
using EdgeLowRank.Runtime.IO;
using EdgeLowRank.Runtime.Tests.Format;

namespace EdgeLowRank.Runtime.Tests.IO;

/// <summary><c>elr-run run --labels</c> reads a label file's header and checks it against the samples before it reads the
/// labels: a trial's 100 MB of labels to one sample took 886 MB, a 2 GB file without the .npy magic 13 s and 1.96 GB
/// before it was refused, and one over 2 GiB gave the framework's resource key "IO_FileTooLong2GB".</summary>
public sealed class LabelFileTests : TempFolderTest
{
    /// <summary>Bytes a refused file may cost: its header and the messages, not its data.</summary>
    private const long FewBytes = 1 << 20;

    private string Sparse(string name, byte[] start, long length)
    {
        string path = Path.Combine(Folder, name);
        using var stream = new FileStream(path, FileMode.CreateNew);
        stream.Write(start);
        stream.SetLength(length); // a hole: the test takes no disk space for it
        return path;
    }

    /// <summary>Refused as <see cref="LabelFile.Read"/> refuses it, with the bytes it allocated meanwhile.</summary>
    private static (CliException Error, long Allocated) Refused(string path, int samples)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<CliException>(() => LabelFile.Read(path, samples, samples, classes: 10));
        return (e, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Labels_more_than_the_samples_are_refused_by_their_header_before_they_are_read()
    {
        const int labels = 64 << 20;
        byte[] npyHeader = NpyHeader.Write(NpyDataType.UInt8, [labels]);
        string npy = Sparse("labels.npy", npyHeader, npyHeader.Length + labels);
        byte[] idxHeader = [0, 0, 8, 1, 0x04, 0, 0, 0]; // bytes, one dimension: 0x04000000 big-endian
        string idx = Sparse("labels-idx1-ubyte", idxHeader, idxHeader.Length + labels);

        foreach (string path in new[] { npy, idx })
        {
            (CliException e, long allocated) = Refused(path, samples: 1);
            Assert.Equal(ExitCodes.BadInput, e.ExitCode);
            Assert.Equal($"{path} holds 67,108,864 labels but the input holds 1 samples; give one label per sample, in the input's order.", e.Message);
            Assert.True(allocated < FewBytes, $"{allocated:N0} bytes allocated to refuse {path}");
        }
    }

    [Fact]
    public void A_file_that_is_no_npy_is_refused_by_its_first_bytes()
    {
        string path = Sparse("labels.npy", "not numpy"u8.ToArray(), 64 << 20);

        (CliException e, long allocated) = Refused(path, samples: 1);

        Assert.Equal(ExitCodes.BadInput, e.ExitCode);
        Assert.Contains("it does not start with the .npy magic", e.Message);
        Assert.True(allocated < FewBytes, $"{allocated:N0} bytes allocated");
    }

    [Fact]
    public void A_file_whose_length_does_not_match_its_header_is_refused_before_its_data_is_read()
    {
        string path = Sparse("labels.npy", NpyHeader.Write(NpyDataType.UInt8, [1]), 64 << 20);

        (CliException e, long allocated) = Refused(path, samples: 1);

        Assert.Contains("more follow than the header says", e.Message);
        Assert.True(allocated < FewBytes, $"{allocated:N0} bytes allocated");
    }

    [Fact]
    public void A_file_over_2_GiB_gets_the_message_an_input_gets()
    {
        const long length = 3L << 30;
        string path = Sparse("labels.npy", NpyHeader.Write(NpyDataType.UInt8, [length - 128]), length);

        (CliException e, _) = Refused(path, samples: 1);

        Assert.Equal(ExitCodes.BadInput, e.ExitCode);
        Assert.Equal($"{path} is 3,221,225,472 bytes; elr-run reads an input whole, so it must be under 2 GiB: split it into files of fewer samples.", e.Message);
        Assert.Equal(e.Message, Assert.Throws<CliException>(() => InputFile.Read(path, 1, "the model's input")).Message);
    }
}
