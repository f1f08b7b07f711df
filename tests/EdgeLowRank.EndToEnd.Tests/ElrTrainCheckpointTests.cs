using System.Diagnostics;
using System.Text.Json;
using EdgeLowRank.Compressor.Tests.Data;

namespace EdgeLowRank.EndToEnd.Tests;

/// <summary>
/// <c>elr train --checkpoint</c>: a run stopped by SIGTERM (a preemption, systemd, `timeout`) keeps its finished epochs, says
/// how to continue, and the same command with --resume writes the network an uninterrupted run writes, bit for bit.
/// </summary>
public class ElrTrainCheckpointTests : TempFiles
{
    /// <summary>Forty epochs of the digits MLP: seconds, so the signal after the second epoch comes well before the end.</summary>
    private static string[] Command(string output, string threads, params string[] extra) => Command(output, threads, 40, extra);

    /// <summary>The digits MLP for <paramref name="epochs"/> epochs on one data set (the digits unless <paramref name="extra"/> names another).</summary>
    private static string[] Command(string output, string threads, int epochs, params string[] extra) =>
        ["train", "--dataset", "digits", "--model", "digits-mlp", "--epochs", $"{epochs}", "--lr-decay", "0.97", "--weight-decay", "1e-4", "--threads", threads, .. extra, "-o", output];

    private static string NetworkDigest(string model)
    {
        ToolResult inspected = Tool.Elr("inspect", "--json", model);
        Assert.True(inspected.ExitCode == 0, inspected.Error);
        return JsonDocument.Parse(inspected.Output).RootElement.GetProperty("networkSha256").GetString()!;
    }

