using System.Buffers.Binary;
using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.Layers;
using T = EdgeLowRank.Runtime.Format.FileLayout.Tensor;

namespace EdgeLowRank.Runtime.Tests.Format;

/// <summary>Format 1.3's int8 weight matrices: round trips in both layouts through every loader, the file's bytes, and
/// one malformed variant per check the reader makes on an int8 tensor, each naming its byte.</summary>
public sealed class Int8FormatTests : TempFolderTest
{
    public static TheoryData<string> Models => TestModels.Names;

    /// <summary>Small with every matrix int8, panel-16: tensors 0 W0 5×3, 1 b0, 2 W1 3×4, 3 b1, 4 A 4×2, 5 B 2×6, 6 b2.</summary>
    private static readonly FileBytes Good = new(ModelWriter.ToArray(Quantized(TestModels.Small()), WeightLayoutPolicy.Panel16));

    private static Model Quantized(Model model)
    {
        using (model) return ModelWeights.MapMatrices(model, (_, matrix) => matrix.Quantize());
    }

    [Theory, MemberData(nameof(Models))]
    public void Int8ModelsRoundTripInBothLayoutsThroughEveryLoader(string name)
    {
        using Model model = Quantized(TestModels.ByName(name));
        foreach (WeightLayoutPolicy policy in new[] { WeightLayoutPolicy.Compact, WeightLayoutPolicy.Panel16 })
        {
            string path = Path.Combine(Folder, $"{name}-{policy}.elr");
            ModelWriter.Write(model, path, policy);
            using var loaded = new EveryLoader(path);
            foreach (Model read in loaded.All)
            {
                ModelAssert.Same(model, read);
                Assert.All(TestModels.Matrices(read), m => Assert.Equal(ElementType.Int8, m.ElementType));
            }
            using var session = new InferenceSession(loaded.Mapped);
            var output = new float[session.OutputLength];
            session.Run(new float[session.InputLength], output);
            Assert.All(output, v => Assert.True(float.IsFinite(v)));
        }
    }

    [Fact]
    public void TheFileHoldsBytesThenScalesEachAligned()
    {
        var f = Good;
        Assert.Equal(RequiredFeatures.Int8Weights, f.U32(FileLayout.Header.RequiredFlags));
        int w0 = f.Tensor(0);
        Assert.Equal((uint)ElementType.Int8, f.U32(w0 + T.ElementType));
        Assert.Equal(5ul * 16, f.U64(w0 + T.ByteLength)); // 5 rows of one 16-byte panel row
        Assert.Equal(f.U64(w0 + T.DataOffset) + 128, f.U64(w0 + T.ScaleOffset)); // 80 bytes, aligned up to 128
        Assert.Equal(3ul * sizeof(float), f.U64(w0 + T.ScaleLength));
        Assert.Equal((uint)ElementType.Float32, f.U32(f.Tensor(1) + T.ElementType));
        Assert.Equal(0ul, f.U64(f.Tensor(1) + T.ScaleOffset));
    }

    public static TheoryData<string> Names => [.. Cases.Keys];

    private static readonly Dictionary<string, (byte[] Bytes, long Offset, string Says)> Cases = Build();

    private static Dictionary<string, (byte[] Bytes, long Offset, string Says)> Build()
    {
        var f = Good;
        int w0 = f.Tensor(0), a = f.Tensor(4);
        int scales = (int)f.U64(w0 + T.ScaleOffset);
        return new()
        {
            ["int8 without the required feature"] = (f.With32(FileLayout.Header.RequiredFlags, 0), FileLayout.Header.RequiredFlags, "lack 0x00000002"),
            ["byte length of f32"] = (f.With64(w0 + T.ByteLength, 5ul * 16 * 4), w0 + T.ByteLength, "Int8 stored as Panel16 take 80"),
            ["scale length off by one column"] = (f.With64(w0 + T.ScaleLength, 2 * sizeof(float)), w0 + T.ScaleLength, "one f32 scale per column, 12 bytes"),
            ["no scales"] = (f.With64(w0 + T.ScaleLength, 0), w0 + T.ScaleLength, "one f32 scale per column"),
            ["scales misaligned"] = (f.With64(w0 + T.ScaleOffset, (ulong)scales + 4), w0 + T.ScaleOffset, "not a multiple of 64"),
            ["scales outside DATA"] = (f.With64(w0 + T.ScaleOffset, (ulong)f.DataEnd), w0 + T.ScaleOffset, "outside the DATA section"),
            ["scales over another tensor"] = (f.With64(a + T.ScaleOffset, f.U64(w0 + T.DataOffset)), a + T.ScaleOffset, "overlap"),
            ["negative scale"] = (f.With32(scales + 4, BitConverter.SingleToUInt32Bits(-1f)), scales + 4, "column 1 (byte"),
            ["NaN scale"] = (f.With32(scales + 8, BitConverter.SingleToUInt32Bits(float.NaN)), scales + 8, "is NaN; a scale is not negative"),
            ["infinite scale"] = (f.With32(scales, BitConverter.SingleToUInt32Bits(float.PositiveInfinity)), scales, "and 128 times it is finite"),
            ["scale too large for ±128"] = (f.With32(scales, BitConverter.SingleToUInt32Bits(float.MaxValue / 100)), scales, "and 128 times it is finite"),
            ["int8 vector"] = (f.Changed(b =>
            {
                BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(w0 + T.Layout), (uint)TensorLayout.RowMajor);
                BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(w0 + T.Rank), 1);
                BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(w0 + T.Dims + sizeof(uint)), 0);
            }), w0 + T.Rank, "int8 tensors are weight matrices"),
            ["int8 matrix as a bias"] = (Int8Bias(f), f.Layer(0) + FileLayout.Layer.Tensors + FileLayout.Slot.Bias * sizeof(int), "4×2 panel-16 int8 tensor; expected a row-major vector of 3"),
            ["float16"] = (f.With32(w0 + T.ElementType, 2), w0 + T.ElementType, "runs Float32 and Int8 only"),
        };
    }

    /// <summary>Layer 0's bias slot pointed at an int8 matrix (A, tensor 4): refused, as every matrix is, for not being a vector.</summary>
    private static byte[] Int8Bias(FileBytes f) => f.With32(f.Layer(0) + FileLayout.Layer.Tensors + FileLayout.Slot.Bias * sizeof(int), 4);

    [Theory, MemberData(nameof(Names))]
    public void MalformedInt8TensorNamesTheOffset(string name)
    {
        var (bytes, offset, says) = Cases[name];
        var error = Assert.Throws<ModelFormatException>(() => ModelReader.Load(bytes));
        Assert.Contains(says, error.Message);
        Assert.Equal(offset, error.Offset);
        Assert.Contains("HINT", error.Message);
    }

    [Fact]
    public void TheUnchangedFileLoads()
    {
        using var model = ModelReader.Load(Good.Bytes);
        Assert.Equal(4, model.Layers.Count);
    }
}
