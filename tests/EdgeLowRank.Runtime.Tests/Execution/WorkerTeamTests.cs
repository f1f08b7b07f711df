using EdgeLowRank.Runtime.Execution;

namespace EdgeLowRank.Runtime.Tests.Execution;

public sealed class WorkerTeamTests
{
    [Fact]
    public void Every_part_of_every_run_runs_once_however_late_the_workers_wake()
    {
        // 200,000 short runs (about 0.3 s) on more threads than this machine has cores: workers often wake after the caller has
        // claimed their parts, or during the next run, which may have more parts than the one they were woken for.
        // Without the run check in WorkerTeam.ClaimParts this failed in 7 of 8 attempts (1 in 3 with 20,000 runs).
        var counts = new int[8];
        int run = 0;
        using var team = new WorkerTeam(7);
        Action<int, int> count = (part, _) => Interlocked.Increment(ref counts[part]);
        Assert.True(team.TryAcquire());
        for (run = 0; run < 200_000; run++)
        {
            int parts = run % 2 == 0 ? 2 : 2 + run % 7;
            Array.Clear(counts);
            team.Run(parts, count);
            for (int p = 0; p < counts.Length; p++)
                Assert.True(counts[p] == (p < parts ? 1 : 0), $"run {run}: part {p} of {parts} ran {counts[p]} times");
        }
        team.Release();
    }

    [Fact]
    public void A_failing_part_is_rethrown_after_the_other_parts_have_finished()
    {
        int finished = 0;
        using var team = new WorkerTeam(2);
        var e = Assert.Throws<InvalidOperationException>(() => team.Run(3, (part, _) =>
        {
            if (part == 1) throw new InvalidOperationException("part 1");
            Thread.Sleep(20);
            Interlocked.Increment(ref finished);
        }));
        Assert.Equal("part 1", e.Message);
        Assert.Equal(2, finished);
    }

    [Fact]
    public void One_run_holds_the_team_at_a_time()
    {
        using var team = new WorkerTeam(1);
        Assert.True(team.TryAcquire());
        Assert.False(team.TryAcquire());
        team.Release();
        Assert.True(team.TryAcquire());
        team.Release();
    }
}
