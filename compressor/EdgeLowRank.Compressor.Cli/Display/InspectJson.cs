using System.Security.Cryptography;
using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Cli.Display;

/// <summary>
/// <c>elr inspect --json</c>: the table, the totals, the file's format and its metadata as one document, for a pipeline that
/// checks a model before it ships it (a trial parsed the table's text). A layer's rank is its factorization's inner
/// dimension, null for a dense matrix or a layer without one (the table's "full" and ""); the format's version and the
/// features a reader needs are the header's, as <c>elr-run info --json</c> gives them. <c>networkSha256</c> is the digest of
/// the network alone (the file the writer makes of its layers without metadata): two runs with one seed write files that
/// differ in the seconds and threads their metadata records, and a pipeline asking whether tonight's model changed
/// compares this instead (a trial found every run's file of another SHA-256, its weights the same).
/// </summary>
internal static class InspectJson
{
    /// <summary>The document of <paramref name="model"/>, read from <paramref name="path"/>.</summary>
    public static object Of(string path, Model model, IReadOnlyList<string> names, Func<Layer, string> inputs)
    {
        ModelFileVersion version = ModelFileVersion.Read(path);
        ModelMetadata meta = model.Metadata;
        return new
        {
            model = path,
            networkSha256 = Convert.ToHexStringLower(SHA256.HashData(ModelWriter.ToArray(new Model(model.InputShape, model.Layers, new ModelMetadata())))),
            formatVersion = version.Version,
            requiredFeatures = version.Features.Select(f => f.Name),
            producer = meta.Producer,
            producerVersion = meta.ProducerVersion,
            dataset = meta.Dataset,
            accuracy = meta.Accuracy,
            referenceAccuracy = meta.ReferenceAccuracy,
            parameters = model.ParameterCount,
            bytes = model.ParameterBytes,
            denseParameters = model.DenseEquivalentParameterCount,
            macs = model.MultiplyAccumulates,
            denseMacs = model.DenseEquivalentMultiplyAccumulates,
            layers = model.Layers.Select((layer, i) => new
            {
                index = i,
                name = names[i],
                kind = layer.Label,
                input = model.InputShapeOf(i).ToString(),
                output = model.OutputShapeOf(i).ToString(),
                method = layer.MethodLabel,
                weights = layer.WeightTypeLabel,
                inputs = inputs(layer),
                rank = layer.Kind is LayerKind.FactorizedDense or LayerKind.FactorizedConv2d ? layer.Rank : (int?)null,
                parameters = layer.ParameterCount,
                bytes = layer.ParameterCount == 0 ? 0 : layer.ParameterBytes,
                macs = layer.MultiplyAccumulates(model.InputShapeOf(i)),
                denseParameters = layer.DenseEquivalentParameterCount,
            }),
            properties = meta.Properties.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(),
        };
    }
}
