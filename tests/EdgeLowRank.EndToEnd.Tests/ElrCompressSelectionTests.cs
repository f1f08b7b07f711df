using EdgeLowRank.Compressor.Compression;
using EdgeLowRank.Compressor.Factorization;
using EdgeLowRank.Compressor.Tests.Data;
using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.EndToEnd.Tests;

/// <summary>
/// What a student's trial of <c>elr compress</c> found about its CUR selections and prices: the run named them by the code's
/// types ("QDeim", "LeverageSampling"), leverage-score sampling drew from seed 0 whatever --seed said, a file's recorded
/// selection was refused when given back, and --lambda 0 wrote an uncompressed model without a word.
/// </summary>
public class ElrCompressSelectionTests : TempFiles
{
    [Fact]
    public void Every_selection_is_named_by_its_option_word_and_the_recorded_names_are_taken_back()
    {
        foreach (CurSelection selection in Enum.GetValues<CurSelection>())
        {
            string word = CompressionArguments.SelectionName(selection);
            Assert.Equal(selection, CompressionArguments.Parse("cur", word, 2, "storage", 1e-4, null).Cur.Selection);
            // compress.selection records the type's name (a checkpoint's fingerprint holds it, so it stays).
            string recorded = (new LcOptions { Cur = new CurOptions(selection) }).ToProperties().Single(p => p.Key == "compress.selection").Value;
            Assert.Equal(selection, CompressionArguments.Parse("cur", recorded, 2, "storage", 1e-4, null).Cur.Selection);
        }
    }

    [RealDataFact("digits")]
    public void Sampling_draws_from_the_runs_seed_and_the_first_line_names_it()
    {
        string reference = PathOf("digits.elr");
        DigitsReference.Train(reference);
        string[] Run(int seed) => ["compress", reference, "--method", "cur", "--selection", "sampling", "--target-ratio", "4", "--steps", "3",
            "--finetune-epochs", "0", "--threads", "1", "--seed", seed.ToString(), "-o", PathOf($"s{seed}.elr")];

        ToolResult one = Tool.Elr(Run(1)), two = Tool.Elr(Run(2));

        Assert.True(one.ExitCode == 0 && two.ExitCode == 0, one.Error + two.Error);
        Assert.Contains("with cur (sampling seed 2, ρ = 2)", two.Output);
        using Model first = ModelReader.Load(PathOf("s1.elr")), second = ModelReader.Load(PathOf("s2.elr"));
        Assert.Equal(("1", "2"), (first.Metadata.Properties["compress.cur-seed"], second.Metadata.Properties["compress.cur-seed"]));
        // That the draw follows CurOptions.Seed is CurDecompositionTests.SamplingIsDeterministicForASeed's; this checks that
        // --seed reaches it (without the wiring both lines and records said seed 0). The weights cannot tell: --seed also
        // shuffles the L steps' batches.
    }

    [RealDataFact("digits")]
    public void A_lambda_of_zero_is_warned_of()
    {
        string reference = PathOf("digits.elr");
        DigitsReference.Train(reference);

        ToolResult run = Tool.Elr("compress", reference, "--method", "svd", "--lambda", "0", "--steps", "2", "--finetune-epochs", "0", "--threads", "1", "-o", PathOf("same.elr"));

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("elr: warning: --lambda 0 prices compression at nothing, so every C step keeps the ranks that cost most and the model stays as "
            + "large as the reference; give a λ above 0 or --target-ratio R.\n", run.Error);
        Assert.Contains("(1.00× fewer with biases; 1.00× in the weight matrices, which the table's storage × counts)", run.Output);
    }

    [RealDataFact("digits")]
    public void A_lambda_past_saturation_is_noted_with_the_guard_and_a_sane_one_is_not()
    {
        // A trial's digits MLP gave the same run at λ 1 and 1000, 57.94% error, and was told only to train the L steps longer.
        string reference = PathOf("digits.elr");
        DigitsReference.Train(reference);

        ToolResult huge = Tool.Elr("compress", reference, "--method", "svd", "--lambda", "1000", "--threads", "1", "-o", PathOf("huge.elr"));
        ToolResult sane = Tool.Elr("compress", reference, "--method", "svd", "--lambda", "1e-3", "--threads", "1", "-o", PathOf("sane.elr"));

        Assert.True(huge.ExitCode == 0, huge.Error);
        Assert.Contains("elr: note: λ 1000 is past the point where λ shapes the network: at the last C step every layer it may factorize took the cheapest "
            + "rank the rank guard (--max-relative-error 0.5) admits (fc1 ", huge.Error);
        Assert.True(sane.ExitCode == 0, sane.Error);
        Assert.DoesNotContain("past the point", sane.Error);
    }

