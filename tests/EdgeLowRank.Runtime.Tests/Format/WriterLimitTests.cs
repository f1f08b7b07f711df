using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Tests.Format;

/// <summary>
/// The writer keeps every file within the limits the reader enforces, up to the limit and refusing one past it before it
/// writes anything: a security trial's import of 10,000 Relu nodes, and of a 2,200,000×1 factor, replaced a good file with
/// one the reader refused as damaged (over 4,096 layers; over the packing budget, which the writer now keeps by storing the
/// matrices as panels).
/// </summary>
public sealed class WriterLimitTests : TempFolderTest
{
    /// <summary>Rows of a one-column matrix whose panels (16 floats a row) fill the 64 MiB budget of a small file exactly.</summary>
    private const int RowsAtTheBudget = (64 << 20) / (16 * sizeof(float));

    [Fact]
    public void TheMostLayersAReaderTakesAreWrittenAndRead()
    {
        using var model = Chain(FormatConstants.MaxLayers);
        using var read = ModelReader.Load(ModelWriter.ToArray(model));
        Assert.Equal(FormatConstants.MaxLayers, read.Layers.Count);
    }

    [Fact]
    public void OneLayerMoreIsRefusedAndTheOldFileKept()
    {
        using var model = Chain(FormatConstants.MaxLayers + 1);

        string message = RefusedKeepingTheOldFile(model);

        Assert.Equal("The model has 4,097 layers; a .elr file holds at most 4,096 (readers refuse more). Nothing was written. Give the network fewer layers.", message);
    }

    [Fact]
    public void PackingAtLoadUpToTheBudgetIsWrittenAndRead()
    {
        using var model = OneColumn(RowsAtTheBudget);
        byte[] file = ModelWriter.ToArray(model);
        using var read = ModelReader.Load(file);
        Assert.Equal(64L << 20, read.PackedAtLoadBytes);
        Assert.True(file.Length < 32 << 20, "the budget is the 64 MiB of a file under 32 MiB");
    }

    [Fact]
    public void OverTheBudgetEveryMatrixIsWrittenAsPanelsAndRead()
    {
        using var model = OneColumn(RowsAtTheBudget + 1);
        byte[] file = ModelWriter.ToArray(model);
        using var read = ModelReader.Load(file);
        Assert.Equal(0, read.PackedAtLoadBytes);
        Assert.Equal(TensorLayout.Panel16, OnlyTensorsLayout(file));
        ModelAssert.Same(model, read);
    }

    [Fact]
    public void UnderTheBudgetTheNarrowMatrixStaysRowMajor()
    {
        using var model = OneColumn(RowsAtTheBudget);
        Assert.Equal(TensorLayout.RowMajor, OnlyTensorsLayout(ModelWriter.ToArray(model)));
    }

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    public void AnAccuracyReadersRefuseIsNotWritten(double accuracy, string shown)
    {
        using var model = new Model(new TensorShape(2), [new SoftmaxLayer()], new ModelMetadata { Accuracy = accuracy });

        var e = Assert.Throws<ArgumentException>(() => ModelWriter.ToArray(model));

        Assert.StartsWith($"The metadata's accuracy is {shown}; readers take a finite number (a fraction such as 0.9812). Measure it again, or leave it out (null).", e.Message);
    }

    /// <summary>The message of <see cref="ModelWriter.Write(Model, string, WeightLayoutPolicy)"/>'s refusal of <paramref name="model"/>
    /// over a good file, after checking the file was left as it was and no temporary file was.</summary>
    private string RefusedKeepingTheOldFile(Model model)
    {
        string path = Path.Combine(Folder, "good.elr");
        using (var good = TestModels.Small()) ModelWriter.Write(good, path);
        byte[] before = File.ReadAllBytes(path);

        var e = Assert.Throws<NotSupportedException>(() => ModelWriter.Write(model, path));

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(Folder));
        return e.Message;
    }

    /// <summary>The layout of a file's one tensor (a Dense layer without bias has no other).</summary>
    private static TensorLayout OnlyTensorsLayout(byte[] file)
    {
        var f = new FileBytes(file);
        return (TensorLayout)f.U32(f.Tensor(0) + FileLayout.Tensor.Layout);
    }

    /// <summary>A Dense layer of 2 → 2 then Relu layers, <paramref name="layers"/> in all.</summary>
    private static Model Chain(int layers) => new(new TensorShape(2),
        [new DenseLayer(TestModels.Matrix(2, 2, 1), ReadOnlyMemory<float>.Empty), .. Enumerable.Range(1, layers - 1).Select(_ => new ReluLayer())],
        new ModelMetadata());

    /// <summary>One Dense layer of <paramref name="rows"/> inputs and one output: a matrix the writer stores row-major.</summary>
    private static Model OneColumn(int rows) => new(new TensorShape(rows),
        [new DenseLayer(TestModels.Matrix(rows, 1, 1), ReadOnlyMemory<float>.Empty)], new ModelMetadata());
}
