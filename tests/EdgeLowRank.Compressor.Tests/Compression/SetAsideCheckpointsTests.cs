using EdgeLowRank.Compressor.Compression;
using EdgeLowRank.Compressor.Tests.Data;

namespace EdgeLowRank.Compressor.Tests.Compression;

/// <summary>The checkpoints --auto-resume sets aside by digest: moved, taken back, and listed for --delete-checkpoint's message.</summary>
public sealed class SetAsideCheckpointsTests
{
    private const string Theirs = "00000000000000aa", Ours = "00000000000000bb";

    [Fact]
    public void A_swap_sets_the_checkpoint_aside_by_its_digest_and_says_nothing_was_taken_back_when_none_of_ours_was_there()
    {
        using var folder = new TempDirectory();
        string file = folder.File("lc-checkpoint.bin");
        File.WriteAllText(file, "theirs");

        CheckpointSwap swap = SetAsideCheckpoints.Swap(file, Theirs, Ours);

        Assert.Equal(folder.File($"lc-checkpoint.{Theirs}.bin"), swap.SetAsideAs);
        Assert.Equal("theirs", File.ReadAllText(swap.SetAsideAs));
        Assert.Null(swap.TakenBack);
        Assert.False(File.Exists(file));
    }

    [Fact]
    public void A_swap_takes_back_the_checkpoint_set_aside_under_this_runs_digest_and_names_it()
    {
        using var folder = new TempDirectory();
        string file = folder.File("train-checkpoint.bin");
        File.WriteAllText(file, "theirs");
        File.WriteAllText(folder.File($"train-checkpoint.{Ours}.bin"), "ours");

        CheckpointSwap swap = SetAsideCheckpoints.Swap(file, Theirs, Ours);

        Assert.Equal(folder.File($"train-checkpoint.{Ours}.bin"), swap.TakenBack);
        Assert.Equal("ours", File.ReadAllText(file));
        Assert.Equal(["theirs"], SetAsideCheckpoints.Beside(file).Select(f => File.ReadAllText(f.FullName)));
    }

    [Fact]
    public void Only_the_checkpoints_set_aside_beside_the_file_are_listed_with_their_sizes()
    {
        using var folder = new TempDirectory();
        string file = folder.File("lc-checkpoint.bin");
        File.WriteAllText(file, "current");
        File.WriteAllText(folder.File($"lc-checkpoint.{Ours}.bin"), "12345");
        File.WriteAllText(folder.File($"lc-checkpoint.{Theirs}.bin"), "123");
        File.WriteAllText(folder.File($"train-checkpoint.{Theirs}.bin"), "the other command's");
        File.WriteAllText(folder.File("lc-checkpoint.old.bin"), "a user's copy");
        File.WriteAllText(folder.File("lc-checkpoint.lock"), "");

        IReadOnlyList<FileInfo> aside = SetAsideCheckpoints.Beside(file);

        Assert.Equal([$"lc-checkpoint.{Theirs}.bin", $"lc-checkpoint.{Ours}.bin"], aside.Select(f => f.Name));
        Assert.Equal(8, aside.Sum(f => f.Length));
    }
}
