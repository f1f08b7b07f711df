using EdgeLowRank.Runtime.IO;
using EdgeLowRank.Runtime.Layers;
using static EdgeLowRank.Runtime.Format.FormatErrors;

namespace EdgeLowRank.Runtime.Format;

/// <summary>The one parsing path every loader shares: the whole file in native memory in, a checked
/// <see cref="Model"/> whose weights are slices of that memory (or panels packed at load from row-major
/// matrices) out. Nothing is allocated whose size comes from the file before the sizes that bound it were
/// checked against the file's length.</summary>
internal static class ModelParser
{
    /// <summary>Parses <paramref name="memory"/>, taking ownership of it: the model owns it on success, and
    /// it is released (with any panels packed so far) on failure.</summary>
    public static Model Parse(NativeModelMemory memory)
    {
        var weights = new LoadedWeights(memory);
        try
        {
            return Parse(weights);
        }
        catch
        {
            weights.Dispose();
            throw;
        }
    }

    private static Model Parse(LoadedWeights weights)
    {
        ReadOnlySpan<byte> file = weights.File.Bytes;
        FileHeader header = FileHeader.Read(file);
        SectionTable sections = SectionTable.Read(file, header);
        (ModelMetadata metadata, int labelsOffset) = MetadataSection.Read(file, sections.Metadata);
        TensorEntry[] tensors = TensorEntry.ReadAll(file, sections.Tensors, sections.Data, header.Minor);
        Layer[] layers = LayerTable.Read(weights, sections.Layers, tensors, header);
        Model model;
        try
        {
            model = new Model(header.InputShape, layers, metadata, weights) { PackedAtLoadBytes = weights.PackedBytes };
        }
        catch (ArgumentException e)
        {
            throw new ModelFormatException($"The layers do not form a model: {UserFailure.Reason(e)} {CopyAgain}", sections.Layers.Offset, e);
        }
        int outputs = model.OutputShape.ElementCount;
        if (metadata.Labels.Count != 0 && metadata.Labels.Count != outputs)
            throw new ModelFormatException($"The metadata holds {metadata.Labels.Count} class labels, but the model has {outputs} outputs; expected one label per output. {CopyAgain}", labelsOffset);
        return model;
    }
}
