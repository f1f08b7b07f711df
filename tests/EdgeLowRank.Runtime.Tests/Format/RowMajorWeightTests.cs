using System.Buffers.Binary;
using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.Layers;
using L = EdgeLowRank.Runtime.Format.FileLayout.Layer;
using T = EdgeLowRank.Runtime.Format.FileLayout.Tensor;

namespace EdgeLowRank.Runtime.Tests.Format;

/// <summary>Format 1.2's row-major weight matrices: the writer's policy, packing at load by every loader,
/// outputs equal to the panel-16 form, the reader's checks, and what the file and the memory cost.</summary>
public sealed class RowMajorWeightTests : TempFolderTest
{
    public static TheoryData<string> Models => TestModels.Names;

    private static Model Build(string name) => TestModels.ByName(name);

    [Theory]
    [InlineData(1, true)]
    [InlineData(15, true)]
    [InlineData(16, false)]
    [InlineData(17, true)]
    [InlineData(19, true)] // a rank-19 factor A: 13 padded columns of 32
    [InlineData(30, true)] // 2 of 32: 6.7%, just over 1/16
    [InlineData(225, true)] // 15 of 240
    [InlineData(226, false)] // 14 of 240: 224/16 = 14 ≤ 14.1
    [InlineData(300, false)] // 4 of 304
    [InlineData(512, false)]
    public void PolicyStoresRowMajorWhenPaddingExceedsOneSixteenth(int columns, bool rowMajor)
    {
        Assert.Equal(rowMajor ? TensorLayout.RowMajor : TensorLayout.Panel16, WeightLayoutRule.Choose(WeightLayoutPolicy.Compact, columns));
        Assert.Equal(TensorLayout.Panel16, WeightLayoutRule.Choose(WeightLayoutPolicy.Panel16, columns));
    }

    /// <summary>Every weight of the test models is narrow, so the default writes them all row-major: the round trips
    /// in <see cref="RoundTripTests"/> go through packing at load for every layer kind.</summary>
    [Theory, MemberData(nameof(Models))]
    public void DefaultPolicyStoresTheTestModelsWeightsRowMajor(string name)
    {
        using var model = Build(name);
        var f = new FileBytes(ModelWriter.ToArray(model));
        int[] weights = WeightTensors(f, model.Layers.Count).ToArray();
        Assert.NotEmpty(weights);
        Assert.All(weights, t => Assert.Equal((uint)TensorLayout.RowMajor, f.U32(f.Tensor(t) + T.Layout)));
        Assert.All(weights, t => Assert.Equal(2u, f.U32(f.Tensor(t) + T.Rank)));
    }

    [Theory, MemberData(nameof(Models))]
    public void EveryLoaderPacksToTheSamePanelsAsThePanel16Form(string name)
    {
        using var model = Build(name);
        (string rowMajor, string panel16) = WriteBothForms(model);
        using var inPlace = ModelReader.Load(panel16);
        using var loaded = new EveryLoader(rowMajor);
        foreach (Model read in loaded.All)
        {
            ModelAssert.Same(model, read);
            ModelAssert.Same(inPlace, read);
            Assert.Equal(PackedBytes(model), read.PackedAtLoadBytes);
        }
        Assert.Equal(0, inPlace.PackedAtLoadBytes);
        Assert.Equal(0, model.PackedAtLoadBytes);
    }

    [Theory, MemberData(nameof(Models))]
    public void OutputsEqualThePanel16FormsAtBatch1AndBatch3(string name)
    {
        using var model = Build(name);
        (string rowMajor, string panel16) = WriteBothForms(model);
        using var packed = InferenceSession.Load(rowMajor);
        using var inPlace = InferenceSession.Load(panel16);
        float[] input = Execution.TestModels.RandomFloats(new Random(5), 3 * packed.InputLength);
        foreach (int batch in new[] { 1, 3 })
        {
            var expected = new float[batch * packed.OutputLength];
            var actual = new float[expected.Length];
            inPlace.Run(input.AsSpan(0, batch * packed.InputLength), expected, batch);
            packed.Run(input.AsSpan(0, batch * packed.InputLength), actual, batch);
            Assert.Equal(expected, actual); // the same panels through the same kernels: bit for bit
        }
    }

