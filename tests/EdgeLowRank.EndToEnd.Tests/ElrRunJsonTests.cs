using System.Text.Json;
using EdgeLowRank.Runtime.IO;
using EdgeLowRank.Runtime.Tests.IO;

namespace EdgeLowRank.EndToEnd.Tests;

/// <summary>
/// <c>elr-run run --json</c> for a pipeline: stdout is one JSON document holding what the text says (accuracy, top-k, each
/// class's recall and precision, each sample's classes, the --expect comparison), null for what was not asked, and messages
/// stay on stderr.
/// </summary>
public class ElrRunJsonTests : TempFiles
{
    // tiny-odd: 4 samples, 7 classes named α β γ δ ε ζ η. Its samples' best two: η α, γ δ, γ δ, α η.
    private static readonly string Model = Tool.Fixture("tiny-odd.elr"), Input = Tool.Fixture("tiny-odd.input.f32");

    /// <summary>η, δ, γ, η: samples 0 and 2 right; 1 and 3 wrong, their labels second (right at top-2).</summary>
    private string Labels() => Write("labels.npy", NpyBytes.Of(NpyDataType.Int64, [4], 6, 3, 2, 6));

    [Fact]
    public void With_labels_and_confusion_it_gives_the_accuracy_top_k_each_class_and_each_sample()
    {
        ToolResult result = Tool.ElrRun("run", Model, "--input", Input, "--labels", Labels(), "--top", "2", "--confusion", "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal("", result.Error);
        using var document = JsonDocument.Parse(result.Output);
        JsonElement root = document.RootElement;
        Assert.Equal((Model, Input, 4, 4), (root.GetProperty("model").GetString(), root.GetProperty("input").GetString(),
            root.GetProperty("count").GetInt32(), root.GetProperty("inputSamples").GetInt32()));
        Assert.Equal((0.5, 2, 2), (root.GetProperty("accuracy").GetDouble(), root.GetProperty("correct").GetInt32(), root.GetProperty("wrong").GetInt32()));
        JsonElement topK = root.GetProperty("topK");
        Assert.Equal((2, 1.0, 0), (topK.GetProperty("k").GetInt32(), topK.GetProperty("accuracy").GetDouble(), topK.GetProperty("wrong").GetInt32()));

        JsonElement η = root.GetProperty("perClass")[6];
        Assert.Equal(("η", 2, 0.5, 1, 1.0), (η.GetProperty("name").GetString(), η.GetProperty("samples").GetInt32(), η.GetProperty("recall").GetDouble(),
            η.GetProperty("predicted").GetInt32(), η.GetProperty("precision").GetDouble()));
        // β has no sample and was never given: its recall and precision are no number, as the text's "-".
        Assert.Equal((JsonValueKind.Null, JsonValueKind.Null), (root.GetProperty("perClass")[1].GetProperty("recall").ValueKind, root.GetProperty("perClass")[1].GetProperty("precision").ValueKind));
        // Sample 3, an η, was taken for α: row η, column α.
        Assert.Equal([1, 0, 0, 0, 0, 0, 1], root.GetProperty("confusionMatrix")[6].EnumerateArray().Select(e => e.GetInt32()));

        JsonElement[] predictions = [.. root.GetProperty("predictions").EnumerateArray()];
        Assert.Equal(4, predictions.Length);
        JsonElement second = predictions[1];
        Assert.Equal((1, 2, 3, true), (second.GetProperty("sample").GetInt32(), second.GetProperty("class").GetInt32(), second.GetProperty("label").GetInt32(),
            second.GetProperty("wrong").GetBoolean()));
        Assert.Equal(["γ", "δ"], second.GetProperty("top").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.Equal(0.7153, second.GetProperty("top")[0].GetProperty("score").GetDouble(), 4);
        Assert.Equal((JsonValueKind.Null, JsonValueKind.Null), (root.GetProperty("output").ValueKind, root.GetProperty("comparison").ValueKind));
    }

    [Fact]
    public void The_accuracy_counts_the_right_and_the_wrong_samples_apart()
    {
        // η, δ, γ, α: only sample 1 wrong (γ for δ), and right at top-2.
        string labels = Write("labels.npy", NpyBytes.Of(NpyDataType.Int64, [4], 6, 3, 2, 0));
        ToolResult result = Tool.ElrRun("run", Model, "--input", Input, "--labels", labels, "--top", "2", "-q", "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        using var document = JsonDocument.Parse(result.Output);
        JsonElement root = document.RootElement, topK = root.GetProperty("topK");
        Assert.Equal((0.75, 3, 1), (root.GetProperty("accuracy").GetDouble(), root.GetProperty("correct").GetInt32(), root.GetProperty("wrong").GetInt32()));
        Assert.Equal((1.0, 4, 0), (topK.GetProperty("accuracy").GetDouble(), topK.GetProperty("correct").GetInt32(), topK.GetProperty("wrong").GetInt32()));
    }

    [Fact]
    public void Without_labels_the_scores_are_null_and_quiet_leaves_out_the_predictions()
    {
        ToolResult result = Tool.ElrRun("run", Model, "--input", Input, "--limit", "3", "-q", "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        using var document = JsonDocument.Parse(result.Output);
        JsonElement root = document.RootElement;
        Assert.Equal((3, 4, 7), (root.GetProperty("count").GetInt32(), root.GetProperty("inputSamples").GetInt32(), root.GetProperty("outputsPerSample").GetInt32()));
        foreach (string absent in new[] { "labels", "accuracy", "correct", "wrong", "topK", "perClass", "confusionMatrix", "predictions", "output", "comparison" })
            Assert.True(root.GetProperty(absent).ValueKind == JsonValueKind.Null, absent);
    }

    [Fact]
    public void Wrong_only_gives_the_wrong_samples_predictions_only()
    {
        ToolResult result = Tool.ElrRun("run", Model, "--input", Input, "--labels", Labels(), "--wrong-only", "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        using var document = JsonDocument.Parse(result.Output);
        Assert.Equal([1, 3], document.RootElement.GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("sample").GetInt32()));
    }

    [Fact]
    public void An_expect_mismatch_is_in_the_document_and_the_exit_code_and_the_output_file_is_written()
    {
        // The expected outputs of the first sample, given for all four: samples 1 to 3 differ.
        byte[] first = File.ReadAllBytes(Tool.Fixture("tiny-odd.expected.f32"))[..(7 * sizeof(float))];
        string expect = Write("expected.f32", [.. first, .. first, .. first, .. first]);
        ToolResult result = Tool.ElrRun("run", Model, "--input", Input, "--expect", expect, "-q", "--output", PathOf("out.npy"), "--json");

        Assert.True(result.ExitCode == 4, result.Error);
        using var document = JsonDocument.Parse(result.Output);
        JsonElement comparison = document.RootElement.GetProperty("comparison");
        Assert.False(comparison.GetProperty("ok").GetBoolean());
        Assert.Equal(expect, comparison.GetProperty("expect").GetString());
        Assert.True(comparison.GetProperty("largestRelativeError").GetDouble() > comparison.GetProperty("tolerance").GetDouble());
        Assert.Equal(PathOf("out.npy"), document.RootElement.GetProperty("output").GetString());
        Assert.True(File.Exists(PathOf("out.npy")));
    }

    [Fact]
    public void A_bad_input_gives_its_message_on_stderr_and_nothing_on_stdout()
    {
        string labels = Write("three.npy", NpyBytes.Of(NpyDataType.Int64, [3], 6, 3, 2));
        ToolResult result = Tool.ElrRun("run", Model, "--input", Input, "--labels", labels, "--json");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Output);
        Assert.StartsWith("elr-run: error: ", result.Error);
    }
}
