using System.Globalization;
using System.Text;
using EdgeLowRank.Runtime.Layers;
using static EdgeLowRank.Runtime.Format.FormatErrors;

namespace EdgeLowRank.Runtime.Format;

/// <summary>Reads the META section: <c>count</c> entries, each a u32 key length, the UTF-8 key, a u32
/// value length and the UTF-8 value, filling the section exactly.</summary>
internal static class MetadataSection
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The metadata, and where the labels' value starts (to point at it if their count is wrong).</summary>
    public static (ModelMetadata Metadata, int LabelsOffset) Read(ReadOnlySpan<byte> file, Section meta)
    {
        var values = new Dictionary<string, (string Value, int Offset)>(StringComparer.Ordinal);
        int at = meta.Offset;
        for (int i = 0; i < meta.Count; i++)
        {
            int keyAt = at;
            string key = ReadString(file, ref at, meta, $"metadata entry {i}'s key", FormatConstants.MaxMetadataKeyLength);
            int valueAt = at + sizeof(uint); // the text, after its length
            string value = ReadString(file, ref at, meta, $"metadata entry {i} (\"{key}\")'s value", int.MaxValue);
            if (key.Length == 0 || !values.TryAdd(key, (value, valueAt)))
                throw new ModelFormatException($"Metadata entry {i} has {(key.Length == 0 ? "an empty key" : $"the key \"{key}\" a second time")}; keys are non-empty and unique. {CopyAgain}", keyAt);
        }
        if (at != meta.End)
            throw new ModelFormatException($"The META section has {meta.End - at} bytes left after its {meta.Count} entries; they should fill it exactly. {CopyAgain}", at);
        return (ToMetadata(values), values.TryGetValue(MetadataKeys.Labels, out var labels) ? labels.Offset : meta.Offset);
    }

    private static ModelMetadata ToMetadata(Dictionary<string, (string Value, int Offset)> values)
    {
        string Text(string key) => values.TryGetValue(key, out var v) ? v.Value : "";
        return new ModelMetadata
        {
            Producer = Text(MetadataKeys.Producer),
            ProducerVersion = Text(MetadataKeys.ProducerVersion),
            Labels = values.TryGetValue(MetadataKeys.Labels, out var labels) ? labels.Value.Split(MetadataKeys.LabelSeparator) : [],
            Dataset = Text(MetadataKeys.Dataset),
            ReferenceAccuracy = Number(values, MetadataKeys.ReferenceAccuracy),
            Accuracy = Number(values, MetadataKeys.Accuracy),
            Properties = values
                .Where(p => p.Key.StartsWith(MetadataKeys.PropertyPrefix, StringComparison.Ordinal))
                .ToDictionary(p => p.Key[MetadataKeys.PropertyPrefix.Length..], p => p.Value.Value, StringComparer.Ordinal),
        };
    }

    private static double? Number(Dictionary<string, (string Value, int Offset)> values, string key)
    {
        if (!values.TryGetValue(key, out var entry)) return null;
        if (double.TryParse(entry.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) && double.IsFinite(number))
            return number;
        throw new ModelFormatException($"Metadata \"{key}\" is \"{entry.Value}\"; expected a finite number such as 0.9812. {CopyAgain}", entry.Offset);
    }

    private static string ReadString(ReadOnlySpan<byte> file, ref int at, Section meta, string what, int maxLength)
    {
        if (meta.End - at < sizeof(uint))
            throw new ModelFormatException($"The length of {what} at byte {at} runs past the end of the META section (byte {meta.End}). {CopyAgain}", at);
        uint length = file.U32(at);
        if (length > (uint)maxLength || length > (uint)(meta.End - at - sizeof(uint)))
            throw new ModelFormatException($"{Capitalized(what)} is {length} bytes long; at most {Math.Min(maxLength, meta.End - at - sizeof(uint))} fit (the META section ends at byte {meta.End}). {CopyAgain}", at);
        at += sizeof(uint);
        try
        {
            return StrictUtf8.GetString(file.Slice(at, (int)length));
        }
        catch (DecoderFallbackException e)
        {
            throw new ModelFormatException($"{Capitalized(what)} at byte {at} is not valid UTF-8. {CopyAgain}", at, e);
        }
        finally
        {
            at += (int)length;
        }
    }

    private static string Capitalized(string text) => char.ToUpperInvariant(text[0]) + text[1..];
}
