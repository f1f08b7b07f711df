using System.Text.Json;
using EdgeLowRank.Compressor.Tests.Data;
using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.EndToEnd.Tests;

/// <summary><c>elr compress --ranks fc1=10,fc2=8</c>: LC compression to ranks the user fixes, refused before any work when the
/// list cannot work, and recorded in the first line, the log, the file and the checkpoint.</summary>
public class ElrCompressRanksTests : TempFiles
{
    /// <summary>LeNet-300-100: fc1 300×784 (ranks up to 216), fc2 100×300 (up to 74), fc3 10×100, the classifier.</summary>
    private static readonly string Dense = Tool.Fixture("lenet300-dense.elr");

    [Theory]
    [InlineData("fc1:10", "", "--ranks takes layer=rank pairs separated by commas, such as fc1=19,fc2=11; 'fc1:10' is not one.")]
    [InlineData("fc1=0", "", "--ranks gives fc1 the rank '0'; a rank is a whole number of at least 1.")]
    [InlineData("fc1=-3", "", "--ranks gives fc1 the rank '-3'; a rank is a whole number of at least 1.")]
    [InlineData("fc1=ten", "", "--ranks gives fc1 the rank 'ten'; a rank is a whole number of at least 1.")]
    [InlineData("fc1=10,fc1=12", "", "--ranks names fc1 twice; give each layer one rank.")]
    [InlineData("fc9=10", "--lambda 1e-6", "--ranks names 'fc9', but the dense and convolution layers of this network are fc1, fc2, fc3.")]
    [InlineData("fc1=217", "--lambda 1e-6", "--ranks gives fc1 (300×784) rank 217, whose factors store 235,228 numbers, no fewer than its dense 235,200: from rank 217 on the layer is better left dense; give it a rank from 1 to 216, or name it in --keep-dense to keep it dense.")]
    [InlineData("fc1=10,fc2=8", "--keep-dense fc2", "--ranks gives fc2 rank 8 and --keep-dense keeps it dense; name it in one of the two.")]
    [InlineData("fc1=10,fc3=5", "--lambda 1e-6", "--ranks names fc3, the classifier, which stays dense unless --compress-classifier: below one rank per class its logits lose dimensions. Add --compress-classifier to factorize it, or drop it from --ranks.")]
    [InlineData("fc1=10,fc2=8", "--lambda 1e-6", "--lambda is meaningless here: --ranks fixes every layer the C step may factorize, so no rank is left for λ to price; drop --lambda.")]
    [InlineData("fc1=10,fc2=8", "--target-ratio 4", "--target-ratio is meaningless here: --ranks fixes every layer the C step may factorize, so the ratio follows from the ranks; drop --target-ratio.")]
    [InlineData("fc1=10", "", "--ranks leaves fc2 to the C step, which chooses its rank by --lambda X or --target-ratio R: give one, or fix those layers in --ranks too (or keep them dense with --keep-dense).")]
    [InlineData("fc1=10,fc2=8,fc3=5", "--compress-classifier --target-ratio 4", "--target-ratio is meaningless here")]
    public void A_ranks_list_that_cannot_work_is_one_line_and_writes_nothing(string ranks, string more, string message)
    {
        string output = PathOf("out.elr"), cache = PathOf("data-cache");
        Directory.CreateDirectory(cache);
        string[] extra = more.Split(' ', StringSplitOptions.RemoveEmptyEntries);

        ToolResult result = Tool.ElrWith(new Dictionary<string, string> { ["ELR_DATA"] = cache },
            ["compress", Dense, "--dataset", "mnist", "--method", "cur", "--ranks", ranks, .. extra, "-o", output]);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"elr: {message}", result.Error.Trim()[..Math.Min(result.Error.Trim().Length, message.Length + 5)]);
        Assert.Single(result.Error.Trim().Split('\n'));
        Assert.False(File.Exists(output));
        Assert.Empty(Directory.EnumerateFileSystemEntries(cache));
    }

    [RealDataFact("digits")]
    public void A_run_to_fixed_ranks_ends_at_them_and_records_them_everywhere()
    {
        string reference = PathOf("digits.elr"), output = PathOf("fixed.elr"), log = PathOf("fixed.json"), checkpoint = PathOf("ck");
        DigitsReference.Train(reference);
        Directory.CreateDirectory(checkpoint);
        string[] run = ["compress", reference, "--method", "cur", "--ranks", "fc1=10,fc2=8", "--steps", "4", "--threads", "1",
            "--checkpoint", checkpoint, "--log", log, "-o", output];

        ToolResult result = Tool.Elr(run);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("storage cost, no λ, ranks fixed: fc1 10, fc2 8, ", result.Output);
        // No λ column: its 0 prices nothing here.
        Assert.Contains("\nstep\tμ\tloss\ttest error\tr fc1\tr fc2\tr fc3\t", result.Output);
        using (Model written = ModelReader.Load(output))
        {
            Assert.Equal([10, 8], written.Layers.Where(l => l.Kind == LayerKind.FactorizedDense).Select(l => l.Rank));
            Assert.Equal("fc1=10,fc2=8", written.Metadata.Properties["compress.fixed-ranks"]);
            Assert.Equal("10,8,-1", written.Metadata.Properties["compress.ranks"]);
            Assert.Equal("none", written.Metadata.Properties["compress.lambda"]);
        }
        using (JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(log)))
        {
            Assert.Equal("fc1=10,fc2=8", json.RootElement.GetProperty("settings").GetProperty("fixedRanks").GetString());
            Assert.All(json.RootElement.GetProperty("steps").EnumerateArray(), step =>
                Assert.Equal([10, 8, -1], step.GetProperty("ranks").EnumerateArray().Select(r => r.GetInt32())));
        }
        // The checkpoint is of these ranks: a resume with others is refused naming --ranks, before any work.
        string[] other = [.. run.Select(a => a == "fc1=10,fc2=8" ? "fc1=9,fc2=8" : a), "--resume"];
        ToolResult refused = Tool.Elr(other);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("belongs to another run (--ranks fc1=10,fc2=8 there, fc1=9,fc2=8 here)", refused.Error);
    }
}
