namespace EdgeLowRank.EndToEnd.Tests;

/// <summary>'-' as an output path: it wrote a file named '-' in the working folder (a 70 KB model from <c>elr train -o -</c>);
/// both tools now refuse it before any work, through the path check they share (FilePaths).</summary>
public class DashOutputTests : TempFiles
{
    private const string Refusal = "'-' would mean standard output, which is not supported: give the path of a file; for one literally named '-', use ./-.";

    [Fact]
    public void Elr_refuses_a_dash_output_and_writes_nothing()
    {
        string folder = PathOf("work");
        Directory.CreateDirectory(folder);

        ToolResult train = Tool.ElrIn(folder, "train", "--dataset", "digits", "--model", "digits-mlp", "--epochs", "1", "-o", "-");
        ToolResult quantize = Tool.ElrIn(folder, "quantize", Tool.Fixture("lenet300-dense.elr"), "-o", "q.elr", "--no-eval", "--log", "-");

        Assert.Equal((3, $"elr: -o: {Refusal}"), (train.ExitCode, train.Error.Trim()));
        Assert.Equal((3, $"elr: --log: {Refusal}"), (quantize.ExitCode, quantize.Error.Trim()));
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder));
    }

    [Fact]
    public void Elr_run_refuses_a_dash_output()
    {
        ToolResult run = Tool.ElrRun("run", Tool.Fixture("lenet300-dense.elr"), "--input", Tool.Fixture("lenet300-dense.input.f32"), "--output", "-");

        Assert.Equal(3, run.ExitCode);
        Assert.Equal($"elr-run: error: --output: {Refusal}", run.Error.Trim());
    }
}
