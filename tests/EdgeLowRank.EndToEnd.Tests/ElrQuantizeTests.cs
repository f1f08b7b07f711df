using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Tests.Data;
using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.EndToEnd.Tests;

/// <summary><c>elr quantize</c>: int8 weights, the accuracy of both files as <c>elr eval</c> measures them, and refusals that
/// write nothing.</summary>
public class ElrQuantizeTests : TempFiles
{
    [RealDataFact("digits")]
    public void A_trained_model_quantized_keeps_its_accuracy_and_records_what_elr_eval_measures()
    {
        string reference = PathOf("digits.elr"), int8 = PathOf("digits-int8.elr");
        DigitsReference.Train(reference);

        ToolResult quantized = Tool.Elr("quantize", reference, "-o", int8, "--log", PathOf("quantize.json"));

        Assert.True(quantized.ExitCode == 0, quantized.Error);
        Match summary = Regex.Match(quantized.Output, @"test error on digits (\d+\.\d\d)% \(f32\) → (\d+\.\d\d)% \(int8\)");
        Assert.True(summary.Success, quantized.Output);
        double floatError = Percent(summary.Groups[1].Value), int8Error = Percent(summary.Groups[2].Value);
        Assert.Equal(floatError, EvalError(reference));
        Assert.Equal(int8Error, EvalError(int8));
        Assert.True(Math.Abs(int8Error - floatError) <= 0.01, $"int8 {int8Error:P2} against f32 {floatError:P2}");
        using (Model model = ModelReader.Load(int8))
        {
            Assert.All(model.Layers.SelectMany(l => l.WeightMatrices), m => Assert.Equal(ElementType.Int8, m.ElementType));
            Assert.Equal(1 - int8Error, model.Metadata.Accuracy!.Value, 4);
            Assert.Equal("int8, symmetric, one scale per output column", model.Metadata.Properties["quantize.weights"]);
        }
        Assert.True(new FileInfo(int8).Length * 3 < new FileInfo(reference).Length);
        using var log = JsonDocument.Parse(File.ReadAllBytes(PathOf("quantize.json")));
        Assert.Equal(int8Error, log.RootElement.GetProperty("int8Error").GetDouble(), 4);
        Assert.Equal(floatError, log.RootElement.GetProperty("floatError").GetDouble(), 4);
        Assert.Equal(new FileInfo(int8).Length, log.RootElement.GetProperty("int8Bytes").GetInt64());
        Assert.Equal(3, log.RootElement.GetProperty("matrices").GetArrayLength()); // digits-mlp: fc1, fc2, fc3
        Assert.Equal(JsonValueKind.Null, log.RootElement.GetProperty("dynamicOps").ValueKind); // weight-only: no layer multiplies in integers
    }

    [Fact]
    public void Kept_layers_stay_f32_and_elr_run_shows_each_layers_type()
    {
        string output = PathOf("kept.elr");
        ToolResult result = Tool.Elr("quantize", Tool.Fixture("lenet300-factorized.elr"), "--keep-float", "fc3", "--no-eval", "-o", output);
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("accuracy not measured (--no-eval)", result.Output);
        Assert.DoesNotContain("integer products", result.Output); // weight-only: no product in integers to time
        Assert.Matches(@"\n\s*fc1\s+A\s+784×30\s+94,080\s+23,640\s", result.Output); // 784·30 bytes + 30 scales of 4
        Assert.DoesNotContain("fc3", result.Output);

        ToolResult info = Tool.ElrRun("info", output);
        Assert.True(info.ExitCode == 0, info.Error);
        Assert.Matches(@"\n0\s+fc1\s+FactorizedDense\s+svd\s+int8\s", info.Output);
        Assert.Matches(@"\n2\s+fc3\s+Dense\s+dense\s+f32\s", info.Output);
    }

    [Theory]
    [InlineData("already int8", "nothing to quantize")]
    [InlineData("unknown layer", "--keep-float names fc9, which is not a layer with weights; this model's are fc1, fc2, fc3.")]
    [InlineData("empty name", "an entry is empty")]
    [InlineData("over its input", "is the same file as MODEL")]
    [InlineData("no data set", "records no data set; give --dataset mnist|fashion-mnist|digits|FOLDER to measure the accuracy, or --no-eval.")]
    [InlineData("no-eval and dataset", "--no-eval measures nothing, so --dataset would be ignored")]
    public void A_refused_request_says_why_in_one_line_and_writes_nothing(string request, string says)
    {
        string cache = Directory.CreateDirectory(PathOf("cache")).FullName;
        string model = Write("model.elr", File.ReadAllBytes(Tool.Fixture(request == "already int8" ? "tiny-odd-int8.elr" : "lenet300-factorized.elr")));
        string output = request == "over its input" ? model : PathOf("out.elr");
        string[] args = request switch
        {
            "unknown layer" => ["quantize", model, "-o", output, "--no-eval", "--keep-float", "fc9"],
            "empty name" => ["quantize", model, "-o", output, "--no-eval", "--keep-float", "fc3,"],
            "no data set" => ["quantize", model, "-o", output],
            "no-eval and dataset" => ["quantize", model, "-o", output, "--no-eval", "--dataset", "mnist"],
            _ => ["quantize", model, "-o", output, "--no-eval"],
        };
        byte[] before = File.ReadAllBytes(model);

        ToolResult result = Tool.ElrWith(new Dictionary<string, string> { ["ELR_DATA"] = cache }, args);

        Assert.Equal(request == "over its input" ? 3 : 1, result.ExitCode);
        Assert.Contains(says, result.Error);
        Assert.Single(result.Error.Trim().Split('\n'));
        Assert.Equal(before, File.ReadAllBytes(model));
        if (output != model) Assert.False(File.Exists(output));
        Assert.Empty(Directory.EnumerateFileSystemEntries(cache));
    }

    /// <summary>The error <c>elr eval</c> prints for <paramref name="model"/>.</summary>
    internal static double EvalError(string model)
    {
        ToolResult result = Tool.Elr("eval", model);
        Assert.True(result.ExitCode == 0, result.Error);
        return Percent(Regex.Match(result.Output, @"error (\d+\.\d\d)%").Groups[1].Value);
    }

    [RootFact]
    public void A_log_the_device_has_no_room_for_leaves_the_old_model_in_place_as_the_message_says()
    {
        // A trial's --log on a full device failed after the new model was written, with "Nothing was replaced".
        using var device = new SmallDevice(PathOf("small-device"), free: 0);
        string output = Write("int8.elr", [1, 2, 3]);

        ToolResult result = Tool.Elr("quantize", Tool.Fixture("lenet300-factorized.elr"), "--no-eval", "-o", output, "--log", Path.Combine(device.Mount, "quantize.json"));

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("its device is full", result.Error);
        Assert.Contains("Nothing was replaced.", result.Error);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(output));
        Assert.Equal(["int8.elr"], Directory.GetFiles(Path.GetDirectoryName(output)!).Select(Path.GetFileName));
        Assert.Equal(["filler"], Directory.GetFileSystemEntries(device.Mount).Select(Path.GetFileName));
    }

    /// <summary>A printed percentage as a fraction.</summary>
    internal static double Percent(string text) => double.Parse(text, CultureInfo.InvariantCulture) / 100;
}
