using System.Text.Json;
using System.Text.RegularExpressions;
using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Tests.Data;
using EdgeLowRank.Compressor.Tests.Export;
using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.EndToEnd.Tests;

/// <summary><c>elr quantize --activations dynamic</c>: the matrix layers (or those of the kinds --dynamic-ops names) quantize their
/// inputs as they run, the test error recorded is what the runtime computes on the file, <c>elr inspect</c> and <c>elr-run info</c>
/// show it, and a request that cannot work is refused before anything is written.</summary>
public class ElrQuantizeDynamicTests : TempFiles
{
    [RealDataFact("digits")]
    public void A_trained_model_with_dynamic_inputs_records_the_error_elr_eval_measures_on_it()
    {
        string reference = PathOf("digits.elr"), dynamic = PathOf("digits-dynamic.elr"), log = PathOf("quantize.json");
        DigitsReference.Train(reference);

        ToolResult quantized = Tool.Elr("quantize", reference, "-o", dynamic, "--activations", "dynamic", "--keep-float", "fc3", "--log", log);

        Assert.True(quantized.ExitCode == 0, quantized.Error);
        Match summary = Regex.Match(quantized.Output, @"test error on digits (\d+\.\d\d)% \(f32\) → (\d+\.\d\d)% \(int8, dynamic uint8 inputs\)");
        Assert.True(summary.Success, quantized.Output);
        Assert.Contains("note: whether integer products run faster than f32 depends on the CPU, the build and the layer", quantized.Output);
        double floatError = ElrQuantizeTests.Percent(summary.Groups[1].Value), dynamicError = ElrQuantizeTests.Percent(summary.Groups[2].Value);
        Assert.Equal(floatError, ElrQuantizeTests.EvalError(reference));
        Assert.Equal(dynamicError, ElrQuantizeTests.EvalError(dynamic));
        Assert.True(Math.Abs(dynamicError - floatError) <= 0.02, $"dynamic {dynamicError:P2} against f32 {floatError:P2}");
        using (Model model = ModelReader.Load(dynamic))
        {
            Layer[] dense = model.Layers.OfType<DenseLayer>().ToArray<Layer>();
            Assert.Equal([InputQuantization.Dynamic, InputQuantization.Dynamic, InputQuantization.None], dense.Select(l => l.InputQuantization));
            Assert.Equal([ElementType.Int8, ElementType.Int8, ElementType.Float32], dense.Select(l => l.WeightMatrices[0].ElementType));
            Assert.Equal(1 - dynamicError, model.Metadata.Accuracy!.Value, 4);
            Assert.Equal("fc1,fc2", model.Metadata.Properties["quantize.dynamic-layers"]);
        }
        using var json = JsonDocument.Parse(File.ReadAllBytes(log));
        Assert.Equal("dynamic", json.RootElement.GetProperty("activations").GetString());
        Assert.Equal("dense,conv", json.RootElement.GetProperty("dynamicOps").GetString());
        Assert.Equal(dynamicError, json.RootElement.GetProperty("int8Error").GetDouble(), 4);
        Assert.Equal([true, true], json.RootElement.GetProperty("matrices").EnumerateArray().Select(m => m.GetProperty("dynamicInputs").GetBoolean()));
    }

