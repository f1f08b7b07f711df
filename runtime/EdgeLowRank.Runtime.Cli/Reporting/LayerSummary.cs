using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Cli.Reporting;

/// <summary>One layer's line in `info`: what it is and what it costs against its dense equivalent.</summary>
internal sealed record LayerSummary(int Index, string Kind, string Method, string WeightType, string Shape, int Rank,
    long Parameters, long ParameterBytes, long DenseParameters, long MultiplyAccumulates)
{
    public static IReadOnlyList<LayerSummary> For(Model model) =>
        model.Layers.Select((layer, i) => new LayerSummary(
            i,
            layer.Kind.ToString(),
            layer.MethodLabel,
            layer.WeightTypeLabel,
            $"{model.InputShapeOf(i)} → {model.OutputShapeOf(i)}",
            layer.Rank,
            layer.ParameterCount,
            layer.ParameterBytes,
            layer.DenseEquivalentParameterCount,
            layer.MultiplyAccumulates(model.InputShapeOf(i)))).ToArray();
}