    [RealDataFact("digits")]
    public void Require_goals_turns_a_missed_goal_into_exit_code_4_with_the_model_written_and_a_met_one_into_0()
    {
        // A trial's pipeline took a 1.00× "compressed" model, written at exit code 0 with a warning, for a good one.
        string reference = PathOf("digits.elr"), missed = PathOf("missed.elr"), met = PathOf("met.elr");
        DigitsReference.Train(reference);

        ToolResult guarded = Tool.Elr("compress", reference, "--method", "svd", "--target-ratio", "4", "--max-relative-error", "0.01", "--threads", "1",
            "--require-goals", "--log", PathOf("missed.json"), "-o", missed);
        ToolResult reached = Tool.Elr("compress", reference, "--method", "svd", "--target-ratio", "4", "--steps", "35", "--epochs-per-step", "5",
            "--threads", "1", "--require-goals", "-o", met);

        Assert.True(guarded.ExitCode == 4, guarded.Error);
        Assert.Contains("more than 5% short of --target-ratio 4", guarded.Error);
        Assert.EndsWith($"elr: --require-goals: {missed} was written, but it misses the goal warned of above; exit code 4.\n", guarded.Error);
        Assert.True(File.Exists(missed));
        // The same miss for a program: the goal, the bound asked and the ratio reached, as the warning gives it.
        using (var log = System.Text.Json.JsonDocument.Parse(File.ReadAllText(PathOf("missed.json"))))
        {
            var goal = Assert.Single(log.RootElement.GetProperty("goalsMissed").EnumerateArray().ToArray());
            Assert.Equal("targetRatio", goal.GetProperty("goal").GetString());
            Assert.Equal(4, goal.GetProperty("asked").GetDouble());
            Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"The model has {goal.GetProperty("reached").GetDouble():F2}× fewer parameters"), guarded.Error);
            // Which file the log describes, by its digest, and which build wrote both.
            Assert.Equal(missed, log.RootElement.GetProperty("output").GetString());
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(missed))), log.RootElement.GetProperty("outputSha256").GetString());
            Assert.Matches(@"^\d+\.\d+\.\d+\+[0-9a-f]{7,}", log.RootElement.GetProperty("producerVersion").GetString());
        }
        Assert.True(reached.ExitCode == 0, reached.Error);
        Assert.True(File.Exists(met));

        // A goal on accuracy: at 8× the default schedule (1 epoch a step) loses tens of points on the digits, and a rise over
        // the goal fails the run as a missed ratio does; the 4× run of 5 epochs a step stays within half a point.
        ToolResult worse = Tool.Elr("compress", reference, "--method", "svd", "--target-ratio", "8", "--threads", "1", "--max-error-rise", "0.5",
            "--require-goals", "--log", PathOf("worse.json"), "-o", PathOf("worse.elr"));
        Assert.True(worse.ExitCode == 4, worse.Error);
        Assert.Matches(@"elr: warning: The test error rose [0-9]+\.[0-9]{2} points over the reference \([0-9.]+% → [0-9.]+%\), more than --max-error-rise 0\.5: ", worse.Error);
        using (var log = System.Text.Json.JsonDocument.Parse(File.ReadAllText(PathOf("worse.json"))))
        {
            var rose = log.RootElement.GetProperty("goalsMissed").EnumerateArray().Single(g => g.GetProperty("goal").GetString() == "maxErrorRise");
            Assert.Equal(0.5, rose.GetProperty("asked").GetDouble());
            Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"The test error rose {rose.GetProperty("reached").GetDouble():F2} points"), worse.Error);
        }
        ToolResult within = Tool.Elr("compress", reference, "--method", "svd", "--target-ratio", "4", "--steps", "35", "--epochs-per-step", "5",
            "--threads", "1", "--max-error-rise", "0.5", "--require-goals", "-o", PathOf("within.elr"));
        Assert.True(within.ExitCode == 0, within.Error);
    }
}
