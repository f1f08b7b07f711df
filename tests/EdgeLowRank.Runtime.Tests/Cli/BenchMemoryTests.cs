using EdgeLowRank.Runtime.Cli.Commands;
using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;
using EdgeLowRank.Runtime.Tests.Format;

namespace EdgeLowRank.Runtime.Tests.Cli;

public sealed class BenchMemoryTests
{
    [Fact]
    public void The_memory_named_before_allocating_is_what_the_session_and_the_threads_then_hold()
    {
        using Model model = ModelReader.Load(Fixtures.Model("lenet5-dense"));
        var settings = new BenchSettings(Batch: 2048, Threads: 3, Warmup: 0, WarmupSeconds: 0, Runs: 1, Duration: null, KernelPath.Auto, PerLayer: false, Seed: 1);

        BenchMemory memory = BenchMemory.Of(model, settings, sessionBatch: 1024);

        using var session = new InferenceSession(model, new SessionOptions { MaxBatchSize = 1024 });
        Assert.Equal(session.ArenaBytes, memory.ArenaBytes);
        Assert.Equal(2048L * (784 + 10) * sizeof(float), memory.BufferBytes);
        Assert.Equal(3 * (memory.ArenaBytes + memory.BufferBytes), memory.TotalBytes);
    }

    [Fact]
    public void An_allocation_that_fails_is_said_in_the_options_to_lower()
    {
        var settings = new BenchSettings(65_536, 8, 0, 0, 1, null, KernelPath.Auto, false, 1);
        var memory = new BenchMemory(settings, SessionBatch: 1024, ArenaBytes: 1 << 20, BufferBytes: 2 << 20);

        var e = Assert.Throws<InsufficientMemoryException>(() => memory.Allocate<int>(() => throw new OutOfMemoryException()));

        Assert.Equal("--batch 65,536 on --threads 8 needs 24.00 MiB: 8 arenas of 1.00 MiB (for runs of up to 1,024 samples) "
            + "and, per thread, 2.00 MiB of inputs and outputs; but allocating it failed: the process may use less than that (a ulimit -v, or other "
            + "programs' memory). Lower --batch or --threads.", e.Message);
    }

    [Fact]
    public void One_sample_on_one_thread_is_said_to_be_too_large_for_the_machine_not_an_option_to_lower()
    {
        var settings = new BenchSettings(1, 1, 0, 0, 1, null, KernelPath.Auto, false, 1);
        var memory = new BenchMemory(settings, SessionBatch: 1, ArenaBytes: 1 << 20, BufferBytes: 4096);

        var e = Assert.Throws<InsufficientMemoryException>(() => memory.Allocate<int>(() => throw new OutOfMemoryException()));

        Assert.EndsWith("One sample of this model needs that much: it is too large for this machine (elr-run info shows its activation memory).", e.Message);
        Assert.DoesNotContain("Lower --batch", e.Message);
    }

    [Fact]
    public void Each_worker_of_the_session_holds_an_arena_more()
    {
        var settings = new BenchSettings(64, 2, 0, 0, 1, null, KernelPath.Auto, false, 1, RunThreads: 4);
        var memory = new BenchMemory(settings, SessionBatch: 64, ArenaBytes: 1 << 20, BufferBytes: 2 << 20);

        Assert.Equal(5, memory.Arenas); // two callers, and three workers that one run at a time uses
        Assert.Equal(5L * (1 << 20) + 2L * (2 << 20), memory.TotalBytes);
        var e = Assert.Throws<InsufficientMemoryException>(() => memory.Allocate<int>(() => throw new OutOfMemoryException()));
        Assert.StartsWith("--batch 64 on --threads 2 with --run-threads 4 needs 9.00 MiB: 5 arenas of 1.00 MiB", e.Message);
    }
}
