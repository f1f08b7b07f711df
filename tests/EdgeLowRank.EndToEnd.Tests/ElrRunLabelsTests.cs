using EdgeLowRank.Runtime.IO;
using EdgeLowRank.Runtime.Tests.IO;

namespace EdgeLowRank.EndToEnd.Tests;

/// <summary>
/// <c>elr-run run --labels</c> as an on-device accuracy check: top-k accuracy, each sample's label beside its classes,
/// only the wrong samples, the confusion matrix; and these options refused where they would change nothing.
/// </summary>
public class ElrRunLabelsTests : TempFiles
{
    // tiny-odd: 4 samples, 7 classes named α β γ δ ε ζ η. Its samples' best two: η α, γ δ, γ δ, α η.
    private static readonly string Model = Tool.Fixture("tiny-odd.elr"), Input = Tool.Fixture("tiny-odd.input.f32");

    /// <summary>η, δ, γ, η: samples 0 and 2 right; 1 and 3 wrong, their labels second (right at top-2).</summary>
    private string Labels() => Write("labels.npy", NpyBytes.Of(NpyDataType.Int64, [4], 6, 3, 2, 6));

    [Fact]
    public void A_top_k_above_1_adds_the_top_k_accuracy_under_the_top_1_line()
    {
        ToolResult top2 = Tool.ElrRun("run", Model, "--input", Input, "--labels", Labels(), "--top", "2", "-q");
        ToolResult top1 = Tool.ElrRun("run", Model, "--input", Input, "--labels", Labels(), "--top", "1", "-q");
        ToolResult every = Tool.ElrRun("run", Model, "--input", Input, "--labels", Labels(), "--top", "7", "-q");

        Assert.True(top2.ExitCode == 0, top2.Error);
        Assert.Matches(@"^accuracy 50\.00% \(2 of 4 wrong\) against \S+labels\.npy\r?\ntop-2 accuracy 100\.00% \(0 of 4 with the label outside the best 2\)\r?\n$", top2.Output);
        Assert.True(top1.ExitCode == 0, top1.Error);
        Assert.Matches(@"^accuracy 50\.00% \(2 of 4 wrong\) against \S+\r?\n$", top1.Output);
        // Every class is among the best 7: no top-7 line, which would say 100% of any model.
        Assert.DoesNotContain("top-7", every.Output);
    }

    [Fact]
    public void Each_sample_line_ends_with_its_label_by_name_and_a_wrong_class_is_marked()
    {
        ToolResult result = Tool.ElrRun("run", Model, "--input", Input, "--labels", Labels(), "--top", "2");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("sample 0: η (1.0190)  α (0.3337)  label η\n", result.Output.ReplaceLineEndings("\n"));
        Assert.Contains("sample 1: γ (0.7153)  δ (0.5277)  label δ, wrong\n", result.Output.ReplaceLineEndings("\n"));
        Assert.Contains("sample 2: γ (0.7663)  δ (0.4776)  label γ\n", result.Output.ReplaceLineEndings("\n"));
        Assert.Contains("sample 3: α (0.4964)  η (0.4264)  label η, wrong\n", result.Output.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Wrong_only_prints_the_lines_of_the_wrong_samples_and_the_accuracy()
    {
        ToolResult result = Tool.ElrRun("run", Model, "--input", Input, "--labels", Labels(), "--top", "2", "--wrong-only");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(["sample 1: γ (0.7153)  δ (0.5277)  label δ, wrong", "sample 3: α (0.4964)  η (0.4264)  label η, wrong",
            "accuracy 50.00% (2 of 4 wrong) against " + PathOf("labels.npy"), "top-2 accuracy 100.00% (0 of 4 with the label outside the best 2)"],
            result.Output.TrimEnd().Split(Environment.NewLine));
    }

    [Fact]
    public void Confusion_prints_the_matrix_by_class_name_after_the_accuracy()
    {
        ToolResult result = Tool.ElrRun("run", Model, "--input", Input, "--labels", Labels(), "--confusion", "-q");

        Assert.True(result.ExitCode == 0, result.Error);
        string[] lines = result.Output.TrimEnd().Split(Environment.NewLine);
        Assert.StartsWith("accuracy 50.00% (2 of 4 wrong)", lines[0]);
        Assert.Equal("confusion matrix: rows are the true classes, columns the classes predicted", lines[2]);
        Assert.Matches(@"^true \\ predicted\s+α\s+β\s+γ\s+δ\s+ε\s+ζ\s+η\s+recall$", lines[3]);
        // Rows α to η after the dashes; δ's one sample taken for γ, η's two for η and α.
        Assert.Matches(@"^δ\s+0\s+0\s+1\s+0\s+0\s+0\s+0\s+0\.0%$", lines[8]);
        Assert.Matches(@"^η\s+1\s+0\s+0\s+0\s+0\s+0\s+1\s+50\.0%$", lines[11]);
        Assert.Matches(@"^precision\s+0\.0%\s+-\s+50\.0%\s+-\s+-\s+-\s+100\.0%\s*$", lines[12]);
        Assert.Equal(13, lines.Length);
    }

    [Theory]
    [InlineData("--wrong-only is only used with --labels", "--wrong-only")]
    [InlineData("--confusion is only used with --labels", "--confusion", "-q")]
    [InlineData("--wrong-only is only used without --quiet", "--wrong-only", "-q", "--labels", "LABELS")]
    public void Label_options_without_labels_and_wrong_only_with_quiet_are_usage_errors(string message, params string[] options)
    {
        string labels = Labels();

        ToolResult result = Tool.ElrRun(["run", Model, "--input", Input, .. options.Select(o => o == "LABELS" ? labels : o)]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.Error);
        Assert.Empty(result.Output);
    }

    [Fact]
    public void Top_with_quiet_is_taken_with_labels_for_the_top_k_accuracy()
    {
        ToolResult result = Tool.ElrRun("run", Model, "--input", Input, "--labels", Labels(), "-q", "--top", "3");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("top-3 accuracy 100.00%", result.Output);
    }
}
