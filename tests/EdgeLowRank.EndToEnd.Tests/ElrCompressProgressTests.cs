using System.Diagnostics;
using System.Globalization;
using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Tests.Data;

namespace EdgeLowRank.EndToEnd.Tests;

/// <summary>What <c>elr compress</c> prints while it runs, on real data: the UCI digits, small enough for seconds.</summary>
public class ElrCompressProgressTests : TempFiles
{
    [RealDataFact("digits")]
    public void Steps_whose_lambda_the_search_left_at_its_ceiling_are_marked_and_explained()
    {
        string reference = PathOf("digits.elr");
        ToolResult trained = DigitsReference.Train(reference);
        // Percentages as elr inspect and elr-run print them, "97.50%": invariant formatting alone gives "97.50 %".
        Assert.Matches(@"test accuracy \d+\.\d\d% \(error \d+\.\d\d%\)", trained.Output);

        // Two LC steps at μ ≈ 1e-3 (the growth given, as --steps 2 alone would take μ to 1.97 by step 1): the rank guard forbids
        // what a 4× target needs, so λ ends at its ceiling (measured: every step).
        ToolResult searched = Tool.Elr("compress", reference, "--dataset", "digits", "--method", "svd", "--target-ratio", "4", "--steps", "2",
            "--mu-growth", "1.25", "--threads", "1", "-o", PathOf("searched.elr"));
        // The same λ given by the user is not the search's ceiling.
        ToolResult fixedLambda = Tool.Elr("compress", reference, "--dataset", "digits", "--method", "svd", "--lambda", "1e6", "--steps", "2",
            "--mu-growth", "1.25", "--threads", "1", "-o", PathOf("fixed.elr"));

        Assert.True(searched.ExitCode == 0, searched.Error);
        Assert.Contains("classifier fc3 dense, ", searched.Output);   // the header says which layer the default holds
        // Redirected, a long line stays one line (Spectre.Console would wrap it at its assumed width): the header from
        // the network's name to the seed, the summary from the errors to the file written.
        Assert.Matches(@"\ncompressing digits-mlp \([^\n]*, seed 1, 1 thread\n", "\n" + searched.Output);
        Assert.Matches(@"\nreference error \d+\.\d\d%; after reparametrization \d+\.\d\d%; [^\n]*; wrote [^\n]*searched\.elr\n", searched.Output);
        Assert.Matches(@"\nDC\t0\.001\t1E\+06\*\t", searched.Output);
        Assert.Contains("\n* λ at its ceiling: no λ met the budgets at this step, because the rank guard (--max-relative-error)", searched.Output);
        Assert.True(fixedLambda.ExitCode == 0, fixedLambda.Error);
        Assert.Matches(@"\nDC\t0\.001\t1E\+06\t", fixedLambda.Output);
        Assert.DoesNotContain("λ at its ceiling", fixedLambda.Output);
    }

