using System.Text;
using ConsoleAppFramework;
using EdgeLowRank.Runtime.Cli.Reporting;
using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.IO;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Cli.Commands;

/// <summary>`elr-run info`: what a model holds and what it costs.</summary>
internal sealed class InfoCommand
{
    /// <summary>Shows a model's format version and required features, layers (with the names `elr inspect` gives them), shapes, ranks, parameters, bytes, MACs, compression and metadata.</summary>
    /// <param name="model">The .elr model file.</param>
    /// <param name="json">Print JSON instead of a table.</param>
    public int Info([Argument] string model, bool json = false) => Guard.Run(() =>
    {
        long fileBytes = new FileInfo(FilePaths.RequireInput(model, "MODEL")).Length;
        using Model loaded = ModelReader.Load(model);
        // After the load, which checked the whole file: the header it reads again is a valid one.
        ModelFileVersion version = ModelFileVersion.Read(model);
        var rows = LayerSummary.For(loaded);
        if (json) WriteJson(model, fileBytes, version, loaded, rows);
        else Console.Write(Render(model, fileBytes, version, loaded, rows));
        return ExitCodes.Ok;
    });

    private static string Render(string path, long fileBytes, ModelFileVersion version, Model model, IReadOnlyList<LayerSummary> rows)
    {
        var text = new StringBuilder();
        ModelMetadata meta = model.Metadata;
        text.AppendLine($"model       {path} ({Units.Bytes(fileBytes)})");
        // The model's own text on one line each (UserFailure.Printable): a property's line feed would print a line of its own
        // under the real ones (a verification trial forged an "input" line so); the output filter leaves line feeds alone.
        text.AppendLine($"producer    {Blank(UserFailure.Printable(meta.Producer))} {UserFailure.Printable(meta.ProducerVersion)}".TrimEnd());
        text.AppendLine($"format      {FormatLine(version)}");
        // How to feed it: a model of 0–16 pixels fed 0–255 ones runs without a word and answers wrong.
        // One that records none is said so too: elr-run then reads uint8 as 0–255, which a model trained otherwise does not take.
        string pixels = meta.InputPixelMax is int max ? $" (integer pixels 0–{max}, fed as p / {max})"
            : meta.UnreadableInputPixelMax is string bad ? $" ({ModelMetadata.InputPixelMaxProperty} \"{UserFailure.Printable(bad)}\" is not a whole number from 1 to 65,535: ignored, uint8 fed as p / 255)"
            : " (no integer pixel scale recorded: uint8 fed as p / 255)";
        text.AppendLine($"input       {model.InputShape}{pixels}   output {model.OutputShape}");
        if (meta.Labels.Count > 0) text.AppendLine($"labels      {UserFailure.Printable(string.Join(", ", meta.Labels))}");
        if (meta.AccuracySummary() is string accuracy) text.AppendLine($"accuracy    {UserFailure.Printable(accuracy)}");
        var properties = meta.Properties.Select(p => (Key: UserFailure.Printable(p.Key), Value: UserFailure.Printable(p.Value))).OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
        int keyWidth = Math.Max(11, properties.Select(p => p.Key.Length).DefaultIfEmpty(0).Max());
        foreach (var (key, value) in properties)
            text.AppendLine($"{key.PadRight(keyWidth)} {value}");
        text.AppendLine();

        var table = new TextTable("#", "name", "layer", "method", "weights", "inputs", "shape", "rank", "params", "bytes", "MACs", "vs dense") { LeftAligned = 2 };
        foreach (var r in rows)
            table.Add(r.Index.ToString(), r.Name, r.Label, r.Method, r.WeightType, InputsLabel(r.Inputs), r.Shape, r.RankLabel,
                Units.Count(r.Parameters), Units.Bytes(r.ParameterBytes), Units.Count(r.MultiplyAccumulates),
                r.Parameters == 0 ? "" : Units.Ratio((double)r.DenseParameters / r.Parameters));
        text.Append(table);
        foreach (string legend in model.LabelLegends) text.AppendLine(legend);
        text.AppendLine();
        text.AppendLine($"parameters  {Units.Count(model.ParameterCount)} in {Units.Bytes(model.ParameterBytes)} (dense equivalent {Units.Count(model.DenseEquivalentParameterCount)}, {Units.Ratio((double)model.DenseEquivalentParameterCount / Math.Max(1, model.ParameterCount))} smaller)");
        text.AppendLine($"MACs        {Units.Count(model.MultiplyAccumulates)} per sample (dense equivalent {Units.Count(model.DenseEquivalentMultiplyAccumulates)}, {Units.Ratio((double)model.DenseEquivalentMultiplyAccumulates / Math.Max(1, model.MultiplyAccumulates))} fewer)");
        if (model.PoolingReads > 0) text.AppendLine($"pooling     {Units.Count(model.PoolingReads)} window reads per sample (not in the MACs)");
        text.AppendLine($"memory      {ActivationMemory.Of(model).Summary}");
        return text.ToString();
    }

