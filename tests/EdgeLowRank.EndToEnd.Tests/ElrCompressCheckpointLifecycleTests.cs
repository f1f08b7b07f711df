using EdgeLowRank.Compressor.Tests.Data;

namespace EdgeLowRank.EndToEnd.Tests;

/// <summary><c>--auto-resume</c> and <c>--delete-checkpoint</c>: one command for a job's first run and its retries, and a
/// folder left empty by a run that finished (a trial's pipeline wrapped elr in a test for the checkpoint file and an rm).</summary>
public class ElrCompressCheckpointLifecycleTests : TempFiles
{
    private static readonly string Dense = Tool.Fixture("lenet300-dense.elr");

    [Theory]
    [InlineData("--auto-resume", "--auto-resume needs --checkpoint FOLDER.")]
    [InlineData("--delete-checkpoint", "--delete-checkpoint needs --checkpoint FOLDER.")]
    [InlineData("--auto-resume --resume --checkpoint ck", "--resume and --auto-resume overlap")]
    public void A_lifecycle_option_that_cannot_work_is_refused_before_any_work(string options, string message)
    {
        string output = PathOf("out.elr");
        string[] extra = [.. options.Split(' ').Select(o => o == "ck" ? PathOf("ck") : o)];

        ToolResult result = Tool.Elr(["compress", Dense, "--dataset", "mnist", "--method", "cur", "--lambda", "1e-6", .. extra, "-o", output]);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"elr: {message}", result.Error);
        Assert.False(File.Exists(output));
    }

    [RealDataFact("digits")]
    public void The_same_command_starts_a_run_resumes_it_and_leaves_no_checkpoint_once_the_model_is_written()
    {
        string reference = PathOf("digits.elr"), folder = PathOf("ck"), output = PathOf("small.elr");
        DigitsReference.Train(reference);
        string[] run = ["compress", reference, "--method", "svd", "--target-ratio", "4", "--steps", "3", "--threads", "1", "--checkpoint", folder, "-o", output];

        // The first night: no checkpoint, so a new run; it keeps its checkpoint, as a run without --delete-checkpoint does.
        ToolResult first = Tool.Elr([.. run, "--auto-resume"]);
        Assert.True(first.ExitCode == 0, first.Error);
        Assert.DoesNotContain("resuming from the checkpoint", first.Output);
        Assert.True(File.Exists(Path.Combine(folder, "lc-checkpoint.bin")));

        // The retry: the same command takes the checkpoint up, and once the model is written removes it (the folder stays,
        // with the lock file runs take turns on: the next night's run starts there anew).
        ToolResult retry = Tool.Elr([.. run, "--auto-resume", "--delete-checkpoint"]);
        Assert.True(retry.ExitCode == 0, retry.Error);
        Assert.Contains("resuming from the checkpoint", retry.Output);
        Assert.Contains($"removed the checkpoint in {folder} (--delete-checkpoint)", retry.Output);
        Assert.Equal(["lc-checkpoint.lock"], Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName));
        Assert.True(File.Exists(output));
    }

    [RealDataFact("digits")]
    public void Auto_resume_starts_anew_over_a_checkpoint_of_a_reference_trained_again_in_place_but_not_of_other_settings()
    {
        string reference = PathOf("digits.elr"), folder = PathOf("ck"), output = PathOf("small.elr");
        DigitsReference.Train(reference);
        string[] run = ["compress", reference, "--method", "svd", "--target-ratio", "4", "--steps", "2", "--threads", "1", "--checkpoint", folder, "--auto-resume", "-o", output];
        Assert.True(Tool.Elr(run) is { ExitCode: 0 } first, "the first night's run");
        byte[] firstNight = File.ReadAllBytes(Path.Combine(folder, "lc-checkpoint.bin"));

        // The next night the job trains the reference again into the same file, and the checkpoint of the night before
        // (of a run killed after its LC steps, as far as this run can tell) can never be resumed.
        ToolResult retrained = Tool.Elr("train", "--dataset", "digits", "--model", "digits-mlp", "--epochs", "5", "--seed", "2", "--threads", "1", "-o", reference);
        Assert.True(retrained.ExitCode == 0, retrained.Error);
        ToolResult other = Tool.Elr([.. run.Select(a => a == "2" ? "3" : a)]); // --steps 3: a change to the job, still refused
        Assert.Equal(1, other.ExitCode);
        Assert.Contains("belongs to another run", other.Error);

        ToolResult nextNight = Tool.Elr(run);
        Assert.True(nextNight.ExitCode == 0, nextNight.Error);
        Assert.Contains("is of a run with the same settings on other weights of digits-mlp than digits.elr holds now", nextNight.Error);
        Assert.DoesNotContain("resuming from the checkpoint", nextNight.Output);
        byte[] secondNight = File.ReadAllBytes(Path.Combine(folder, "lc-checkpoint.bin"));
        Assert.NotEqual(firstNight, secondNight);
        // Set aside by its reference's digest, not lost: the fingerprint cannot tell a reference trained again from another
        // file of the same network given by mistake.
        string firstAside = Assert.Single(SetAside(folder));
        Assert.Equal(firstNight, File.ReadAllBytes(firstAside));

        // The new checkpoint is this reference's: the same command now resumes it.
        ToolResult retry = Tool.Elr(run);
        Assert.True(retry.ExitCode == 0, retry.Error);
        Assert.Contains("resuming from the checkpoint", retry.Output);
        Assert.DoesNotContain("other weights", retry.Error);

        // The first reference back (the same seed, so the same weights): its checkpoint is taken back and resumed, and the
        // second night's set aside in turn; a trial's job lost the first when one slot held every set-aside checkpoint.
        DigitsReference.Train(reference);
        ToolResult back = Tool.Elr(run);
        Assert.True(back.ExitCode == 0, back.Error);
        Assert.Contains("resumes the checkpoint of these weights set aside before", back.Error);
        Assert.Contains("resuming from the checkpoint", back.Output);
        Assert.Equal(2, SetAside(folder).Length + 1);   // the second night's aside, the first's back in place
        Assert.False(File.Exists(firstAside));
    }

    /// <summary>The checkpoints set aside in <paramref name="folder"/>: lc-checkpoint.DIGEST.bin.</summary>
    private static string[] SetAside(string folder) =>
        [.. Directory.GetFiles(folder, "lc-checkpoint.*.bin").Where(f => Path.GetFileName(f) != "lc-checkpoint.bin")];
}
