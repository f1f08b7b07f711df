namespace EdgeLowRank.Runtime.Layers;

/// <summary>What a model says about itself: who made it, what its outputs mean, how accurate it was.</summary>
public sealed record ModelMetadata
{
    /// <summary>The program that wrote the file, for example "elr" (its version is <see cref="ProducerVersion"/>).</summary>
    public string Producer { get; init; } = "";

    /// <summary>The producer's version.</summary>
    public string ProducerVersion { get; init; } = "";

    /// <summary>One label per output class, in output order; empty when unknown.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>The data set the accuracies below were measured on, for example "mnist/test"; empty when none.</summary>
    public string Dataset { get; init; } = "";

    /// <summary>Accuracy of the uncompressed reference network on <see cref="Dataset"/>, in [0, 1]; null when not measured.</summary>
    public double? ReferenceAccuracy { get; init; }

    /// <summary>Accuracy of this (compressed) network on <see cref="Dataset"/>, in [0, 1]; null when not measured.</summary>
    public double? Accuracy { get; init; }

    /// <summary>Free-form key/value pairs (training settings, the compression criterion, …).</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();

    /// <summary>The property that records the full scale of the integer pixels the model was trained on, as pixel / full
    /// scale: "255" for byte images (MNIST, Fashion-MNIST, a folder of uint8 arrays), "16" for the UCI digits. Absent when the
    /// model was trained on float pixels taken as they are, or made elsewhere: its inputs' scale is then unknown.</summary>
    internal const string InputPixelMaxProperty = "input.pixel-max";

    /// <summary>The property of a model that applies its input's normalization itself (mean and std folded into its first
    /// layer, or a layer of its own; `elr import-onnx --input-mean/--input-std` records it, with the values), so it takes
    /// pixels before normalization.</summary>
    internal const string InputNormalizationProperty = "import.input-normalization";

    /// <summary>What <see cref="InputNormalizationProperty"/> says ("mean 0.1307, std 0.3081, folded into the first layer; …"),
    /// or null when the model records no normalization of its own.</summary>
    public string? InputNormalization => Properties.TryGetValue(InputNormalizationProperty, out string? text) ? text : null;

    /// <summary>
    /// The full scale of the integer pixels the model was trained on (<see cref="InputPixelMaxProperty"/>): an integer pixel
    /// p is fed as p / <see cref="InputPixelMax"/>, as TensorFlow Lite's image metadata records its inputs' normalization.
    /// Null when the file does not record one, or records a value that is not a whole number from 1 to 65,535.
    /// </summary>
    public int? InputPixelMax =>
        Properties.TryGetValue(InputPixelMaxProperty, out string? text)
        && int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int max)
        && max is >= 1 and <= ushort.MaxValue ? max : null;

    /// <summary>What <see cref="InputPixelMaxProperty"/> holds when it is not a whole number from 1 to 65,535, so that
    /// <see cref="InputPixelMax"/> is null and integer pixels are read by 255; null when the property is absent or readable.
    /// Tools name it rather than ignore it: a hand-edited "16 " would feed the digits' 0–16 pixels by 255 without a word.</summary>
    internal string? UnreadableInputPixelMax =>
        InputPixelMax is null && Properties.TryGetValue(InputPixelMaxProperty, out string? text) ? text : null;

    /// <summary>The full scale integer input pixels are divided by: <paramref name="given"/> (the caller's) when above 0, else
    /// <see cref="InputPixelMax"/>, else 255, the scale of byte images, as before models recorded one. elr-run and libelr
    /// both take it from here.</summary>
    public int IntegerPixelScale(int given = 0) => given > 0 ? given : InputPixelMax ?? byte.MaxValue;

    /// <summary>Where <see cref="IntegerPixelScale"/> took its scale from, for messages, the caller's scale named by
    /// <paramref name="givenOption"/> (--pixel-max, pixel_max): "(--pixel-max 8; the model records 16)", "(the model's
    /// input.pixel-max)" or "(the scale of byte images; the model records none)", "records no whole number from 1 to 65,535"
    /// when <paramref name="recordsUnreadable"/>. A static of the recorded scale, so libelr makes the text only when a pixel is
    /// refused.</summary>
    internal static string IntegerPixelScaleSource(int given, int? recorded, string givenOption, bool recordsUnreadable = false)
    {
        string records = recorded is int r ? $"records {r}" : recordsUnreadable ? "records no whole number from 1 to 65,535" : "records none";
        return given > 0 ? $"({givenOption} {given}; the model {records})"
            : recorded is not null ? $"(the model's {InputPixelMaxProperty})"
            : $"(the scale of byte images; the model {records})";
    }

    /// <summary>
    /// "98.26% (reference 98.29%) on mnist/test", with "(not measured)" or "(unknown)" for what the file leaves out;
    /// null when it records neither a data set nor an accuracy (a hand-made or converted model), so tools print nothing.
    /// </summary>
    internal string? AccuracySummary()
    {
        if (Dataset.Length == 0 && Accuracy is null && ReferenceAccuracy is null) return null;
        static string Percent(double? value) => value is double v ? $"{v * 100:0.00}%" : "(not measured)";
        return $"{Percent(Accuracy)} (reference {Percent(ReferenceAccuracy)}) on {(Dataset.Length == 0 ? "(unknown)" : Dataset)}";
    }

    /// <summary>Records compare their lists and dictionaries by content, so round trips can be asserted.</summary>
    public bool Equals(ModelMetadata? other) =>
        other is not null && Producer == other.Producer && ProducerVersion == other.ProducerVersion
        && Labels.SequenceEqual(other.Labels) && Dataset == other.Dataset
        && Nullable.Equals(ReferenceAccuracy, other.ReferenceAccuracy) && Nullable.Equals(Accuracy, other.Accuracy)
        && Properties.Count == other.Properties.Count
        && Properties.All(p => other.Properties.TryGetValue(p.Key, out var v) && v == p.Value);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Producer, ProducerVersion, Dataset, Labels.Count, Properties.Count);
}
