using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.EndToEnd.Tests;

/// <summary><c>elr inspect</c> lists each layer under the name <c>elr compress --keep-dense</c> takes, with its method, rank and size.</summary>
public class ElrInspectTests : TempFiles
{
    [Fact]
    public void Layers_are_listed_by_the_names_keep_dense_takes_one_row_each_even_when_piped()
    {
        string output = Inspect("lenet300-factorized.elr");
        // One line per layer: the test's output is redirected, where tables used to wrap at 80 columns.
        Assert.Matches(@"\n\s*0\s+fc1\s+FactorizedDense\s+784\s+300\s+svd\s+f32\s+f32\s+30\s+32,820\s+131,280\s", output);
        Assert.Matches(@"\n\s*1\s+fc2\s+FactorizedDense\s+300\s+100\s+cur\s+f32\s+f32\s+20\s+8,100\s", output);
        // A dense layer's rank is "full", not min(m, n) = 10, which two trial users read as a factorization's rank.
        Assert.Matches(@"\n\s*2\s+fc3\s+Dense\s+100\s+10\s+dense\s+f32\s+f32\s+full\s+1,010\s", output);
        Assert.Contains("41,930 parameters in 167,720 bytes (6.36× fewer than dense 266,610)", output);
        // The fixture records no data set or accuracy, so there is no line for them.
        Assert.DoesNotContain("accuracy", output);
    }

    [Fact]
    public void A_leaky_relu_is_listed_with_its_slope()
    {
        string output = Inspect("leaky-relu.elr");
        Assert.Matches(@"\n\s*1\s+leakyrelu\s+LeakyRelu 0\.01\s+13×13×6\s+13×13×6\s", output);
        Assert.Matches(@"\n\s*3\s+leakyrelu\s+LeakyRelu 0\.2\s", output);
    }

    /// <summary>elr inspect of a golden file, which must exit 0: its output.</summary>
    private static string Inspect(string fixture)
    {
        ToolResult result = Tool.Elr("inspect", Tool.Fixture(fixture));
        Assert.True(result.ExitCode == 0, result.Error);
        return result.Output;
    }

    [Fact]
    public void A_model_of_no_parameters_or_macs_gets_no_ratio_where_it_got_NaN()
    {
        string path = PathOf("weightless.elr");
        using (var model = new Model(new TensorShape(784), [new ReluLayer()], new ModelMetadata())) ModelWriter.Write(model, path);

        ToolResult result = Tool.Elr("inspect", path);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("weightless.elr: 0 parameters in 0 bytes (dense 0), 0 MACs\n", result.Output.ReplaceLineEndings("\n"));
        Assert.DoesNotContain("NaN", result.Output);
    }

    [Fact]
    public void A_property_is_shown_with_its_control_characters_as_escapes_not_sent_to_the_terminal()
    {
        string path = PathOf("titled.elr");
        var metadata = new ModelMetadata { Properties = new Dictionary<string, string> { ["note"] = "red\u001b[31m\u001b]0;PWNED\u0007" } };
        using (var model = new Model(new TensorShape(784), [new ReluLayer()], metadata)) ModelWriter.Write(model, path);

        ToolResult result = Tool.Elr("inspect", path);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains(@"note = red\x1B[31m\x1B]0;PWNED\x07", result.Output);
        Assert.DoesNotContain('\u001b', result.Output);
    }

    [Fact]
    public void Convolutions_and_pools_are_numbered_in_order()
    {
        ToolResult result = Tool.Elr("inspect", Tool.Fixture("lenet5-dense.elr"));
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Matches(@"\n\s*0\s+conv1\s+Conv2d\s", result.Output);
        Assert.Matches(@"\n\s*1\s+pool1\s+MaxPool2d\s", result.Output);
        Assert.Matches(@"\n\s*2\s+conv2\s+Conv2d\s", result.Output);
        Assert.Matches(@"\s+fc2\s+Dense\s+500\s+10\s", result.Output);
    }

    [Fact]
    public void An_add_names_the_activation_it_adds_as_elr_run_info_does()
    {
        ToolResult result = Tool.Elr("inspect", Tool.Fixture("residual-blocks.elr"));
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Matches(@"\n\s*1\s+add1\s+Add ← 0\s+28×28×1\s+28×28×1\s+0\s", result.Output);
        Assert.Matches(@"\n\s*6\s+add2\s+Add ← 4\s+14×14×8\s", result.Output);
        Assert.Matches(@"\n\s*12\s+add4\s+Add ← 10\s", result.Output);
        Assert.Matches(@"\n\s*17\s+add5\s+Add ← 16\s+16\s+16\s", result.Output);
        Assert.Contains("Add ← j: adds the input of layer j (j = 0: the model's input)", result.Output);
    }

    [Fact]
    public void A_name_that_starts_with_an_at_sign_is_a_file_name_not_a_response_file()
    {
        // The parser read "@FILE" as a response file: the model's bytes became arguments.
        string model = Write("model.elr", File.ReadAllBytes(Tool.Fixture("tiny-odd.elr")));

        ToolResult result = Tool.Elr("inspect", "@" + model);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains($"'@{model}' does not exist", result.Error);
        Assert.Single(result.Error.Trim().Split('\n'));
    }

    [Fact]
    public void A_missing_model_is_one_line_and_exit_code_3()
    {
        ToolResult result = Tool.Elr("inspect", "/nonexistent/model.elr");
        Assert.Equal(3, result.ExitCode);
        Assert.Contains("does not exist", result.Error);
        Assert.DoesNotContain("   at ", result.Error);
    }

    [Theory]
    [InlineData("inspect")]
    [InlineData("--help")]
    public void A_full_stdout_is_named_as_stdout_with_exit_code_3(string command)
    {
        string[] args = command == "inspect" ? ["inspect", Tool.Fixture("lenet5-dense.elr")] : [command];
        ToolResult result = Tool.ElrInto("/dev/full", args);
        Assert.Equal(3, result.ExitCode);
        Assert.Contains("cannot write to standard output", result.Error);
        Assert.DoesNotContain("   at ", result.Error);
    }
}
