using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.EndToEnd.Tests;

/// <summary><c>elr eval</c> and <c>elr compress</c> take the data set a model records, and refuse another, before any data is fetched.</summary>
public class ElrEvalTests : TempFiles
{
    /// <summary>The golden LeNet-300-100 with its metadata naming <paramref name="dataset"/> (the fixture names none).</summary>
    private string ModelTrainedOn(string dataset)
    {
        string path = PathOf($"lenet300-{dataset}.elr");
        using Model golden = ModelReader.Load(Tool.Fixture("lenet300-dense.elr"));
        ModelWriter.Write(new Model(golden.InputShape, golden.Layers, golden.Metadata with { Dataset = $"{dataset}/test" }), path);
        return path;
    }

    [Theory]
    [InlineData("eval")]
    [InlineData("compress")]
    public void A_dataset_other_than_the_recorded_one_is_refused_before_any_data_is_fetched(string command)
    {
        string cache = Directory.CreateDirectory(PathOf("cache")).FullName, model = ModelTrainedOn("mnist");
        string[] args = command == "eval"
            ? ["eval", model, "--dataset", "fashion-mnist"]
            : ["compress", model, "--dataset", "fashion-mnist", "--method", "cur", "--target-ratio", "5", "-o", PathOf("out.elr")];

        ToolResult result = Tool.ElrWith(new Dictionary<string, string> { ["ELR_DATA"] = cache }, args);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"elr: lenet300-mnist.elr was trained on mnist (its metadata says so), not fashion-mnist; use --dataset mnist.", result.Error.Trim());
        Assert.Empty(Directory.EnumerateFileSystemEntries(cache));
    }

    [Fact]
    public void Without_dataset_a_model_that_records_none_is_asked_for_one()
    {
        string cache = Directory.CreateDirectory(PathOf("cache")).FullName;

        ToolResult result = Tool.ElrWith(new Dictionary<string, string> { ["ELR_DATA"] = cache }, "eval", Tool.Fixture("lenet300-dense.elr"));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("elr: lenet300-dense.elr records no data set; give --dataset mnist|fashion-mnist|digits|FOLDER.", result.Error.Trim());
        Assert.Empty(Directory.EnumerateFileSystemEntries(cache));
    }
}
