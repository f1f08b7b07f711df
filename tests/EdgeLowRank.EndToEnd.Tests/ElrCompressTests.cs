namespace EdgeLowRank.EndToEnd.Tests;

/// <summary>
/// <c>elr compress</c> refuses a command line that cannot work before it loads any data: one line on stderr naming what
/// is wrong and what to do, exit 1 (3 for a path), no output file, and nothing fetched into the (empty) data cache.
/// </summary>
public class ElrCompressTests : TempFiles
{
    private static readonly string Dense = Tool.Fixture("lenet300-dense.elr");

    [Theory]
    [InlineData("negative-lambda", "--lambda must be a finite number ≥ 0, not -1")]
    [InlineData("no-dataset-recorded", "lenet300-dense.elr records no data set; give --dataset mnist|fashion-mnist|digits|FOLDER to train and test on.")]
    [InlineData("unknown-method", "qr")]
    [InlineData("resume-alone", "--resume needs --checkpoint")]
    [InlineData("missing-model", "does not exist; train one with")]
    [InlineData("missing-folder", "no-such-folder' does not exist; create it")]
    [InlineData("wrong-dataset", "lenet300-dense.elr takes inputs of 784 (784 numbers) but digits holds samples of 8×8×1 (64); use a model made for this data set.")]
    [InlineData("unreachable-target", "--target-ratio 4 cannot be reached: with every layer at its cheapest rank but those kept dense (fc1 (--keep-dense), fc3 (the classifier)), the storage cost falls 1.13× at most. Lower --target-ratio, or keep fewer layers dense (107.17× with none of them kept).")]
    [InlineData("unknown-layer", "--keep-dense names 'fc9', but the compressible layers are fc1, fc2, fc3 (the classifier, dense unless --compress-classifier) (see `elr inspect MODEL`).")]
    [InlineData("unknown-layer-classifier-freed", "--keep-dense names 'fc9', but the compressible layers are fc1, fc2, fc3 (see `elr inspect MODEL`).")]
    [InlineData("flops-floor-with-lambda", "A least FLOPs ratio (--min-flops-ratio) needs --target-ratio")]
    [InlineData("unreachable-flops-floor", "--min-flops-ratio 1000 cannot be reached: with every layer at its cheapest rank but those kept dense (fc3 (the classifier)), the flops cost falls")]
    [InlineData("log-is-output", "is the same file as -o. Choose another path for --log")]
    [InlineData("checkpoint-is-file", "is a file; give a folder")]
    [InlineData("resume-from-nothing", "holds no checkpoint")]
    [InlineData("huge-batch", "The batch size must be between 1 and 65,536, not 2,147,483,647")]
    [InlineData("huge-lambda", "is above 1000000, where every layer already takes its cheapest rank")]
    [InlineData("checkpoint-under-a-file", "is a file, not a folder")]
    [InlineData("resume-from-empty", "holds no checkpoint; give the folder of the run to continue")]
    [InlineData("checkpoint-is-output", "is the same file as -o")]
    [InlineData("every-layer-dense", "No layer is left to compress: every one is kept dense (fc1 (--keep-dense), fc2 (--keep-dense), fc3 (the classifier)); keep fewer layers dense, or add --compress-classifier.")]
    [InlineData("classifier-in-keep-dense", "--keep-dense names fc3, the classifier, which stays dense by default; drop it from --keep-dense.")]
    [InlineData("selection-with-svd", "--selection is only used with --method cur, so it would change nothing here")]
    [InlineData("finetune-lr-without-finetune", "--finetune-lr is only used with --finetune-epochs above 0")]
    [InlineData("warmup-with-lambda", "--ratio-warmup is only used with --target-ratio")]
    [InlineData("already-factorized", "Layer 0 (fc1) is already factorized (FactorizedDense, rank 30, method svd); elr compress starts from a dense network")]
    [InlineData("validation-share-of-one", "--validation is the share of the training set held out, between 0 and 1 (such as 0.1), not 1.")]
    [InlineData("label-smoothing-of-one", "--label-smoothing is the share ε of each target spread over all classes, in [0, 1) (such as 0.1), not 1.")]
    [InlineData("mu-beyond-float", "is beyond the single-precision range (3.4e38) the L steps compute in")]
    [InlineData("empty-keep-dense-entry", "--keep-dense takes layer names separated by commas (such as fc3, or fc2,fc3), not ',fc3': an entry is empty.")]
    [InlineData("keep-velocity-one-step", "--keep-velocity is only used with --steps above 1")]
    [InlineData("smoothing-teacher-only", "--label-smoothing is only used with --distill-weight below 1 or --finetune-epochs above 0")]
    [InlineData("log-is-latency-table", "' is the same file as --latency-table; writing it would destroy --latency-table")]
    [InlineData("output-is-checkpoint-file", "lc-checkpoint.bin' is the same file as the checkpoint file in --checkpoint. Choose another path for -o.")]
    [InlineData("checkpoint-file-is-a-folder", "holds a folder named lc-checkpoint.bin, where the checkpoint is written after every LC step")]
    [InlineData("vanishing-rate", "The learning rate falls to 0 by the last LC step, below the smallest single-precision number training computes with")]
    [InlineData("vanishing-finetune-rate", "by the fine-tune's last epoch, below the smallest single-precision number training computes with, so the weights would stop moving there; raise --finetune-lr-decay.")]
    [InlineData("finetune-best-without-validation", "--finetune-best needs a held-out share to choose the fine-tune's epoch by (the test set must not choose the model it then scores): give --validation too, e.g. --validation 0.1.")]
    [InlineData("finetune-best-without-finetune", "--finetune-best keeps the fine-tune's best epoch, and there is no fine-tune: give --finetune-epochs above 0.")]
    [InlineData("finetune-best-alone", "--finetune-best needs a fine-tune, --finetune-epochs above 0, and a held-out share to choose the fine-tune's epoch by (the test set must not choose the model it then scores): give --validation too, e.g. --validation 0.1.")]
    public void A_command_line_that_cannot_work_is_one_line_and_writes_nothing(string kind, string message)
    {
        string output = kind == "missing-folder" ? PathOf(Path.Combine("no-such-folder", "out.elr")) : PathOf("out.elr");
        string cache = PathOf("data-cache");
        Directory.CreateDirectory(cache);
        string[] args = kind switch
        {
            "negative-lambda" => [Dense, "--dataset", "mnist", "--method", "svd", "--lambda", "-1", "-o", output],
            "no-dataset-recorded" => [Dense, "--method", "cur", "--lambda", "1e-6", "-o", output],
            "unknown-method" => [Dense, "--dataset", "mnist", "--method", "qr", "--lambda", "1e-6", "-o", output],
            "resume-alone" => [Dense, "--dataset", "mnist", "--method", "cur", "--lambda", "1e-6", "--resume", "-o", output],
            "missing-model" => [PathOf("absent.elr"), "--dataset", "mnist", "--method", "cur", "--lambda", "1e-6", "-o", output],
            "missing-folder" => [Dense, "--dataset", "mnist", "--method", "cur", "--lambda", "1e-6", "-o", output],
            "unreachable-target" => [Dense, "--dataset", "mnist", "--method", "svd", "--target-ratio", "4", "--keep-dense", "fc1", "-o", output],
            "flops-floor-with-lambda" => [Dense, "--dataset", "mnist", "--method", "cur", "--lambda", "1e-6", "--min-flops-ratio", "2", "-o", output],
            "unreachable-flops-floor" => [Dense, "--dataset", "mnist", "--method", "svd", "--target-ratio", "2", "--min-flops-ratio", "1000", "-o", output],
            "log-is-output" => [Dense, "--dataset", "mnist", "--method", "cur", "--lambda", "1e-6", "-o", output, "--log", output],
            "checkpoint-is-file" => [Dense, "--dataset", "mnist", "--method", "cur", "--lambda", "1e-6", "-o", output, "--checkpoint", Write("file", [1])],
            "resume-from-nothing" => [Dense, "--dataset", "mnist", "--method", "cur", "--lambda", "1e-6", "-o", output, "--checkpoint", PathOf("none"), "--resume"],
            "huge-lambda" => [Dense, "--dataset", "mnist", "--method", "cur", "--lambda", "1e307", "-o", output],
            "checkpoint-under-a-file" => [Dense, "--dataset", "mnist", "--method", "cur", "--lambda", "1e-6", "-o", output, "--checkpoint", Path.Combine(Write("plain", [1]), "ck")],
            "resume-from-empty" => [Dense, "--dataset", "mnist", "--method", "cur", "--lambda", "1e-6", "-o", output, "--checkpoint", Directory.CreateDirectory(PathOf("empty")).FullName, "--resume"],
            "checkpoint-is-output" => [Dense, "--dataset", "mnist", "--method", "cur", "--lambda", "1e-6", "-o", output, "--checkpoint", output],
            "huge-batch" => [Dense, "--dataset", "mnist", "--method", "cur", "--lambda", "1e-6", "-o", output, "--batch", "2147483647"],
            "every-layer-dense" => [Dense, "--dataset", "mnist", "--method", "cur", "--lambda", "1", "--keep-dense", "fc1,fc2", "-o", output],
            "classifier-in-keep-dense" => [Dense, "--dataset", "mnist", "--method", "cur", "--lambda", "1e-6", "--keep-dense", "fc3", "-o", output],
            "selection-with-svd" => [Dense, "--dataset", "mnist", "--method", "svd", "--selection", "deim", "--lambda", "1e-6", "-o", output],
            "finetune-lr-without-finetune" => [Dense, "--dataset", "mnist", "--method", "cur", "--lambda", "1e-6", "--finetune-lr", "0.01", "-o", output],
            "warmup-with-lambda" => [Dense, "--dataset", "mnist", "--method", "cur", "--lambda", "1e-6", "--ratio-warmup", "3", "-o", output],
            "already-factorized" => [Tool.Fixture("lenet300-factorized.elr"), "--dataset", "mnist", "--method", "cur", "--lambda", "1e-6", "-o", output],
            "validation-share-of-one" => [Dense, "--dataset", "mnist", "--method", "cur", "--lambda", "1e-6", "--validation", "1", "-o", output],
            "label-smoothing-of-one" => [Dense, "--dataset", "mnist", "--method", "cur", "--lambda", "1e-6", "--label-smoothing", "1", "-o", output],
            "unknown-layer" => [Dense, "--dataset", "mnist", "--method", "cur", "--lambda", "1e-6", "--keep-dense", "fc3,fc9", "-o", output],
            // --compress-classifier frees fc3, so it is not listed as dense, though --keep-dense names it too.
            "unknown-layer-classifier-freed" => [Dense, "--dataset", "mnist", "--method", "cur", "--lambda", "1e-6", "--keep-dense", "fc3,fc9", "--compress-classifier", "-o", output],
            "mu-beyond-float" => [Dense, "--dataset", "mnist", "--method", "cur", "--lambda", "1e-6", "--mu0", "1e40", "-o", output],
            "empty-keep-dense-entry" => [Dense, "--dataset", "mnist", "--method", "cur", "--lambda", "1e-6", "--keep-dense", ",fc3", "-o", output],
            "keep-velocity-one-step" => [Dense, "--dataset", "mnist", "--method", "cur", "--lambda", "1e-6", "--steps", "1", "--keep-velocity", "-o", output],
            "smoothing-teacher-only" => [Dense, "--dataset", "mnist", "--method", "cur", "--lambda", "1e-6", "--distill-weight", "1", "--label-smoothing", "0.1", "-o", output],
            "log-is-latency-table" => [Dense, "--dataset", "mnist", "--method", "cur", "--lambda", "1e-6", "--criterion", "latency", "--latency-table", Table(), "--log", Table(), "-o", output],
            "output-is-checkpoint-file" => [Dense, "--dataset", "mnist", "--method", "cur", "--lambda", "1e-6", "--checkpoint", Directory.CreateDirectory(PathOf("ck")).FullName,
                "-o", Path.Combine(PathOf("ck"), "lc-checkpoint.bin")],
            "checkpoint-file-is-a-folder" => [Dense, "--dataset", "mnist", "--method", "cur", "--lambda", "1e-6", "-o", output, "--checkpoint",
                Directory.CreateDirectory(Path.Combine(PathOf("ck"), "lc-checkpoint.bin")).Parent!.FullName],
            "vanishing-rate" => [Dense, "--dataset", "mnist", "--method", "cur", "--lambda", "1e-6", "--lr-decay", "1e-320", "-o", output],
            "vanishing-finetune-rate" => [Dense, "--dataset", "mnist", "--method", "cur", "--lambda", "1e-6", "--finetune-epochs", "3", "--finetune-lr-decay", "1e-300", "-o", output],
            "finetune-best-without-validation" => [Dense, "--dataset", "mnist", "--method", "cur", "--lambda", "1e-6", "--finetune-epochs", "2", "--finetune-best", "-o", output],
            "finetune-best-without-finetune" => [Dense, "--dataset", "mnist", "--method", "cur", "--lambda", "1e-6", "--validation", "0.1", "--finetune-best", "-o", output],
            "finetune-best-alone" => [Dense, "--dataset", "mnist", "--method", "cur", "--lambda", "1e-6", "--finetune-best", "-o", output],
            _ => [Dense, "--dataset", "digits", "--method", "cur", "--target-ratio", "4", "-o", output],
        };

        ToolResult result = Tool.ElrWith(new Dictionary<string, string> { ["ELR_DATA"] = cache }, ["compress", .. args]);

        // A path to fix is a file error (3), as for elr-run; the rest are settings to change (1).
        bool pathToFix = kind is "missing-model" or "missing-folder" or "log-is-output" or "log-is-latency-table" or "checkpoint-is-file"
            or "checkpoint-is-output" or "checkpoint-under-a-file" or "output-is-checkpoint-file" or "checkpoint-file-is-a-folder";
        Assert.Equal(pathToFix ? 3 : 1, result.ExitCode);
        Assert.StartsWith("elr: ", result.Error);
        Assert.Contains(message, result.Error);
        Assert.Single(result.Error.Trim().Split('\n'));
        Assert.False(File.Exists(output));
        Assert.Empty(Directory.EnumerateFileSystemEntries(cache));
        if (kind == "log-is-latency-table") Assert.Equal(File.ReadAllBytes(Tool.Fixture(Path.Combine("latency", "epyc-x64-v3.json"))), File.ReadAllBytes(Table()));
    }

