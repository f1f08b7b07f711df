using EdgeLowRank.Compressor.Export;
using EdgeLowRank.Onnx;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Cli.Commands;

/// <summary>
/// What an ONNX file written with <c>elr export-onnx --int8</c> records about itself. The file's metadata comes back with
/// <c>elr import-onnx</c>, so it must describe the graph written, not the model it came from: where --int8 makes a layer
/// compute otherwise than the runtime computed it (a dynamic layer written behind a DequantizeLinear or as f32 values, a
/// weight-only one written as quantize_dynamic does), the recorded test accuracy is no longer that graph's, and the
/// quantization entries that no longer hold are dropped.
/// </summary>
internal static class ExportedMetadata
{
    /// <summary>The metadata to export <paramref name="model"/> with under <paramref name="int8"/>, and a note for the user when
    /// anything was dropped (null when nothing was).</summary>
    public static (ModelMetadata Metadata, string? Note) For(Model model, Int8Export? int8)
    {
        Layer[] int8Layers = model.Layers.Where(l => l.WeightMatrices.Any(m => m.ElementType == ElementType.Int8)).ToArray();
        if (int8 is not { } form || int8Layers.All(l => AsComputed(l) == form)) return (model.Metadata, null);
        var properties = model.Metadata.Properties.Where(p => !Stale(p.Key, form)).ToDictionary();
        ModelMetadata metadata = model.Metadata with { Accuracy = null, Properties = properties };
        string dropped = string.Join(", ", model.Metadata.Properties.Keys.Where(k => !properties.ContainsKey(k)).Order(StringComparer.Ordinal));
        return (metadata, $"--int8 {form.ToString().ToLowerInvariant()} writes some layers otherwise than the runtime computes them in the .elr file, and their outputs may differ, "
            + $"so the recorded test accuracy{(dropped.Length > 0 ? $" and {dropped}" : "")} {(dropped.Length > 0 ? "were" : "was")} left out; "
            + "measure the graph with elr eval after elr import-onnx.");
    }

    /// <summary>How the export writes a layer's int8 matrices when --int8 is not given: as the runtime computes them.</summary>
    private static Int8Export AsComputed(Layer layer) => layer.InputQuantization == InputQuantization.Dynamic ? Int8Export.Dynamic : Int8Export.Dequantize;

    /// <summary>Whether a quantization entry describes what the written graph no longer is: with f32 values no entry holds; the
    /// dynamic entries name the layers the .elr file made dynamic, which are no longer the graph's dynamic layers.</summary>
    private static bool Stale(string key, Int8Export form) =>
        key.StartsWith(WeightQuantization.PropertyPrefix, StringComparison.Ordinal)
        && (form == Int8Export.Float || key is DynamicInputQuantization.Property or DynamicInputQuantization.LayersProperty or DynamicInputQuantization.OpsProperty);
}
