using EdgeLowRank.Runtime.Cli;

namespace EdgeLowRank.Runtime.Tests.Cli;

public sealed class GuardTests
{
    [Fact]
    public void A_message_quoting_a_damaged_files_bytes_stays_on_one_line()
    {
        // A wrong metadata key length quoted up to 250 raw bytes, NULs and line breaks among them, over seven lines.
        Assert.Equal(@"key 'a\x00b\x0Ac\x0D' is not UTF-8 — ok", Guard.Printable("key 'a\0b\nc\r' is not UTF-8 — ok"));
    }

    [Fact]
    public void Running_out_of_memory_is_exit_code_1_not_an_internal_error()
    {
        // It was reported as a bug of elr-run (exit code 70) and told the user to report it.
        Assert.Equal(1, Guard.Run(() => throw new OutOfMemoryException()));
        Assert.Equal(1, Guard.Run(() => throw new InsufficientMemoryException("--batch 9 needs 9 MiB.")));
    }
}
