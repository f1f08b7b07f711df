using System.Text.Json;
using EdgeLowRank.Compressor.Tests.Data;

namespace EdgeLowRank.EndToEnd.Tests;

/// <summary><c>elr eval --json</c> and <c>elr inspect --json</c>: one JSON document on stdout that says what the text says,
/// for a pipeline that gates on it (a trial parsed the last line's prose).</summary>
public class ElrJsonOutputTests : TempFiles
{
    [RealDataFact("digits")]
    public void Eval_json_holds_the_accuracy_and_matrix_the_text_shows_and_nothing_else_on_stdout()
    {
        string model = PathOf("digits.elr");
        DigitsReference.Train(model);

        ToolResult text = Tool.Elr("eval", model);
        ToolResult json = Tool.Elr("eval", model, "--json");

        Assert.True(json.ExitCode == 0, json.Error);
        using JsonDocument document = JsonDocument.Parse(json.Output);   // the whole of stdout is the document
        JsonElement root = document.RootElement;
        int samples = root.GetProperty("count").GetInt32(), correct = root.GetProperty("correct").GetInt32();
        Assert.Equal(samples - correct, root.GetProperty("wrong").GetInt32());
        // The text's last line, as Spectre.Console wraps it to the width of a redirected stdout.
        Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"accuracy{root.GetProperty("accuracy").GetDouble() * 100:F2}%({correct:N0}/{samples:N0})"), string.Concat(text.Output.Where(c => !char.IsWhiteSpace(c))));
        Assert.Equal("digits/test", root.GetProperty("dataset").GetString());
        JsonElement[] rows = [.. root.GetProperty("confusionMatrix").EnumerateArray()];
        Assert.Equal(10, rows.Length);
        Assert.Equal(correct, rows.Select((row, c) => row[c].GetInt32()).Sum());
        Assert.Equal(samples, rows.Sum(row => row.EnumerateArray().Sum(n => n.GetInt32())));
        JsonElement three = root.GetProperty("perClass")[3];
        Assert.Equal(rows[3][3].GetInt32() / (double)three.GetProperty("samples").GetInt32(), three.GetProperty("recall").GetDouble(), 12);
    }

    [Fact]
    public void Inspect_json_gives_each_layer_the_totals_and_the_files_format()
    {
        ToolResult text = Tool.Elr("inspect", Tool.Fixture("lenet300-factorized.elr"));
        ToolResult json = Tool.Elr("inspect", Tool.Fixture("lenet300-factorized.elr"), "--json");

        Assert.True(json.ExitCode == 0, json.Error);
        using JsonDocument document = JsonDocument.Parse(json.Output);
        JsonElement root = document.RootElement;
        JsonElement[] layers = [.. root.GetProperty("layers").EnumerateArray()];
        Assert.Equal(root.GetProperty("parameters").GetInt64(), layers.Sum(l => l.GetProperty("parameters").GetInt64()));
        Assert.Equal(root.GetProperty("macs").GetInt64(), layers.Sum(l => l.GetProperty("macs").GetInt64()));
        Assert.Contains($"{root.GetProperty("parameters").GetInt64():N0} parameters in {root.GetProperty("bytes").GetInt64():N0} bytes", text.Output);
        // A factorized layer's rank is a number; the dense classifier's is null, where the table says "full".
        JsonElement fc1 = layers.Single(l => l.GetProperty("name").GetString() == "fc1");
        Assert.Equal("FactorizedDense", fc1.GetProperty("kind").GetString());
        Assert.True(fc1.GetProperty("rank").GetInt32() > 0);
        Assert.Equal(JsonValueKind.Null, layers.Single(l => l.GetProperty("name").GetString() == "fc3").GetProperty("rank").ValueKind);
        Assert.Matches(@"^1\.\d+$", root.GetProperty("formatVersion").GetString());
    }

    [RealDataFact("digits")]
    public void A_model_records_the_build_that_wrote_it_with_its_commit_as_elr_version_prints_it()
    {
        // A pipeline can tell which build made a model from the file alone, as from the log (the files said 0.1.0).
        string model = PathOf("digits.elr");
        DigitsReference.Train(model);

        using JsonDocument inspected = JsonDocument.Parse(Tool.Elr("inspect", model, "--json").Output);
        string recorded = inspected.RootElement.GetProperty("producerVersion").GetString()!;

        Assert.Matches(@"^\d+\.\d+\.\d+\+[0-9a-f]{7,}", recorded);
        Assert.Contains(recorded, Tool.Elr("--version").Output);
    }

    [Fact]
    public void Two_files_of_one_network_have_one_network_digest_whatever_their_metadata_and_another_network_another()
    {
        // A trial: two runs with one seed gave files of different SHA-256, their weights the same, by the seconds they record.
        string golden = Tool.Fixture("lenet300-factorized.elr"), relabelled = PathOf("relabelled.elr");
        using (var model = EdgeLowRank.Runtime.Format.ModelReader.Load(golden))
            EdgeLowRank.Runtime.Format.ModelWriter.Write(new EdgeLowRank.Runtime.Layers.Model(model.InputShape, model.Layers, model.Metadata with
            {
                Properties = new Dictionary<string, string>(model.Metadata.Properties) { ["compress.seconds"] = "12.3" },
            }), relabelled);

        string Digest(string file)
        {
            using JsonDocument document = JsonDocument.Parse(Tool.Elr("inspect", file, "--json").Output);
            return document.RootElement.GetProperty("networkSha256").GetString()!;
        }

        Assert.NotEqual(File.ReadAllBytes(golden), File.ReadAllBytes(relabelled));
        Assert.Equal(Digest(golden), Digest(relabelled));
        Assert.NotEqual(Digest(golden), Digest(Tool.Fixture("lenet300-dense.elr")));
    }
}