    [Fact]
    public void RunAllocatesNothingOnALoadedRowMajorModel()
    {
        using var model = TestModels.Conv();
        using var session = InferenceSession.Load(ModelWriter.ToArray(model), new SessionOptions { MaxBatchSize = 4 });
        Assert.True(session.Model.PackedAtLoadBytes > 0);
        float[] input = Execution.TestModels.RandomFloats(new Random(2), 4 * session.InputLength);
        var output = new float[4 * session.OutputLength];
        long allocated = AllocationProbe.RecurringBytes(() =>
        {
            session.Run(input, output, 4);
            session.Run(input.AsSpan(0, session.InputLength), output.AsSpan(0, session.OutputLength));
        }, warmUpCalls: 50);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void RankNineteenFactorsShedTheirPaddingFromTheFile()
    {
        // LeNet-300-100 at ranks 19/19 with a dense last layer, as the compressor exports it.
        using var model = new Model(new TensorShape(784),
            [
                new FactorizedDenseLayer(TestModels.Matrix(784, 19, 1), TestModels.Matrix(19, 300, 2), TestModels.Vector(300, 3), Activation.Relu, FactorizationMethod.Svd),
                new FactorizedDenseLayer(TestModels.Matrix(300, 19, 4), TestModels.Matrix(19, 100, 5), TestModels.Vector(100, 6), Activation.Relu, FactorizationMethod.Svd),
                new DenseLayer(TestModels.Matrix(100, 10, 7), TestModels.Vector(10, 8)),
                new SoftmaxLayer(),
            ],
            new ModelMetadata());
        int compact = ModelWriter.ToArray(model).Length, panel16 = ModelWriter.ToArray(model, WeightLayoutPolicy.Panel16).Length;
        // Padding no longer stored: 784·13 + 300·13 (A1, A2), 19·12 (B2: 100 of 112), 100·6 (W3); B1 (300 of 304) stays panel-16.
        long padding = (784L * 13 + 300 * 13 + 19 * 12 + 100 * 6) * sizeof(float);
        Assert.InRange(panel16 - compact, padding - 4 * 64, padding + 4 * 64);
        Assert.True(compact < panel16 * 0.8, $"{compact} bytes against {panel16}");
    }

    [Fact]
    public void ATensorSharedByTwoLayersIsPackedOnce()
    {
        using var model = new Model(new TensorShape(4), [new DenseLayer(TestModels.Matrix(4, 4, 1), ReadOnlyMemory<float>.Empty), new DenseLayer(TestModels.Matrix(4, 4, 2), ReadOnlyMemory<float>.Empty)], new ModelMetadata());
        var f = new FileBytes(ModelWriter.ToArray(model));
        using var shared = ModelReader.Load(f.With32(f.Layer(1) + L.Tensors, 0));
        Assert.Equal(PackedMatrix.PackedLength(4, 4) * sizeof(float), shared.PackedAtLoadBytes);
        Assert.True(((DenseLayer)shared.Layers[0]).Weights.Data.Span.SequenceEqual(((DenseLayer)shared.Layers[1]).Weights.Data.Span));
    }

    [Fact]
    public void PackingBeyondTheBudgetIsRefusedBeforeItIsAllocated()
    {
        // A one-column matrix packs into 16× its bytes. ModelWriter writes no file over the budget (WriterLimitTests), so a
        // hostile one is made: a 100,000×16 panel-16 matrix (6.4 MB in the file) relabelled a row-major 1,600,000×1 one of
        // the same bytes, which would take 102 MB of panels, over max(64 MiB, 2 × the file).
        const int rows = 100_000;
        using var model = new Model(new TensorShape(rows), [new DenseLayer(TestModels.Matrix(rows, 16, 1), ReadOnlyMemory<float>.Empty)], new ModelMetadata());
        var f = new FileBytes(ModelWriter.ToArray(model));
        byte[] bytes = f.Changed(b =>
        {
            BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(f.Tensor(0) + T.Layout), (uint)TensorLayout.RowMajor);
            BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(f.Tensor(0) + T.Dims), 16 * rows);
            BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(f.Tensor(0) + T.Dims + sizeof(uint)), 1);
            BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(FileLayout.Header.RequiredFlags), RequiredFeatures.RowMajorWeights);
        });

        var error = Assert.Throws<ModelFormatException>(() => ModelReader.Load(bytes));

        Assert.Contains("would bring the panels packed at load to 102400000 bytes, over this reader's budget of 67108864", error.Message);
        Assert.Equal(f.Layer(0) + L.Tensors, error.Offset);
    }

    public static TheoryData<string> Malformed => new(MalformedCases().Keys);

    [Theory, MemberData(nameof(Malformed))]
    public void MalformedRowMajorWeightNamesTheOffset(string name)
    {
        var (bytes, offset, says) = MalformedCases()[name];
        var error = Assert.Throws<ModelFormatException>(() => ModelReader.Load(bytes));
        Assert.True(error.Message.Contains(says, StringComparison.OrdinalIgnoreCase), error.Message);
        Assert.Equal(offset, error.Offset);
        Assert.Contains("HINT", error.Message);
    }

    /// <summary>Small (tensors 0 W0 5×3, 1 b0, 2 W1 3×4, 3 b1, 4 A 4×2, 5 B 2×6, 6 b2), every weight row-major.</summary>
    private static Dictionary<string, (byte[] Bytes, long Offset, string Says)> MalformedCases()
    {
        using var model = TestModels.Small();
        var f = new FileBytes(ModelWriter.ToArray(model));
        return new()
        {
            ["rank 3"] = (f.Changed(b => { Put(b, f.Tensor(0) + T.Rank, 3); Put(b, f.Tensor(0) + T.Dims + 8, 1); }), f.Layer(0) + L.Tensors, "2 dimensions"),
            ["rank 1"] = (f.Changed(b => { Put(b, f.Tensor(0) + T.Rank, 1); Put(b, f.Tensor(0) + T.Dims, 15); Put(b, f.Tensor(0) + T.Dims + 4, 0); }), f.Layer(0) + L.Tensors, "2 dimensions"),
            ["dims transposed"] = (f.Changed(b => { Put(b, f.Tensor(0) + T.Dims, 3); Put(b, f.Tensor(0) + T.Dims + 4, 5); }), f.Layer(0) + L.Tensors + 8, "vector of 5"),
            ["rows not the input's length"] = (f.Changed(b => { Put(b, f.Tensor(0) + T.Dims, 3); Put(b, f.Tensor(0) + T.Dims + 4, 5); Put(b, f.Layer(0) + L.Tensors + 8, uint.MaxValue); }), f.Layer(0), "does not fit"),
            ["rows of B not the rank"] = (f.Changed(b => { Put(b, f.Tensor(5) + T.Dims, 3); Put(b, f.Tensor(5) + T.Dims + 4, 4); }), f.Layer(2) + L.Tensors + 4, "disagree"),
            ["dims beyond the byte length"] = (f.With32(f.Tensor(2) + T.Dims, 4), f.Tensor(2) + T.ByteLength, "4×4 Float32 stored as RowMajor take 64"),
            ["byte length not K·N·4"] = (f.With64(f.Tensor(4) + T.ByteLength, 4 * 2 * 4 + 4), f.Tensor(4) + T.ByteLength, "4×2 Float32 stored as RowMajor take 32"),
            ["padded length for a row-major matrix"] = (f.With64(f.Tensor(4) + T.ByteLength, 4 * 16 * 4), f.Tensor(4) + T.ByteLength, "take 32"),
            ["required feature missing"] = (f.With32(FileLayout.Header.RequiredFlags, 0), FileLayout.Header.RequiredFlags, "lack 0x00000001"),
        };
    }

    /// <summary>The model written by the default policy (every test model's weights row-major) and written panel-16.</summary>
    private (string RowMajor, string Panel16) WriteBothForms(Model model)
    {
        string rowMajor = Path.Combine(Folder, "row-major.elr"), panel16 = Path.Combine(Folder, "panel16.elr");
        ModelWriter.Write(model, rowMajor);
        ModelWriter.Write(model, panel16, WeightLayoutPolicy.Panel16);
        return (rowMajor, panel16);
    }

    private static void Put(byte[] b, int at, uint value) => System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(at), value);

    /// <summary>The tensor indices in the weight slots (0 and 1) of every layer.</summary>
    private static IEnumerable<int> WeightTensors(FileBytes f, int layers) =>
        Enumerable.Range(0, layers).SelectMany(l => new[] { 0, 1 }.Select(slot => (int)f.U32(f.Layer(l) + L.Tensors + 4 * slot))).Where(t => t >= 0);

    private static long PackedBytes(Model model) => TestModels.Matrices(model).Sum(m => (long)m.Data.Length * sizeof(float));
}