    [Fact]
    public void A_checkpoint_folder_another_run_holds_is_refused_with_exit_code_3_before_any_work()
    {
        // A trial's two nightly jobs given one --checkpoint both passed the check for a checkpoint (the first writes none
        // before its first C step), overwrote each other's and exited 0.
        string folder = Directory.CreateDirectory(PathOf("ck")).FullName, output = PathOf("out.elr"), cache = Directory.CreateDirectory(PathOf("data-cache")).FullName;
        ToolResult result;
        using (EdgeLowRank.Compressor.Compression.CheckpointLock.Take(folder))   // the other run, as elr takes it
            result = Tool.ElrWith(new Dictionary<string, string> { ["ELR_DATA"] = cache },
                ["compress", Dense, "--dataset", "mnist", "--method", "cur", "--lambda", "1e-6", "--checkpoint", folder, "-o", output]);

        Assert.True(result.ExitCode == 3, result.Error);
        Assert.Equal($"elr: --checkpoint '{folder}' is in use by another elr run", result.Error[..(folder.Length + 49)]);
        Assert.False(File.Exists(output));
        Assert.Empty(Directory.EnumerateFileSystemEntries(cache));
    }

    /// <summary>A copy of the golden latency table, the same file on every call of one test.</summary>
    private string Table() =>
        File.Exists(PathOf("board.json")) ? PathOf("board.json") : Write("board.json", File.ReadAllBytes(Tool.Fixture(Path.Combine("latency", "epyc-x64-v3.json"))));

