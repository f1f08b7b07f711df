using EdgeLowRank.Runtime.Execution;

namespace EdgeLowRank.Runtime.Tests.Execution;

/// <summary>
/// Disposing a session while other threads run it: a user trial's app disposed one during four threads' runs and the
/// process died of an access violation in the GEMM kernel (6 runs of 9: the arenas were freed under the runs). Dispose now
/// refuses new runs and waits for those in progress, as libelr's elr_session_close does.
/// </summary>
public class SessionDisposalTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Disposing_while_other_threads_run_waits_for_their_runs_and_refuses_later_ones(int threads)
    {
        var session = new InferenceSession(TestModels.DenseChain(3, 784, 512, 512, 10), new SessionOptions { Threads = threads }, ownsModel: true);
        float[] input = TestModels.RandomFloats(new Random(5), 784 * 64);
        float[] expected = new float[10 * 64];
        session.Run(input, expected, 64);
        int runs = 0;
        var failures = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        var refusals = new ObjectDisposedException?[4];
        Thread[] runners = [.. Enumerable.Range(0, refusals.Length).Select(t => new Thread(() =>
        {
            var output = new float[10 * 64];
            try
            {
                while (true)
                {
                    session.Run(input, output, 64);
                    // A run that returned computed on live memory.
                    if (!output.AsSpan().SequenceEqual(expected)) failures.Enqueue(new Exception("a run's outputs differ from the first run's"));
                    Interlocked.Increment(ref runs);
                }
            }
            catch (ObjectDisposedException e)
            {
                refusals[t] = e;
            }
            catch (Exception e)
            {
                failures.Enqueue(e);
            }
        }))];
        foreach (Thread runner in runners) runner.Start();
        SpinWait.SpinUntil(() => Volatile.Read(ref runs) >= 8, TimeSpan.FromSeconds(30));

        session.Dispose();

        Assert.All(runners, r => Assert.True(r.Join(TimeSpan.FromSeconds(30)), "a run did not return after Dispose"));
        Assert.Empty(failures);
        Assert.All(refusals, e => Assert.Contains("The session was disposed: create a new one to run the model.", e!.Message));
    }

    [Fact]
    public void A_second_dispose_at_once_also_waits_for_the_run_in_progress()
    {
        // A verification trial disposed the session from two threads, then its model: the second Dispose returned at once
        // and the model's memory was freed under the runs (an access violation, 2 processes of 5). A run of 26 billion
        // multiply-adds (a quarter of a second on an AVX-512 core): the first Dispose begins during it, the second 20 ms
        // later, and must return after the run.
        const int batch = 1024;
        using var session = new InferenceSession(TestModels.DenseChain(3, 2048, 4096, 4096, 10), ownsModel: true);
        float[] input = TestModels.RandomFloats(new Random(1), 2048 * batch);
        var output = new float[10 * batch];
        using var started = new ManualResetEventSlim();
        bool returned = false;
        var runner = new Thread(() =>
        {
            started.Set();
            session.Run(input, output, batch);
            Volatile.Write(ref returned, true);
        });
        runner.Start();
        started.Wait();
        Thread.Sleep(20);
        var first = new Thread(session.Dispose);
        first.Start();
        Thread.Sleep(20);

        session.Dispose();

        Assert.True(Volatile.Read(ref returned), "the second Dispose returned while a run was in progress");
        Assert.True(first.Join(TimeSpan.FromSeconds(30)) && runner.Join(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void A_second_dispose_does_nothing()
    {
        var session = new InferenceSession(TestModels.OddChain(), ownsModel: true);
        session.Dispose();
        session.Dispose();
        Assert.Throws<ObjectDisposedException>(() => session.Run(new float[37], new float[7]));
    }
}
