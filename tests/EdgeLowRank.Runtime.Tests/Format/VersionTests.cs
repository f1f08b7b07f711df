using System.Buffers.Binary;
using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Tests.Format;

/// <summary>How this reader treats files of other versions (docs/FORMAT.md, "Versions"); the released versions
/// themselves are read by <see cref="GoldenFixtureTests"/> (whose CurrentFilesAreFormatX_Y pins the current one).</summary>
public sealed class VersionTests
{
    private const ushort Major = FormatConstants.MajorVersion, Minor = FormatConstants.MinorVersion;

    /// <summary>The next minor version, which this reader has not seen.</summary>
    private const ushort NextMinor = Minor + 1;

    /// <summary>What the reader says of a newer minor version's file.</summary>
    private static readonly string NewerMinor = $"format {Major}.{NextMinor}, newer than this reader's {Major}.{Minor}; upgrade";

    private static readonly FileBytes Small = new(ModelWriter.ToArray(TestModels.Small()));

    [Fact]
    public void NewerMinorVersionIsRead()
    {
        using var model = ModelReader.Load(Small.With16(FileLayout.Header.Minor, NextMinor));
        Assert.Equal(4, model.Layers.Count);
    }

    [Fact]
    public void UnknownLayerKindInANewerMinorVersionAsksForAnUpgrade()
    {
        byte[] bytes = new FileBytes(Small.With16(FileLayout.Header.Minor, NextMinor)).With32(Small.Layer(1) + FileLayout.Layer.Kind, 42);
        var error = Assert.Throws<ModelFormatException>(() => ModelReader.Load(bytes));
        Assert.Contains(NewerMinor, error.Message);
    }

    [Fact]
    public void UnknownLayerKindInThisMinorVersionIsDamage()
    {
        uint first = (uint)Enum.GetValues<LayerKind>().Min(), last = (uint)Enum.GetValues<LayerKind>().Max();
        var error = Assert.Throws<ModelFormatException>(() => ModelReader.Load(Small.With32(Small.Layer(1) + FileLayout.Layer.Kind, last + 1)));
        Assert.Contains($"kind {last + 1}; this reader knows {first} to {last}", error.Message);
        Assert.Contains("damaged", error.Message);
    }

    [Fact]
    public void WriterWritesTheCurrentVersion() =>
        Assert.Equal((Major, Minor), (Small.Bytes[FileLayout.Header.Major] | Small.Bytes[FileLayout.Header.Major + 1] << 8, Small.Bytes[FileLayout.Header.Minor] | Small.Bytes[FileLayout.Header.Minor + 1] << 8));

    [Fact]
    public void RowMajorWeightsSetTheRequiredFeatureAndPanel16FilesNone()
    {
        using var model = TestModels.Small();
        var panel16 = new FileBytes(ModelWriter.ToArray(model, WeightLayoutPolicy.Panel16));
        Assert.Equal(1u, Small.U32(FileLayout.Header.RequiredFlags));
        Assert.Equal(0u, panel16.U32(FileLayout.Header.RequiredFlags)); // what 1.0 and 1.1 readers accept
        Assert.Equal(Minor, panel16.U32(FileLayout.Header.Minor) & 0xFFFF);
    }

    [Fact]
    public void UnknownRequiredFeatureNamesBothVersionsAndAsksForAnUpgrade()
    {
        // What a 1.2 reader does with bit 1 (int8 weights), seen from this reader with the next bit, in a file of the next minor version.
        byte[] bytes = new FileBytes(Small.With16(FileLayout.Header.Minor, NextMinor)).With32(FileLayout.Header.RequiredFlags, 0b100_0001);
        var error = Assert.Throws<ModelFormatException>(() => ModelReader.Load(bytes));
        Assert.Equal(FileLayout.Header.RequiredFlags, error.Offset);
        Assert.Contains($"does not know 0x00000040 (format {Major}.{Minor} defines 0x00000001 (row-major weight matrices, since 1.2), 0x00000002 (int8 weight matrices, since 1.3), 0x00000004 (padded max pooling, since 1.7), 0x00000008 (integer products, since 1.10), 0x00000010 (integer convolutions, since 1.11) and 0x00000020 (uneven padding, since 1.13); the file is {Major}.{NextMinor}). HINT: upgrade", error.Message);
    }

