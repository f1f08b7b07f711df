using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Cli.Reporting;

/// <summary>One layer's line in `info`: its <see cref="Name"/> (<see cref="LayerNames"/>: fc1, conv2, as `elr inspect` shows it and
/// `bench --per-layer` names its steps), what it is and what it costs against its dense equivalent; for an Add, the
/// activation it adds (<see cref="AddLayer.Source"/>: the input of that layer, 0 the model's input); for a Branch, the
/// activation the chain continues from (<see cref="BranchLayer.Source"/>); for a Concat, the activation it joins
/// (<see cref="ConcatLayer.Source"/>) and whether the input's channels come first; for a ChannelScale, the activation it
/// scales (<see cref="ChannelScaleLayer.Source"/>); for a HardSigmoid, its slope and offset; for a LeakyRelu, its slope (<see cref="Alpha"/>). <see cref="Inputs"/> is what a layer
/// with weights multiplies them by: "dynamic" when it quantizes its inputs to uint8 as it runs (format 1.10, convolutions since
/// 1.11, <see cref="InputQuantization.Dynamic"/>), "none" when they stay f32; null for a layer without weights. <see cref="Rank"/> is
/// the file's (min(rows, columns) for a dense matrix, as the JSON has always given it), <see cref="RankLabel"/> the table's ("full" for one).</summary>
internal sealed record LayerSummary(int Index, string Name, string Kind, string Label, string Method, string WeightType, string? Inputs, string Shape, int Rank, string RankLabel,
    long Parameters, long ParameterBytes, long DenseParameters, long MultiplyAccumulates, int? Adds, int? BranchesFrom,
    int? Joins, bool? InputFirst, int? Scales, float? Alpha, float? Beta)
{
    public static IReadOnlyList<LayerSummary> For(Model model)
    {
        string[] names = LayerNames.Of(model.Layers);
        return model.Layers.Select((layer, i) => new LayerSummary(
            i,
            names[i],
            layer.Kind.ToString(),
            layer.Label,
            layer.MethodLabel,
            layer.WeightTypeLabel,
            layer.ParameterCount == 0 ? null : layer.InputQuantization.ToString().ToLowerInvariant(),
            $"{model.InputShapeOf(i)} → {model.OutputShapeOf(i)}",
            layer.Rank,
            layer.RankLabel,
            layer.ParameterCount,
            layer.ParameterBytes,
            layer.DenseEquivalentParameterCount,
            layer.MultiplyAccumulates(model.InputShapeOf(i)),
            (layer as AddLayer)?.Source,
            (layer as BranchLayer)?.Source,
            (layer as ConcatLayer)?.Source,
            (layer as ConcatLayer)?.InputFirst,
            (layer as ChannelScaleLayer)?.Source,
            layer switch { HardSigmoidLayer h => h.Alpha, LeakyReluLayer l => l.Alpha, _ => null },
            (layer as HardSigmoidLayer)?.Beta)).ToArray();
    }
}
