using System.Globalization;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Format;

/// <summary>The META section's keys and how <see cref="ModelMetadata"/> maps to and from its UTF-8
/// key/value pairs. Readers ignore keys they do not know, so later minor versions may add some.</summary>
internal static class MetadataKeys
{
    public const string Producer = "producer";
    public const string ProducerVersion = "producer.version";
    public const string Labels = "labels";
    public const string Dataset = "dataset";
    public const string ReferenceAccuracy = "accuracy.reference";
    public const string Accuracy = "accuracy";

    /// <summary>Free-form properties are stored under this prefix, so they can never collide with a format key.</summary>
    public const string PropertyPrefix = "property.";

    /// <summary>Labels are joined by a line feed, which a label may therefore not contain.</summary>
    public const char LabelSeparator = '\n';

    /// <summary>The pairs to write, in a fixed order (properties sorted by key) so equal models give equal bytes.
    /// Empty strings and absent accuracies are left out.</summary>
    /// <exception cref="ArgumentException">The labels do not match the outputs one to one, a label is empty or holds a line feed, an accuracy is not a finite number, a property key is too long, or there are too many entries.</exception>
    public static List<KeyValuePair<string, string>> ToEntries(ModelMetadata metadata, int outputs)
    {
        if (metadata.Labels.Count != 0 && metadata.Labels.Count != outputs)
            throw new ArgumentException($"The metadata has {metadata.Labels.Count} labels but the model has {outputs} outputs; give one label per output, or none.", nameof(metadata));
        var entries = new List<KeyValuePair<string, string>>();
        void Add(string key, string value)
        {
            if (value.Length > 0) entries.Add(new(key, value));
        }
        Add(Producer, metadata.Producer);
        Add(ProducerVersion, metadata.ProducerVersion);
        foreach (string label in metadata.Labels)
        {
            if (label.Length == 0 || label.Contains(LabelSeparator))
                throw new ArgumentException($"The label \"{label}\" cannot be stored: labels are non-empty and hold no line feed.", nameof(metadata));
        }
        Add(Labels, string.Join(LabelSeparator, metadata.Labels));
        Add(Dataset, metadata.Dataset);
        foreach (var (key, accuracy) in new[] { (ReferenceAccuracy, metadata.ReferenceAccuracy), (Accuracy, metadata.Accuracy) })
            if (accuracy is double value && !double.IsFinite(value))
                throw new ArgumentException($"The metadata's {key} is {value.ToString(CultureInfo.InvariantCulture)}; readers take a finite number (a fraction such as 0.9812). "
                    + "Measure it again, or leave it out (null).", nameof(metadata));
        Add(ReferenceAccuracy, metadata.ReferenceAccuracy?.ToString("R", CultureInfo.InvariantCulture) ?? "");
        Add(Accuracy, metadata.Accuracy?.ToString("R", CultureInfo.InvariantCulture) ?? "");
        foreach (var property in metadata.Properties.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            string key = PropertyPrefix + property.Key;
            if (System.Text.Encoding.UTF8.GetByteCount(key) > FormatConstants.MaxMetadataKeyLength)
                throw new ArgumentException($"The property key \"{property.Key}\" is too long: keys take at most {FormatConstants.MaxMetadataKeyLength - PropertyPrefix.Length} UTF-8 bytes.", nameof(metadata));
            entries.Add(new(key, property.Value));
        }
        if (entries.Count > FormatConstants.MaxMetadataEntries)
            throw new ArgumentException($"The metadata has {entries.Count} entries; readers accept at most {FormatConstants.MaxMetadataEntries}.", nameof(metadata));
        return entries;
    }
}
