using EdgeLowRank.Runtime.IO;
using EdgeLowRank.Runtime.Layers;
using static EdgeLowRank.Runtime.Format.FormatErrors;
using L = EdgeLowRank.Runtime.Format.FileLayout.Layer;

namespace EdgeLowRank.Runtime.Format;

/// <summary>Reads the LAYR section into layers whose weights are slices of the file's memory (or panels
/// packed at load from row-major matrices), checking
/// every record's codes, tensor references and tensor shapes, then the chain of shapes from the input (and the shape of
/// the activation each Add layer adds, each Concat joins and each ChannelScale scales; a Branch layer's output is the
/// activation it names, and a later Add, Concat or ChannelScale must read the input it leaves), and the recorded parameter and multiply-accumulate counts.</summary>
internal static class LayerTable
{
    public static Layer[] Read(LoadedWeights weights, Section layers, TensorEntry[] tensors, FileHeader header)
    {
        if (layers.Count == 0)
            throw new ModelFormatException($"The LAYR section lists no layers; a model has at least one. {CopyAgain}", layers.EntryOffset + FileLayout.Section.Count);
        var result = new Layer[layers.Count];
        var shapes = new TensorShape[layers.Count + 1]; // activation j: the output of layer j − 1
        shapes[0] = header.InputShape;
        for (int i = 0; i < result.Length; i++)
        {
            var record = new LayerRecord(weights.File.Bytes, layers.Offset + i * layers.RecordSize, layers.RecordSize, i, header);
            result[i] = record.Build(weights, tensors);
            if (result[i] is AddLayer add && shapes[add.Source] != shapes[i])
                throw new ModelFormatException($"{record.Name} adds activation {add.Source} (at +{L.Source}; {(add.Source == 0 ? "the model's input" : $"the output of layer {add.Source - 1}")}, {shapes[add.Source]}) to its input ({shapes[i]}); an Add needs two activations of the same shape. {CopyAgain}", record.At + L.Source);
            shapes[i + 1] = CheckChain(weights.File.Bytes, record, result[i], shapes.AsSpan(0, i + 1));
        }
        for (int i = 0; i < result.Length; i++)
            if (result[i] is BranchLayer && !Model.IsJoinedLater(result, i))
            {
                var record = new LayerRecord(weights.File.Bytes, layers.Offset + i * layers.RecordSize, layers.RecordSize, i, header);
                throw new ModelFormatException($"{record.Name} is a Branch, which leaves its input (activation {i}) for an earlier activation, but no later Add, Concat or ChannelScale reads activation {i}: the layers that computed it would be dead. A Branch starts a path whose end an Add, a Concat or a ChannelScale joins to the activation the Branch left. {CopyAgain}", record.At + L.Kind);
            }
        return result;
    }

    /// <summary>The layer's output shape, after checking it accepts its input (the last of <paramref name="activations"/>,
    /// the shapes of the chain so far) and that the record's cost fields agree with the layer.</summary>
    private static TensorShape CheckChain(ReadOnlySpan<byte> file, LayerRecord record, Layer layer, ReadOnlySpan<TensorShape> activations)
    {
        TensorShape input = activations[^1], output;
        try
        {
            output = layer.GetOutputShape(activations);
        }
        catch (ArgumentException e)
        {
            throw new ModelFormatException($"{record.Name} does not fit its input: {UserFailure.Reason(e)} Each layer takes the previous layer's output (the first takes the header's input shape). {CopyAgain}", record.At, e);
        }
        Agree(file, record, L.ParameterCount, "parameters", layer.ParameterCount);
        Agree(file, record, L.MultiplyAccumulates, "multiply-accumulates per sample", layer.MultiplyAccumulates(input));
        return output;
    }

    private static void Agree(ReadOnlySpan<byte> file, LayerRecord record, int field, string what, long actual)
    {
        ulong stored = file.U64(record.At + field);
        if (stored != (ulong)actual)
            throw new ModelFormatException($"{record.Name} records {stored} {what}, but its tensors give {actual}. {CopyAgain}", record.At + field);
    }
}
