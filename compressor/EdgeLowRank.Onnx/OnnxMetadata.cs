using System.Globalization;
using System.Text.Json;
using EdgeLowRank.Runtime.Layers;
using Onnx;

namespace EdgeLowRank.Onnx;

/// <summary>
/// A model's metadata (<see cref="ModelMetadata"/>) and its factorized layers' methods, kept in an ONNX file's
/// metadata_props under "edgelowrank." keys, so that a model exported and imported again is the same model. Other tools
/// ignore the keys; a file without them imports with its own producer's name and nothing else.
/// </summary>
public static class OnnxMetadata
{
    private const string Prefix = "edgelowrank.";
    private const string PropertyPrefix = Prefix + "property.";
    private const string Producer = Prefix + "producer", ProducerVersion = Prefix + "producer_version", Dataset = Prefix + "dataset",
        Labels = Prefix + "labels", Accuracy = Prefix + "accuracy", ReferenceAccuracy = Prefix + "reference_accuracy",
        Factorizations = Prefix + "factorizations", SecondFactors = Prefix + "second_factor_nodes", Depthwise = Prefix + "depthwise_nodes";

    /// <summary>Writes <paramref name="model"/>'s metadata, the method of each factorized layer in order, the nodes
    /// that complete those layers (<paramref name="secondFactorNodes"/>) and the depthwise Conv nodes
    /// (<paramref name="depthwiseNodes"/>) into <paramref name="proto"/>.</summary>
    public static void Write(ModelProto proto, Model model, IReadOnlyList<string> secondFactorNodes, IReadOnlyList<string> depthwiseNodes)
    {
        ModelMetadata m = model.Metadata;
        void Add(string key, string value) => proto.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        Add(Producer, m.Producer);
        Add(ProducerVersion, m.ProducerVersion);
        if (m.Dataset.Length > 0) Add(Dataset, m.Dataset);
        if (m.Labels.Count > 0) Add(Labels, JsonSerializer.Serialize(m.Labels));
        if (m.Accuracy is double a) Add(Accuracy, a.ToString("R", CultureInfo.InvariantCulture));
        if (m.ReferenceAccuracy is double r) Add(ReferenceAccuracy, r.ToString("R", CultureInfo.InvariantCulture));
        foreach (var (key, value) in m.Properties.OrderBy(p => p.Key, StringComparer.Ordinal)) Add(PropertyPrefix + key, value);
        var methods = model.Layers.Select(MethodOf).OfType<FactorizationMethod>().ToArray();
        if (methods.Length > 0) Add(Factorizations, string.Join(",", methods.Select(x => x.ToString().ToLowerInvariant())));
        Add(SecondFactors, string.Join(",", secondFactorNodes));
        if (depthwiseNodes.Count > 0) Add(Depthwise, string.Join(",", depthwiseNodes));
    }

    /// <summary>The nodes an elr export wrote as the second factors of factorized layers; null for another tool's file,
    /// which says nothing about which linear maps belong together.</summary>
    public static IReadOnlySet<string>? SecondFactorNodes(ModelProto proto) =>
        proto.MetadataProps.LastOrDefault(p => p.Key == SecondFactors)?.Value is { } names
            ? names.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet()
            : null;

    /// <summary>The Conv nodes an elr export wrote for depthwise layers: a depthwise convolution of one channel is a Conv of
    /// group 1, which without this record would come back as an ordinary convolution. Empty for another tool's file.</summary>
    public static IReadOnlySet<string> DepthwiseNodes(ModelProto proto) =>
        proto.MetadataProps.LastOrDefault(p => p.Key == Depthwise)?.Value.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet() ?? [];

    /// <summary>The metadata <paramref name="proto"/> records, or, for a file from another tool, its producer's name.</summary>
    /// <exception cref="OnnxImportException">An "edgelowrank." entry that does not parse.</exception>
    public static ModelMetadata Read(ModelProto proto)
    {
        var props = proto.MetadataProps.GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value);
        if (!props.TryGetValue(Producer, out string? producer))
            return new ModelMetadata { Producer = proto.ProducerName, ProducerVersion = proto.ProducerVersion };
        return new ModelMetadata
        {
            Producer = producer,
            ProducerVersion = props.GetValueOrDefault(ProducerVersion, ""),
            Dataset = props.GetValueOrDefault(Dataset, ""),
            Labels = props.TryGetValue(Labels, out string? labels) ? ParseLabels(labels) : [],
            Accuracy = props.TryGetValue(Accuracy, out string? a) ? ParseFraction(Accuracy, a) : null,
            ReferenceAccuracy = props.TryGetValue(ReferenceAccuracy, out string? r) ? ParseFraction(ReferenceAccuracy, r) : null,
            Properties = props.Where(p => p.Key.StartsWith(PropertyPrefix, StringComparison.Ordinal))
                .ToDictionary(p => p.Key[PropertyPrefix.Length..], p => p.Value),
        };
    }

    /// <summary>The factorized layers' methods in order, as <see cref="Write"/> recorded them; empty when not recorded.</summary>
    /// <exception cref="OnnxImportException">An entry that names no method.</exception>
    public static IReadOnlyList<FactorizationMethod> FactorizationMethods(ModelProto proto)
    {
        string? text = proto.MetadataProps.LastOrDefault(p => p.Key == Factorizations)?.Value;
        if (string.IsNullOrEmpty(text)) return [];
        return text.Split(',').Select(name => Enum.TryParse(name, ignoreCase: true, out FactorizationMethod method) && Enum.IsDefined(method)
            ? method
            : throw new OnnxImportException($"metadata_props '{Factorizations}' names the method '{name}'; expected none, svd or cur.")).ToArray();
    }

    private static FactorizationMethod? MethodOf(Layer layer) => layer switch
    {
        FactorizedDenseLayer f => f.Method,
        FactorizedConv2dLayer f => f.Method,
        _ => null,
    };

    private static string[] ParseLabels(string json)
    {
        try
        {
            string?[] labels = JsonSerializer.Deserialize<string?[]>(json) ?? throw new JsonException("null");
            return labels.All(l => !string.IsNullOrEmpty(l)) ? labels.Select(l => l!).ToArray() : throw new JsonException("an empty label");
        }
        catch (JsonException)
        {
            throw new OnnxImportException($"metadata_props '{Labels}' is not a JSON array of non-empty strings: {json}");
        }
    }

    private static double ParseFraction(string key, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v is >= 0 and <= 1
            ? v
            : throw new OnnxImportException($"metadata_props '{key}' is '{text}'; expected an accuracy between 0 and 1.");
}
