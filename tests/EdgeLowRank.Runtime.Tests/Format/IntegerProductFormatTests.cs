using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.Layers;
using L = EdgeLowRank.Runtime.Format.FileLayout.Layer;

namespace EdgeLowRank.Runtime.Tests.Format;

/// <summary>Format 1.10's integer products: a Dense or FactorizedDense layer's input quantization at +56 round-trips, sets
/// required feature 0x8, and every way the field can be wrong is refused at its byte.</summary>
public sealed class IntegerProductFormatTests
{
    /// <summary><see cref="TestModels.Small"/> with every matrix int8 and its first Dense and its FactorizedDense layer
    /// quantizing their inputs (the second Dense stays weight-only).</summary>
    internal static Model Dynamic()
    {
        using Model small = TestModels.Small();
        Model int8 = ModelWeights.MapMatrices(small, (_, matrix) => matrix.Quantize());
        return new Model(int8.InputShape,
            [LayerEdits.With(int8.Layers[0], InputQuantization.Dynamic), int8.Layers[1], LayerEdits.With(int8.Layers[2], InputQuantization.Dynamic), int8.Layers[3]],
            int8.Metadata);
    }

    private static readonly FileBytes Good = new(ModelWriter.ToArray(Dynamic()));

    [Fact]
    public void TheFieldRoundTripsAndSetsTheRequiredFeature()
    {
        using Model model = Dynamic();
        using Model read = ModelReader.Load(Good.Bytes);
        ModelAssert.Same(model, read);
        Assert.Equal([InputQuantization.Dynamic, InputQuantization.None, InputQuantization.Dynamic, InputQuantization.None],
            read.Layers.Select(layer => layer.InputQuantization));
        Assert.Equal(RequiredFeatures.IntegerProducts, Good.U32(FileLayout.Header.RequiredFlags) & RequiredFeatures.IntegerProducts);
        Assert.Equal(1u, Good.U32(Good.Layer(0) + L.InputQuantization));
        Assert.Equal(0u, Good.U32(Good.Layer(1) + L.InputQuantization));
    }

    [Fact]
    public void MappingTheMatricesKeepsTheFieldWhileTheyStayInt8()
    {
        using Model model = Dynamic();
        InputQuantizationChecks.MappingKeepsTheFieldWhileInt8(model);
    }

    [Fact]
    public void AFileWithoutIntegerProductsDoesNotSetTheFeature()
    {
        var plain = new FileBytes(ModelWriter.ToArray(TestModels.Small()));
        Assert.Equal(0u, plain.U32(FileLayout.Header.RequiredFlags) & RequiredFeatures.IntegerProducts);
    }

    [Fact]
    public void ASessionOnTheReadFileComputesWhatTheModelComputes()
    {
        using Model model = Dynamic();
        using Model read = ModelReader.Load(Good.Bytes);
        float[] input = [0.5f, -1f, 2f, 0f, 3f];
        Assert.Equal(InputQuantizationChecks.Run(model, input), InputQuantizationChecks.Run(read, input));
    }

    public static TheoryData<string> Names => [.. Cases.Keys];

    private static readonly Dictionary<string, (byte[] Bytes, long Offset, string Says)> Cases = Build();

    private static Dictionary<string, (byte[] Bytes, long Offset, string Says)> Build()
    {
        int field = Good.Layer(0) + L.InputQuantization;
        uint required = Good.U32(FileLayout.Header.RequiredFlags);
        var floats = new FileBytes(ModelWriter.ToArray(TestModels.Small())); // f32 weights: the field set and the feature declared
        var quantizedFloats = new FileBytes(floats.With32(floats.Layer(1) + L.InputQuantization, 1));
        return new()
        {
            ["an unknown input quantization"] = (Good.With32(field, 2), field, "input quantization 2; this reader knows 0 (none) and 1 (dynamic, since 1.10)"),
            ["no required feature"] = (Good.With32(FileLayout.Header.RequiredFlags, required & ~RequiredFeatures.IntegerProducts), FileLayout.Header.RequiredFlags, "lack 0x00000008"),
            ["f32 weights"] = (quantizedFloats.With32(FileLayout.Header.RequiredFlags, floats.U32(FileLayout.Header.RequiredFlags) | RequiredFeatures.IntegerProducts),
                -1, "is f32; an integer product needs int8 weights"),
        };
    }

    [Theory, MemberData(nameof(Names))]
    public void AWrongFieldIsRefusedAtItsByte(string name)
    {
        (byte[] bytes, long offset, string says) = Cases[name];
        InputQuantizationChecks.RefusedAtItsByte(bytes, offset, says);
    }
}