    /// <summary>The JSON document; "formatVersion" and "requiredFeatures" (the names docs/FORMAT.md gives the header's bits) are
    /// the file's, "readerFormatVersion" this elr-run's, so a deployment can check a new file against the reader on its boards.</summary>
    private static void WriteJson(string path, long fileBytes, ModelFileVersion version, Model model, IReadOnlyList<LayerSummary> rows) => JsonOutput.Write(w =>
    {
        ModelMetadata meta = model.Metadata;
        w.WriteString("model", path);
        w.WriteNumber("fileBytes", fileBytes);
        w.WriteString("producer", meta.Producer);
        w.WriteString("producerVersion", meta.ProducerVersion);
        w.WriteString("formatVersion", version.Version);
        w.WriteStartArray("requiredFeatures");
        foreach (RequiredFeature feature in version.Features) w.WriteStringValue(feature.Name);
        w.WriteEndArray();
        w.WriteString("readerFormatVersion", ModelFileVersion.ReaderVersion);
        w.WriteString("inputShape", model.InputShape.ToString());
        if (meta.InputPixelMax is int max) w.WriteNumber("inputPixelMax", max);
        else w.WriteNull("inputPixelMax");
        w.WriteString("outputShape", model.OutputShape.ToString());
        w.WriteStartArray("labels");
        foreach (var label in meta.Labels) w.WriteStringValue(label);
        w.WriteEndArray();
        w.WriteString("dataset", meta.Dataset);
        w.WriteNumberOrNull("accuracy", meta.Accuracy);
        w.WriteNumberOrNull("referenceAccuracy", meta.ReferenceAccuracy);
        w.WriteStartObject("properties");
        foreach (var (key, value) in meta.Properties.OrderBy(p => p.Key, StringComparer.Ordinal)) w.WriteString(key, value);
        w.WriteEndObject();
        w.WriteStartArray("layers");
        foreach (var r in rows)
        {
            w.WriteStartObject();
            w.WriteNumber("index", r.Index);
            w.WriteString("name", r.Name);
            w.WriteString("kind", r.Kind);
            w.WriteString("method", r.Method);
            w.WriteString("weights", r.WeightType);
            if (r.Inputs is string inputs) w.WriteString("inputQuantization", inputs);
            w.WriteString("shape", r.Shape);
            w.WriteNumber("rank", r.Rank);
            w.WriteNumber("parameters", r.Parameters);
            w.WriteNumber("parameterBytes", r.ParameterBytes);
            w.WriteNumber("denseParameters", r.DenseParameters);
            w.WriteNumber("multiplyAccumulates", r.MultiplyAccumulates);
            if (r.Adds is int source) w.WriteNumber("adds", source);
            if (r.BranchesFrom is int start) w.WriteNumber("branchesFrom", start);
            if (r.Joins is int joined) w.WriteNumber("joins", joined);
            if (r.InputFirst is bool inputFirst) w.WriteBoolean("inputFirst", inputFirst);
            if (r.Scales is int scaled) w.WriteNumber("scales", scaled);
            if (r.Alpha is float alpha) w.WriteNumber("alpha", alpha);
            if (r.Beta is float beta) w.WriteNumber("beta", beta);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteNumber("parameters", model.ParameterCount);
        w.WriteNumber("parameterBytes", model.ParameterBytes);
        w.WriteNumber("denseParameters", model.DenseEquivalentParameterCount);
        w.WriteNumber("multiplyAccumulates", model.MultiplyAccumulates);
        w.WriteNumber("denseMultiplyAccumulates", model.DenseEquivalentMultiplyAccumulates);
        w.WriteNumber("poolingReads", model.PoolingReads);
        ActivationMemory memory = ActivationMemory.Of(model);
        w.WriteStartObject("activationMemory");
        if (memory.Refusal is string refusal) w.WriteString("cannotRun", refusal);
        else
        {
            w.WriteNumber("oneSampleBytes", memory.OneSample);
            w.WriteNumber("defaultPassSamples", memory.DefaultPassSamples);
            w.WriteNumber("defaultPassBytes", memory.DefaultPass);
            w.WriteNumber("largestBatchSize", memory.LargestBatchSize);
        }
        w.WriteEndObject();
    });

    /// <summary>The table's name for <see cref="LayerSummary.Inputs"/>: "dynamic uint8" for inputs quantized as the layer runs.</summary>
    private static string InputsLabel(string? inputs) => inputs switch
    {
        null => "",
        "dynamic" => "dynamic uint8",
        _ => "f32",
    };

    /// <summary>"1.11 (this elr-run knows formats up to 1.11); requires integer products (since 1.10)": what a reader needs to open the
    /// file. Each required feature names the format that introduced it, as readers of an older format refuse the file; the
    /// release of elr-run that reads a format is not recorded anywhere, so it is not guessed.</summary>
    private static string FormatLine(ModelFileVersion version)
    {
        IReadOnlyList<RequiredFeature> features = version.Features;
        string required = features.Count == 0 ? "no required features"
            : "requires " + string.Join(", ", features.Select(f => $"{f.Name} (since {f.Since})"));
        return $"{version.Version} (this elr-run knows formats up to {ModelFileVersion.ReaderVersion}); {required}";
    }

    private static string Blank(string s) => s.Length == 0 ? "(unknown)" : s;
}