    [RealDataFact("digits")]
    public void A_run_stopped_by_SIGTERM_resumes_to_the_network_of_an_uninterrupted_run()
    {
        string whole = PathOf("whole.elr"), resumed = PathOf("resumed.elr"), folder = PathOf("ck");
        ToolResult uninterrupted = Tool.Elr(Command(whole, "1"));
        Assert.True(uninterrupted.ExitCode == 0, uninterrupted.Error);

        // Stopped by the 2-thread run, resumed by a 1-thread one: the thread count changes no bit.
        string[] interrupted = Command(resumed, "2", "--checkpoint", folder);
        using (Process process = Tool.StartElr(new Dictionary<string, string> { ["ELR_DATA"] = RealData.Cache.Root }, interrupted))
        {
            using var ended = new RunningTool.EndedAfterTest(process);
            Task<string> error = process.StandardError.ReadToEndAsync();
            var waited = Stopwatch.StartNew();
            // The epoch's line comes after its checkpoint is written.
            while (process.StandardOutput.ReadLine() is string line && !line.StartsWith("epoch 2/40", StringComparison.Ordinal))
                Assert.True(waited.Elapsed < RunningTool.Patience, "no second epoch in 60 s");
            RunningTool.Send(process, "-TERM");
            _ = process.StandardOutput.ReadToEndAsync();
            Assert.True(process.WaitForExit(RunningTool.Patience), "elr train did not stop in 60 s of SIGTERM");
            Assert.Equal(143, process.ExitCode);
            Assert.Contains($"elr: the run so far is in the checkpoint in {folder}: run the same command with --resume to continue after its last finished epoch.\n"
                + "elr: terminated (SIGTERM).\n", error.Result);
        }
        Assert.True(File.Exists(Path.Combine(folder, "train-checkpoint.bin")));
        Assert.False(File.Exists(resumed));

        // The same command again without --resume would overwrite the run: refused.
        ToolResult anew = Tool.Elr(interrupted);
        Assert.Equal(1, anew.ExitCode);
        Assert.Contains("holds a training run's checkpoint (", anew.Error);

        string log = PathOf("resumed.json");
        ToolResult continued = Tool.Elr(Command(resumed, "1", "--checkpoint", folder, "--resume", "--delete-checkpoint", "--log", log));
        Assert.True(continued.ExitCode == 0, continued.Error);
        Assert.Contains($"resuming from the checkpoint in {folder}: ", continued.Output);
        // The log holds the whole run's history, the checkpoint's epochs as they were measured then first.
        using (JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(log)))
        {
            JsonElement root = json.RootElement;
            int before = root.GetProperty("resumedEpochs").GetInt32();
            Assert.InRange(before, 2, 39);
            Assert.True(root.GetProperty("secondsBeforeResume").GetDouble() > 0);
            Assert.Equal(Enumerable.Range(1, 40), root.GetProperty("epochs").EnumerateArray().Select(e => e.GetProperty("epoch").GetInt32()));
        }
        Assert.Contains("s were before the resume, in the checkpoint's ", continued.Output);
        Assert.Contains($"removed the checkpoint in {folder} (--delete-checkpoint)", continued.Output);
        Assert.Equal(NetworkDigest(whole), NetworkDigest(resumed));
    }

    [RealDataFact("digits")]
    public void A_finished_run_resumed_with_more_epochs_writes_the_network_of_an_uninterrupted_longer_run_and_fewer_are_refused()
    {
        string four = PathOf("four.elr"), two = PathOf("two.elr"), again = PathOf("again.elr"), longer = PathOf("longer.elr"), folder = PathOf("ck");
        ToolResult uninterrupted = Tool.Elr(Command(four, "1", 4));
        Assert.True(uninterrupted.ExitCode == 0, uninterrupted.Error);
        ToolResult first = Tool.Elr(Command(two, "1", 2, "--checkpoint", folder));
        Assert.True(first.ExitCode == 0, first.Error);

        // Fewer epochs than the checkpoint holds: the network after epoch 1 is not in it.
        ToolResult fewer = Tool.Elr(Command(PathOf("one.elr"), "1", 1, "--checkpoint", folder, "--resume"));
        Assert.Equal(1, fewer.ExitCode);
        Assert.Contains($"The checkpoint in {folder} holds 2 finished epochs, more than --epochs 1, and only the network after its last: give --epochs 2", fewer.Error);
        Assert.False(File.Exists(PathOf("one.elr")));

        // As many: nothing to train, the checkpoint's network is written.
        ToolResult same = Tool.Elr(Command(again, "1", 2, "--checkpoint", folder, "--resume"));
        Assert.True(same.ExitCode == 0, same.Error);
        Assert.Contains($"resuming from the checkpoint in {folder}: all 2 epochs done: nothing to train, its network is written (a larger --epochs trains on; ", same.Output);
        Assert.Equal(NetworkDigest(two), NetworkDigest(again));

        // More: trains on, to the bits of the uninterrupted 4-epoch run (the rate of an epoch does not depend on the total).
        ToolResult resumed = Tool.Elr(Command(longer, "2", 4, "--checkpoint", folder, "--resume"));
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Contains($"resuming from the checkpoint in {folder}: 2 of 4 epochs done", resumed.Output);
        Assert.Equal(NetworkDigest(four), NetworkDigest(longer));
    }

    [RealDataFact("digits")]
    public void A_checkpoint_of_other_settings_is_refused_before_the_data_is_read_naming_only_what_differs()
    {
        // The digits as a folder of one's own, so that its training pixels can be changed.
        string own = PathOf("own"), folder = PathOf("ck");
        foreach (string part in new[] { "train", "test" })
        {
            ToolResult exported = Tool.Elr("data", "export", "digits", "--part", part, "-o", own);
            Assert.True(exported.ExitCode == 0, exported.Error);
        }
        string[] Run(string seed, params string[] extra) =>
            ["train", "--dataset", own, "--model", "digits-mlp", "--epochs", "2", "--validation", "0.1", "--seed", seed, "--threads", "1",
                "--checkpoint", folder, .. extra, "-o", PathOf("own.elr")];
        ToolResult first = Tool.Elr(Run("1"));
        Assert.True(first.ExitCode == 0, first.Error);
        Assert.True(File.Exists(Path.Combine(folder, "train-checkpoint.bin")));

        // Another seed draws another --validation split, but the training samples are the same: the seed alone is named.
        ToolResult seeded = Tool.Elr(Run("2", "--resume"));
        Assert.Equal(1, seeded.ExitCode);
        Assert.Contains($"The checkpoint in {folder} belongs to another run (--seed 1 there, 2 here); ", seeded.Error);

        // The settings are compared before the data is read: training pixels cut short are not reached.
        string images = Path.Combine(own, "train-images.npy");
        byte[] pixels = File.ReadAllBytes(images);
        File.WriteAllBytes(images, pixels[..^4]);
        ToolResult unread = Tool.Elr(Run("2", "--resume"));
        Assert.Equal(1, unread.ExitCode);
        Assert.Contains($"The checkpoint in {folder} belongs to another run (--seed 1 there, 2 here); ", unread.Error);
        Assert.DoesNotContain("train-images.npy", unread.Error);

        // Other pixels under the same settings: only the data, once read, can tell.
        pixels[^1] ^= 1;
        File.WriteAllBytes(images, pixels);
        ToolResult changed = Tool.Elr(Run("1", "--resume"));
        Assert.Equal(1, changed.ExitCode);
        Assert.Matches($@"The checkpoint in {System.Text.RegularExpressions.Regex.Escape(folder)} belongs to another run \(--dataset \(the training samples\) own/train, 1,?\d+ training samples, xxh64 [0-9a-f]{{16}} there, own/train, 1,?\d+ training samples, xxh64 [0-9a-f]{{16}} here\); ",
            changed.Error);

        // The same samples under another folder's name are another data set: --auto-resume refuses that checkpoint too.
        string other = PathOf("other");
        Directory.CreateDirectory(other);
        foreach (string array in Directory.GetFiles(own)) File.Copy(array, Path.Combine(other, Path.GetFileName(array)));
        ToolResult elsewhere = Tool.Elr([.. Run("1", "--auto-resume").Select(a => a == own ? other : a)]);
        Assert.Equal(1, elsewhere.ExitCode);
        Assert.Contains("belongs to another run (--dataset (the training samples) own/train", elsewhere.Error);

        // A job's --auto-resume over that checkpoint starts anew (the samples of own changed since, so it can never be
        // resumed), sets the old one aside, and the checkpoint it leaves is of these samples: the same command resumes it.
        byte[] before = File.ReadAllBytes(Path.Combine(folder, "train-checkpoint.bin"));
        ToolResult anew = Tool.Elr(Run("1", "--auto-resume"));
        Assert.True(anew.ExitCode == 0, anew.Error);
        Assert.Contains($"the checkpoint in {folder} is of a run with the same settings on other training samples of own/train", anew.Error);
        Assert.DoesNotContain("resuming from the checkpoint", anew.Output);
        string aside = Assert.Single(Directory.GetFiles(folder, "train-checkpoint.*.bin"), f => Path.GetFileName(f) != "train-checkpoint.bin");
        Assert.Equal(before, File.ReadAllBytes(aside));
        ToolResult resumed = Tool.Elr(Run("1", "--auto-resume"));
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Contains("resuming from the checkpoint", resumed.Output);

        // The first samples back: their checkpoint is taken back and resumed, the changed samples' set aside in turn.
        pixels[^1] ^= 1;
        File.WriteAllBytes(images, pixels);
        ToolResult restored = Tool.Elr(Run("1", "--auto-resume"));
        Assert.True(restored.ExitCode == 0, restored.Error);
        Assert.Contains("resumes the checkpoint of these samples set aside before", restored.Error);
        Assert.Contains("resuming from the checkpoint", restored.Output);
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(folder, "train-checkpoint.bin")));
        Assert.DoesNotContain("test part changed", restored.Error);

        // A test label changed between a stop and a resume refuses nothing (no weight depends on it), but is told of: a trial's
        // resumed run scored 96.38% before and 70.19% after with no word.
        string testLabels = Path.Combine(own, "test-labels.npy");
        byte[] labels = File.ReadAllBytes(testLabels);
        labels[^1] = (byte)((labels[^1] + 1) % 10);
        File.WriteAllBytes(testLabels, labels);
        ToolResult longer = Tool.Elr([.. Run("1", "--resume").Select(a => a == "2" ? "3" : a)]);   // --epochs 3
        Assert.True(longer.ExitCode == 0, longer.Error);
        Assert.Contains("elr: warning: the test part changed since the checkpoint (own/test, 359 test samples, xxh64 ", longer.Error);
        Assert.Contains("its 2 epochs were scored on the other images", longer.Error);

        // The same samples in a folder of another name (moved or renamed) train the same weights: resumed, not refused.
        string moved = PathOf("moved");
        Directory.CreateDirectory(moved);
        foreach (string array in Directory.GetFiles(own)) File.Copy(array, Path.Combine(moved, Path.GetFileName(array)));
        ToolResult renamed = Tool.Elr([.. Run("1", "--resume").Select(a => a == "2" ? "3" : a == own ? moved : a)]);
        Assert.True(renamed.ExitCode == 0, renamed.Error);
        Assert.Contains("resuming from the checkpoint", renamed.Output);
    }

    [Fact]
    public void A_folder_of_the_other_command_is_refused_by_both()
    {
        string trainFolder = PathOf("train-ck"), compressFolder = PathOf("compress-ck");
        Directory.CreateDirectory(trainFolder);
        File.WriteAllBytes(Path.Combine(trainFolder, "train-checkpoint.bin"), [1, 2, 3]);
        Directory.CreateDirectory(compressFolder);
        File.WriteAllBytes(Path.Combine(compressFolder, "lc-checkpoint.bin"), [1, 2, 3]);

        ToolResult compress = Tool.Elr("compress", Tool.Fixture("lenet300-dense.elr"), "--dataset", "mnist", "--method", "svd", "--lambda", "1e-6",
            "--checkpoint", trainFolder, "--auto-resume", "-o", PathOf("c.elr"));
        Assert.Equal(1, compress.ExitCode);
        Assert.Contains("holds a checkpoint of elr train (train-checkpoint.bin), not of elr compress", compress.Error);

        ToolResult train = Tool.Elr("train", "--dataset", "digits", "--model", "digits-mlp", "--checkpoint", compressFolder, "--auto-resume", "-o", PathOf("t.elr"));
        Assert.Equal(1, train.ExitCode);
        Assert.Contains("holds a checkpoint of elr compress (lc-checkpoint.bin), not of elr train", train.Error);
    }
}
