using EdgeLowRank.Runtime.Layers;
using static EdgeLowRank.Runtime.Format.FormatErrors;

namespace EdgeLowRank.Runtime.Format;

/// <summary>The one parsing path every loader shares: the whole file in native memory in, a checked
/// <see cref="Model"/> whose weights are slices of that memory out. Nothing is allocated whose size
/// comes from the file before the sizes that bound it were checked against the file's length.</summary>
internal static class ModelParser
{
    /// <summary>Parses <paramref name="memory"/>; the model owns it on success, the caller still does on failure.</summary>
    public static Model Parse(NativeModelMemory memory)
    {
        FileHeader header = FileHeader.Read(memory.Bytes);
        SectionTable sections = SectionTable.Read(memory.Bytes, header);
        (ModelMetadata metadata, int labelsOffset) = MetadataSection.Read(memory.Bytes, sections.Metadata);
        TensorEntry[] tensors = TensorEntry.ReadAll(memory.Bytes, sections.Tensors, sections.Data, header.Minor);
        Layer[] layers = LayerTable.Read(memory, sections.Layers, tensors, header);
        Model model;
        try
        {
            model = new Model(header.InputShape, layers, metadata, memory);
        }
        catch (ArgumentException e)
        {
            throw new ModelFormatException($"The layers do not form a model: {e.Message} {CopyAgain}", sections.Layers.Offset, e);
        }
        int outputs = model.OutputShape.ElementCount;
        if (metadata.Labels.Count != 0 && metadata.Labels.Count != outputs)
            throw new ModelFormatException($"The metadata holds {metadata.Labels.Count} class labels, but the model has {outputs} outputs; expected one label per output. {CopyAgain}", labelsOffset);
        return model;
    }
}
