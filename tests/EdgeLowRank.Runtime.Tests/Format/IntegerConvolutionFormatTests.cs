using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.Layers;
using L = EdgeLowRank.Runtime.Format.FileLayout.Layer;

namespace EdgeLowRank.Runtime.Tests.Format;

/// <summary>Format 1.11's integer convolutions: a Conv2d or FactorizedConv2d layer's input quantization at +56 (where the
/// pooling kinds keep their pool height) round-trips, sets required feature 0x10 (and not a dense layer's 0x8), and every way
/// the field can be wrong is refused at its byte; a depthwise convolution still has no such field.</summary>
public sealed class IntegerConvolutionFormatTests
{
    /// <summary><see cref="TestModels.Conv"/> with every matrix int8 and its first Conv2d and its FactorizedConv2d quantizing
    /// their inputs (the 1×1 Conv2d stays weight-only).</summary>
    private static Model Dynamic()
    {
        using Model conv = TestModels.Conv();
        Model int8 = ModelWeights.MapMatrices(conv, (_, matrix) => matrix.Quantize());
        return new Model(int8.InputShape,
            [.. int8.Layers.Select((layer, i) => i is 0 or 2 ? LayerEdits.With(layer, InputQuantization.Dynamic) : layer)], int8.Metadata);
    }

    private static readonly FileBytes Good = new(ModelWriter.ToArray(Dynamic()));

    [Fact]
    public void TheFieldRoundTripsAndSetsTheConvolutionsFeatureAlone()
    {
        using Model model = Dynamic();
        using Model read = ModelReader.Load(Good.Bytes);
        ModelAssert.Same(model, read);
        Assert.Equal(model.Layers.Select(layer => layer.InputQuantization), read.Layers.Select(layer => layer.InputQuantization));
        Assert.Equal(InputQuantization.Dynamic, read.Layers[2].InputQuantization);
        uint required = Good.U32(FileLayout.Header.RequiredFlags);
        Assert.Equal(RequiredFeatures.IntegerConvolutions, required & (RequiredFeatures.IntegerConvolutions | RequiredFeatures.IntegerProducts));
        Assert.Equal(1u, Good.U32(Good.Layer(0) + L.InputQuantization));
        Assert.Equal(0u, Good.U32(Good.Layer(4) + L.InputQuantization));
    }

    [Fact]
    public void MappingTheMatricesKeepsTheFieldWhileTheyStayInt8()
    {
        using Model model = Dynamic();
        InputQuantizationChecks.MappingKeepsTheFieldWhileInt8(model);
    }

    [Fact]
    public void ASessionOnTheReadFileComputesWhatTheModelComputes()
    {
        using Model model = Dynamic();
        using Model read = ModelReader.Load(Good.Bytes);
        float[] input = Enumerable.Range(0, model.InputShape.ElementCount).Select(i => MathF.Sin(i * 0.7f)).ToArray();
        Assert.Equal(InputQuantizationChecks.Run(model, input), InputQuantizationChecks.Run(read, input));
    }

    [Fact]
    public void ADepthwiseConvolutionCannotQuantizeItsInputs() =>
        Assert.Throws<ArgumentException>(() => LayerEdits.With(TestModels.Depthwise().Layers.OfType<DepthwiseConv2dLayer>().First(), InputQuantization.Dynamic));

    public static TheoryData<string> Names => [.. Cases.Keys];

    private static readonly Dictionary<string, (byte[] Bytes, long Offset, string Says)> Cases = Build();

    private static Dictionary<string, (byte[] Bytes, long Offset, string Says)> Build()
    {
        int field = Good.Layer(2) + L.InputQuantization;
        uint required = Good.U32(FileLayout.Header.RequiredFlags);
        var floats = new FileBytes(ModelWriter.ToArray(TestModels.Conv())); // f32 weights: the field set and the feature declared
        var quantizedFloats = new FileBytes(floats.With32(floats.Layer(0) + L.InputQuantization, 1));
        var depthwise = new FileBytes(ModelWriter.ToArray(TestModels.Depthwise()));
        int depthwiseLayer = TestModels.Depthwise().Layers.ToList().FindIndex(layer => layer is DepthwiseConv2dLayer);
        return new()
        {
            ["an unknown input quantization"] = (Good.With32(field, 2), field, "input quantization 2; this reader knows 0 (none) and 1 (dynamic, since 1.11)"),
            ["no required feature"] = (Good.With32(FileLayout.Header.RequiredFlags, required & ~RequiredFeatures.IntegerConvolutions), FileLayout.Header.RequiredFlags,
                "lack 0x00000010, which every file with an integer convolution must set so that readers older than 1.11 ask for an upgrade"),
            ["a dense layer's feature instead"] = (Good.With32(FileLayout.Header.RequiredFlags, required & ~RequiredFeatures.IntegerConvolutions | RequiredFeatures.IntegerProducts),
                FileLayout.Header.RequiredFlags, "lack 0x00000010"),
            ["f32 weights"] = (quantizedFloats.With32(FileLayout.Header.RequiredFlags, floats.U32(FileLayout.Header.RequiredFlags) | RequiredFeatures.IntegerConvolutions),
                -1, "is f32; an integer product needs int8 weights"),
            ["a depthwise convolution's pool height"] = (depthwise.With32(depthwise.Layer(depthwiseLayer) + L.Pool, 1), depthwise.Layer(depthwiseLayer) + L.Pool, "pool height (at +56) is 1"),
        };
    }

    [Theory, MemberData(nameof(Names))]
    public void AWrongFieldIsRefusedAtItsByte(string name)
    {
        (byte[] bytes, long offset, string says) = Cases[name];
        InputQuantizationChecks.RefusedAtItsByte(bytes, offset, says);
    }
}