    [Fact]
    public void NonSquareWindowInANewerMinorVersionAsksForAnUpgrade()
    {
        var conv = new FileBytes(ModelWriter.ToArray(TestModels.Conv()));
        byte[] bytes = new FileBytes(conv.With16(FileLayout.Header.Minor, NextMinor)).With32(conv.Layer(0) + FileLayout.Layer.Kernel + 4, 1);
        var error = Assert.Throws<ModelFormatException>(() => ModelReader.Load(bytes));
        Assert.Equal(conv.Layer(0) + FileLayout.Layer.Kernel + 4, error.Offset);
        Assert.Contains(NewerMinor, error.Message);
    }

    /// <summary>Records longer than 80 bytes were allowed before 1.13, which put the bottom and right padding at +80 and +84:
    /// in an older file those bytes are someone else's, and the reader neither reads the padding there nor checks them. A
    /// 7×7 image under a 3×3 stride-2 window padded (0, 0, 1, 1) gives 3×3 windows of which none reads the padded row or
    /// column, so read as 1.12 (padding 0) the model computes the same numbers.</summary>
    [Fact]
    public void AnOlderFilesLongerRecordsKeepOtherBytesWhereTheBottomAndRightPaddingNowLie()
    {
        var random = new Random(12);
        using var model = new Model(new TensorShape(7, 7, 1),
        [
            new Conv2dLayer(Execution.TestModels.RandomMatrix(random, 9, 2), Execution.TestModels.RandomFloats(random, 2), 1,
                new ConvolutionGeometry(3, 2, new WindowPadding(0, 0, 1, 1))),
            new FlattenLayer(),
            new DenseLayer(Execution.TestModels.RandomMatrix(random, 18, 3), Execution.TestModels.RandomFloats(random, 3)),
        ], new ModelMetadata());
        var current = new FileBytes(ModelWriter.ToArray(model));
        Assert.Equal(FormatConstants.UnevenPaddingRecordSize, current.LayerRecordSize);
        byte[] older = current.Changed(b =>
        {
            BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(FileLayout.Header.Minor), 12);
            BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(FileLayout.Header.RequiredFlags), current.U32(FileLayout.Header.RequiredFlags) & ~RequiredFeatures.UnevenPadding);
            foreach (int layer in (int[])[0, 2])
                for (int at = FileLayout.Layer.PaddingBottom; at < FormatConstants.UnevenPaddingRecordSize; at += sizeof(uint))
                    BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(current.Layer(layer) + at), 0xDEADBEEF); // junk: a bottom past the kernel, a dense layer's "padding"
        });

        using Model read = ModelReader.Load(older);

        Assert.Equal(new ConvolutionGeometry(3, 2), ((Conv2dLayer)read.Layers[0]).Geometry);
        float[] input = Execution.TestModels.RandomFloats(random, 49);
        Assert.Equal(Run(model, input), Run(read, input));
    }

    private static float[] Run(Model model, float[] input)
    {
        using var session = new Runtime.Execution.InferenceSession(model);
        var output = new float[session.OutputLength];
        session.Run(input, output);
        return output;
    }

    [Fact]
    public void FutureMajorVersionSaysWhatThisReaderReads()
    {
        var error = Assert.Throws<ModelFormatException>(() => ModelReader.Load(Small.With16(FileLayout.Header.Major, Major + 1)));
        Assert.Contains($"format {Major + 1}.{Minor}; this reader reads format {Major}.x only", error.Message);
    }

    [Fact]
    public void SectionTableInsideALargerDeclaredHeaderIsRejected()
    {
        // A 1.y header may be longer than 64 bytes; everything else then starts after it.
        var error = Assert.Throws<ModelFormatException>(() => ModelReader.Load(Small.With32(FileLayout.Header.HeaderSize, 128)));
        Assert.Equal(FileLayout.Header.SectionTableOffset, error.Offset);
    }
}
