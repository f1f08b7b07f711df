using EdgeLowRank.Runtime.Cli;

namespace EdgeLowRank.Runtime.Tests.Cli;

public sealed class GuardTests
{
    [Fact]
    public void Running_out_of_memory_is_exit_code_1_not_an_internal_error()
    {
        // It was reported as a bug of elr-run (exit code 70) and told the user to report it.
        Assert.Equal(1, Guard.Run(() => throw new OutOfMemoryException()));
        Assert.Equal(1, Guard.Run(() => throw new InsufficientMemoryException("--batch 9 needs 9 MiB.")));
    }
}