    [Theory]
    [InlineData("train")]
    [InlineData("compress")]
    [InlineData("demo")]
    public void Help_states_each_default_once(string command)
    {
        ToolResult result = Tool.Elr(command, "--help");

        Assert.Equal(0, result.ExitCode);
        // --threads said "(default: every core). [default: 2]": the parser prints the value, so the text must not restate it.
        string threads = Assert.Single(result.Output.Split('\n'), l => l.TrimStart().StartsWith("--threads"));
        Assert.EndsWith($"[default: {Environment.ProcessorCount}]", threads.TrimEnd());
        Assert.DoesNotContain(result.Output.Split('\n'), l => l.Contains("(default") && l.Contains("[default"));
    }

    [Fact]
    public void An_output_that_is_the_model_is_refused_and_the_model_kept()
    {
        string model = Write("model.elr", File.ReadAllBytes(Dense));

        ToolResult result = Tool.Elr("compress", model, "--dataset", "mnist", "--method", "svd", "--lambda", "1e-6", "-o", model);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("is the same file as MODEL; writing it would destroy MODEL", result.Error);
        Assert.Equal(File.ReadAllBytes(Dense), File.ReadAllBytes(model));
    }

    [Fact]
    public void A_value_that_does_not_parse_is_explained_without_type_names()
    {
        ToolResult result = Tool.Elr("compress", Dense, "--dataset", "mnist", "--lambda", "abc", "--seed", "-1", "--lr", "0,1", "--steps", "2", "--steps", "3", "-o", PathOf("out.elr"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--lr '0,1' is not a number as elr reads them: write decimals with a point (0.1)", result.Error); // the parser read it as 1
        Assert.Contains("for option '--lambda'; expected a number", result.Error);
        Assert.Contains("for option '--seed'; expected a whole number ≥ 0", result.Error);
        Assert.Contains("--steps is given 2 values; give it once", result.Error);
        Assert.Contains("see 'elr compress --help'", result.Error);
        Assert.DoesNotContain("System.", result.Error);
        Assert.Empty(result.Output); // not the whole help text
    }

    [Fact]
    public void The_demo_refuses_an_unreachable_ratio_before_it_trains()
    {
        string folder = PathOf("demo");

        ToolResult result = Tool.Elr("demo", "--out", folder, "--target-ratio", "1000");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--target-ratio 1000 cannot be reached", result.Error);
        Assert.False(Directory.Exists(folder));
    }
}