    [Theory]
    [InlineData("lenet300-factorized.elr", @"\n\s*fc1\s+B\s+30×300\s.*dynamic uint8", @"\n\s*2\s+fc3\s+Dense\s.*\sint8\s+dynamic uint8\s",
        @"\n0\s+fc1\s+FactorizedDense\s+svd\s+int8\s+dynamic uint8\s")]
    [InlineData("lenet5-factorized.elr", @"\n\s*conv1\s+W\s.*dynamic uint8", @"\n\s*2\s+conv2\s+FactorizedConv2d\s.*\sint8\s+dynamic uint8\s",
        @"\n0\s+conv1\s+Conv2d\s+dense\s+int8\s+dynamic uint8\s")]
    public void Every_matrix_layer_convolutions_included_becomes_dynamic_and_the_tools_show_it(string fixture, string quantized, string inspected, string info)
    {
        string output = PathOf("dynamic.elr");

        ToolResult result = Tool.Elr("quantize", Tool.Fixture(fixture), "--activations", "dynamic", "--no-eval", "-o", output);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Matches(quantized, result.Output);
        using (Model model = ModelReader.Load(output))
            Assert.All(model.Layers.Where(l => l.WeightMatrices.Count > 0), l => Assert.Equal(InputQuantization.Dynamic, l.InputQuantization));

        ToolResult inspect = Tool.Elr("inspect", output);
        Assert.True(inspect.ExitCode == 0, inspect.Error);
        Assert.Matches(inspected, inspect.Output);

        ToolResult table = Tool.ElrRun("info", output);
        Assert.True(table.ExitCode == 0, table.Error);
        Assert.Matches(info, table.Output);

        ToolResult infoJson = Tool.ElrRun("info", output, "--json");
        Assert.True(infoJson.ExitCode == 0, infoJson.Error);
        using var json = JsonDocument.Parse(infoJson.Output);
        JsonElement[] layers = json.RootElement.GetProperty("layers").EnumerateArray().ToArray();
        Assert.All(layers, l => Assert.Equal(l.GetProperty("parameters").GetInt64() > 0 ? ("int8", "dynamic") : ("", null),
            (l.GetProperty("weights").GetString(), l.TryGetProperty("inputQuantization", out var q) ? q.GetString() : null)));
    }

    [Theory]
    [InlineData("dense", "fc1,fc2", "dense")]
    [InlineData("conv", "conv1,conv2", "conv")]
    [InlineData("conv, DENSE", "conv1,conv2,fc1,fc2", "dense,conv")]
    public void Dynamic_ops_makes_only_the_layers_of_its_kinds_dynamic_and_inspect_shows_the_others_weight_only(string ops, string dynamicLayers, string recordedOps)
    {
        string output = PathOf("dynamic.elr"), log = PathOf("quantize.json");

        ToolResult result = Tool.Elr("quantize", Tool.Fixture("lenet5-factorized.elr"), "--activations", "dynamic", "--dynamic-ops", ops, "--no-eval", "-o", output,
            "--log", log);

        Assert.True(result.ExitCode == 0, result.Error);
        string[] dynamic = dynamicLayers.Split(',');
        using (Model model = ModelReader.Load(output))
        {
            Assert.Equal(dynamicLayers, model.Metadata.Properties["quantize.dynamic-layers"]);
            Assert.Equal(recordedOps, model.Metadata.Properties["quantize.dynamic-ops"]);
        }
        using (var json = JsonDocument.Parse(File.ReadAllBytes(log)))
            Assert.Equal(recordedOps, json.RootElement.GetProperty("dynamicOps").GetString());
        ToolResult inspect = Tool.Elr("inspect", output);
        Assert.True(inspect.ExitCode == 0, inspect.Error);
        foreach (var (name, kind) in new[] { ("conv1", "Conv2d"), ("conv2", "FactorizedConv2d"), ("fc1", "FactorizedDense"), ("fc2", "Dense") })
            Assert.Matches($@"\n\s*\d+\s+{name}\s+{kind}\s.*\sint8\s+{(dynamic.Contains(name) ? "dynamic uint8" : "f32")}\s", inspect.Output);
    }

    [Fact]
    public void Weight_only_layers_show_f32_inputs()
    {
        ToolResult info = Tool.ElrRun("info", Tool.Fixture("lenet5-factorized-int8.elr"), "--json");

        Assert.True(info.ExitCode == 0, info.Error);
        using var json = JsonDocument.Parse(info.Output);
        var matrixLayers = json.RootElement.GetProperty("layers").EnumerateArray().Where(l => l.GetProperty("parameters").GetInt64() > 0).ToArray();
        Assert.All(matrixLayers, l => Assert.Equal("none", l.GetProperty("inputQuantization").GetString()));
        Assert.Matches(@"\n\s*0\s+conv1\s+Conv2d\s.*\sint8\s+f32\s", Tool.Elr("inspect", Tool.Fixture("lenet5-factorized-int8.elr")).Output);
    }