    [RealDataFact("digits")]
    public void Early_steps_at_the_ceiling_under_a_last_step_that_met_the_budgets_get_the_short_note()
    {
        string reference = PathOf("digits.elr");
        DigitsReference.Train(reference);

        // Measured: the default 35 steps at 4× leave λ at its ceiling at DC and in the first 24 LC steps, not at the last.
        ToolResult run = Tool.Elr("compress", reference, "--method", "svd", "--target-ratio", "4", "--threads", "1", "-o", PathOf("small.elr"));

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Matches(@"
DC	0\.001	1E\+06\*	", run.Output);
        Assert.Matches(@"
34	1\.97	[0-9.E+-]+	", run.Output);
        Assert.Contains("\n* λ at its ceiling: no λ met the budgets at this step, as is usual while W is far from low rank", run.Output);
        Assert.Contains("the last step met them", run.Output);
        Assert.DoesNotContain("later steps usually meet them", run.Output);
    }

    [RealDataFact("digits")]
    public void Ctrl_C_with_a_checkpoint_says_how_to_continue_from_it_and_finishes_on_resume()
    {
        string reference = PathOf("digits.elr"), checkpoint = PathOf("ck"), output = PathOf("small.elr");
        DigitsReference.Train(reference);
        string[] compress = ["compress", reference, "--method", "svd", "--target-ratio", "2", "--steps", "30", "--epochs-per-step", "10", "--threads", "1",
            "--checkpoint", checkpoint, "-o", output];

        // A step is reported, then saved, so the first is in the checkpoint by the time the second's row is printed.
        (int exitCode, string error) = InterruptedAtTheSecondStep(compress);

        Assert.True(exitCode == 130, $"exit code {exitCode}: {error}");
        Assert.Contains($"elr: the run so far is in the checkpoint in {checkpoint}: run the same command with --resume to continue from its last LC step.\n", error);
        Assert.EndsWith("elr: cancelled.\n", error);
        Assert.False(File.Exists(output));
        ToolResult resumed = Tool.Elr([.. compress, "--resume"]);
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Matches(@"resuming from the checkpoint in .*: [1-9]\d* LC steps? done \(the table shows the checkpoint's steps first, as measured then\)\n", resumed.Output);
        // The table is the whole run's, from the direct compression, and so is the time, the checkpoint's share named.
        Assert.Contains("\nDC\t", resumed.Output);
        Assert.Matches(@"\d+\.\d s \(\d+\.\d s of them before the resume, in the checkpoint's steps\)", resumed.Output);
        Assert.True(File.Exists(output));
    }

    [RealDataFact("digits")]
    public void SIGTERM_stops_a_run_as_Ctrl_C_does_with_exit_code_143_and_says_which()
    {
        // A trial's `kill -TERM` got Ctrl+C's 130 and "cancelled."; a service manager or script tells the two apart by the code.
        string reference = PathOf("digits.elr"), output = PathOf("small.elr");
        DigitsReference.Train(reference);

        (int exitCode, string error) = InterruptedAtTheSecondStep(
            ["compress", reference, "--method", "svd", "--target-ratio", "2", "--steps", "30", "--epochs-per-step", "10", "--threads", "1", "-o", output], "-TERM");

        Assert.True(exitCode == 143, $"exit code {exitCode}: {error}");
        Assert.EndsWith("elr: terminated (SIGTERM).\n", error);
        Assert.False(File.Exists(output));
    }

    [RealDataFact("digits")]
    public void Ctrl_C_without_a_checkpoint_says_the_steps_are_lost_and_how_to_keep_them_next_time()
    {
        string reference = PathOf("digits.elr"), output = PathOf("small.elr");
        DigitsReference.Train(reference);

        (int exitCode, string error) = InterruptedAtTheSecondStep(
            ["compress", reference, "--method", "svd", "--target-ratio", "2", "--steps", "30", "--epochs-per-step", "10", "--threads", "1", "-o", output]);

        Assert.True(exitCode == 130, $"exit code {exitCode}: {error}");
        Assert.Equal("elr: the LC steps made so far are lost; with --checkpoint DIR a run saves every step, and the same command with --resume continues it.\n"
            + "elr: cancelled.\n", error);
        Assert.False(File.Exists(output));
    }

    [RealDataFact("digits")]
    public void The_latency_criterion_shows_each_steps_predicted_latency_ratio_and_logs_the_final_one()
    {
        // Neither the storage nor the FLOPs column shows the ratio --target-ratio sets under this criterion: a user trial
        // could not watch it until the last line. Two steps take μ from 0.001 to 1.97 at once: priced in seconds, no λ up to
        // the ceiling outweighed μ/2·e(r) then, and the second step kept every layer dense (1.00×, a shortfall warning).
        string reference = PathOf("digits.elr"), log = PathOf("log.json");
        DigitsReference.Train(reference);

        ToolResult result = Tool.Elr("compress", reference, "--method", "svd", "--criterion", "latency", "--latency-table",
            Tool.Fixture(Path.Combine("latency", "epyc-x64-v3.json")), "--target-ratio", "1.5", "--steps", "2", "--threads", "1", "--log", log, "-o", PathOf("small.elr"));

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.DoesNotContain("short of --target-ratio", result.Error);
        Assert.DoesNotContain("measured under emulation", result.Error);
        Assert.DoesNotContain("λ at its ceiling", result.Output);
        string[] lines = result.Output.Split('\n');
        string[] header = lines.First(l => l.StartsWith("step\t", StringComparison.Ordinal)).Split('\t');
        int column = Array.IndexOf(header, "latency ×");
        Assert.Equal(Array.IndexOf(header, "FLOPs ×") + 1, column);
        string last = lines.Last(l => l.StartsWith("1\t", StringComparison.Ordinal)).Split('\t')[column];
        Assert.InRange(double.Parse(last, CultureInfo.InvariantCulture), 1.45, 2);
        Assert.Contains($", {last}× lower predicted latency of the weight layers", result.Output);
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(log));
        Assert.Equal(last, json.RootElement.GetProperty("latencyRatio").GetDouble().ToString("F2", CultureInfo.InvariantCulture));
    }

    [RealDataFact("digits")]
    public void A_latency_table_measured_under_emulation_is_warned_of()
    {
        // A user trial profiled under qemu-aarch64 and compressed against that table without a word, though DEPLOY-PI says
        // such timings say nothing about a Pi. elr-run profile marks the table's CPU as emulated (CpuDescriptionTests).
        string reference = PathOf("digits.elr"), table = PathOf("emulated.json");
        DigitsReference.Train(reference);
        string measured = File.ReadAllText(Tool.Fixture(Path.Combine("latency", "epyc-x64-v3.json")));
        File.WriteAllText(table, measured.Replace("\"cpu\": \"AMD EPYC\"", "\"cpu\": \"emulated arm64 on AMD EPYC (timings are the emulator's)\"", StringComparison.Ordinal));

        ToolResult result = Tool.Elr("compress", reference, "--method", "svd", "--criterion", "latency", "--latency-table", table,
            "--target-ratio", "1.5", "--steps", "2", "--threads", "1", "-o", PathOf("small.elr"));

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains($"elr: warning: {table} was measured under emulation (emulated arm64 on AMD EPYC (timings are the emulator's)): the ranks chosen by "
            + "its latencies fit the emulator, not a board. Run `elr-run profile --model MODEL.elr -o board.json` on the board itself and pass that table.\n", result.Error);
    }

    /// <summary>
    /// Runs elr <paramref name="compress"/> and sends it <paramref name="signal"/> (kill's option: SIGINT, Ctrl+C's, unless
    /// given) once the second LC step's row is printed; about 16 more are to come (these runs stop after 18 steps, a second
    /// in all here), so the signal comes well before the end. The exit code and stderr.
    /// </summary>
    private static (int ExitCode, string Error) InterruptedAtTheSecondStep(string[] compress, string signal = "-INT")
    {
        using Process process = Tool.StartElr(new Dictionary<string, string> { ["ELR_DATA"] = RealData.Cache.Root }, compress);
        Task<string> error = process.StandardError.ReadToEndAsync();
        var waited = Stopwatch.StartNew();
        while (process.StandardOutput.ReadLine() is string line && !line.StartsWith("1\t", StringComparison.Ordinal))
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60), "no LC step in 60 s");
        using (Process kill = Process.Start("kill", [signal, process.Id.ToString(CultureInfo.InvariantCulture)])) kill.WaitForExit();
        _ = process.StandardOutput.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(60)), "elr compress did not stop in 60 s of Ctrl+C");
        return (process.ExitCode, error.Result);
    }
}