    [Theory]
    [InlineData("unknown value", "--activations takes float (weight-only, the default) or dynamic (inputs quantized to uint8 as each matrix layer runs), not 'dynamc'.")]
    [InlineData("static", "--activations static (activation ranges calibrated on data, as TensorFlow Lite's full-integer quantization) is not supported")]
    [InlineData("no layer can", "this model has none: conv1 is kept f32 by --keep-float; fc1 has 65,856 inputs to a product, more than the 65,536 an int32 sum holds.")]
    [InlineData("no layer of the kinds", "this model has none: conv1 is a convolution, not among --dynamic-ops dense; fc1 has 65,856 inputs")]
    [InlineData("kinds without dynamic", "--dynamic-ops dense chooses which layers multiply in integers under --activations dynamic, but --activations is float "
        + "(weight-only: no layer does), so it would be ignored; add --activations dynamic, or drop --dynamic-ops.")]
    [InlineData("unknown kind", "--dynamic-ops takes dense (Dense and FactorizedDense layers), conv (Conv2d and FactorizedConv2d) or both, comma-separated, not 'matmul'.")]
    [InlineData("empty kind", "--dynamic-ops takes dense, conv or dense,conv, not 'dense,': an entry is empty.")]
    public void A_refused_request_says_why_in_one_line_and_writes_nothing(string request, string says)
    {
        string cache = Directory.CreateDirectory(PathOf("cache")).FullName;
        string model = PathOf("model.elr");
        if (request.StartsWith("no layer", StringComparison.Ordinal))
        {
            using Model wide = TooWideForIntegers.Create();
            ModelWriter.Write(wide, model);
        }
        else File.Copy(Tool.Fixture("lenet300-factorized.elr"), model);
        string output = PathOf("out.elr"), log = PathOf("log.json");
        string[] args = request switch
        {
            "unknown value" => ["quantize", model, "-o", output, "--log", log, "--activations", "dynamc"],
            "static" => ["quantize", model, "-o", output, "--log", log, "--activations", "static"],
            "no layer of the kinds" => ["quantize", model, "-o", output, "--log", log, "--activations", "dynamic", "--dynamic-ops", "dense", "--dataset", "mnist"],
            "kinds without dynamic" => ["quantize", model, "-o", output, "--log", log, "--activations", "float", "--dynamic-ops", "dense", "--dataset", "mnist"],
            "unknown kind" => ["quantize", model, "-o", output, "--log", log, "--activations", "dynamic", "--dynamic-ops", "dense,matmul", "--dataset", "mnist"],
            "empty kind" => ["quantize", model, "-o", output, "--log", log, "--activations", "dynamic", "--dynamic-ops", "dense,", "--dataset", "mnist"],
            _ => ["quantize", model, "-o", output, "--log", log, "--activations", "dynamic", "--keep-float", "conv1", "--dataset", "mnist"],
        };

        // No data set in the cache: a refusal that came after the work would have fetched one, or failed on it.
        ToolResult result = Tool.ElrWith(new Dictionary<string, string> { ["ELR_DATA"] = cache }, args);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(says, result.Error);
        Assert.Single(result.Error.Trim().Split('\n'));
        Assert.False(File.Exists(output));
        Assert.False(File.Exists(log));
        Assert.Empty(Directory.EnumerateFileSystemEntries(cache));
    }

    [Fact]
    public void Export_onnx_writes_dynamic_layers_in_quantize_dynamic_form_unless_told_otherwise()
    {
        string dynamic = PathOf("dynamic.elr");
        Assert.Equal(0, Tool.Elr("quantize", Tool.Fixture("lenet300-factorized.elr"), "--activations", "dynamic", "--no-eval", "-o", dynamic).ExitCode);

        ToolResult untold = Tool.Elr("export-onnx", dynamic, "-o", PathOf("untold.onnx"));
        ToolResult told = Tool.Elr("export-onnx", dynamic, "-o", PathOf("told.onnx"), "--int8", "dequantize");

        Assert.True(untold.ExitCode == 0, untold.Error);
        Assert.Contains("of the layers with dynamic inputs as quantize_dynamic writes them", untold.Output);
        Assert.DoesNotContain("session.disable_quant_qdq", untold.Output);   // no DequantizeLinear in this graph
        Assert.True(told.ExitCode == 0, told.Error);
        Assert.Contains("session.disable_quant_qdq", told.Output);
        Assert.True(Contains(File.ReadAllBytes(PathOf("untold.onnx")), "DynamicQuantizeLinear"));
        Assert.False(Contains(File.ReadAllBytes(PathOf("told.onnx")), "DynamicQuantizeLinear"));
    }

    private static bool Contains(byte[] file, string text) => file.AsSpan().IndexOf(System.Text.Encoding.ASCII.GetBytes(text)) >= 0;
}
