using EdgeLowRank.Runtime.Layers;
using Google.Protobuf;
using Onnx;

namespace EdgeLowRank.Onnx;

/// <summary>
/// Reads an ONNX image classifier into a model the compressor and the runtime take: a chain of nodes from one input to
/// one output, with skip edges where an Add (or Sum) of the chain's tensor and an earlier one of the same shape is a
/// residual connection (an identity shortcut), and shortcuts with nodes of their own (a projection: a node that reads an
/// earlier tensor of the chain is a Branch to it, and the Add that ends the shortcut adds the tensor the chain left;
/// <see cref="ResidualNodes"/>), Concats of such paths along the channels (<see cref="ConcatNodes"/>), built from the
/// operators <see cref="OperatorTable"/> lists, each read as its entry there says (docs/ONNX.md's table gives each one's
/// conditions and the layer it becomes): a BatchNormalization is folded into the layer before it, and Sub, Div, Mul or Add
/// of a constant before the first layer (the input's normalization) into that layer; weights are float initializers or int8
/// ones behind a DequantizeLinear. Two linear maps in a row (MatMul then MatMul; a k×k Conv then a 1×1 Conv) are one
/// factorized layer: in a file elr wrote, exactly the pairs it recorded; in another tool's, where the inner size is below
/// both outer ones. Anything else is refused with the node (or the part of the file), the reason and what would do
/// instead, before any file is written.
/// </summary>
/// <remarks>
/// The model takes images channels-last (h, w, c) where ONNX takes N×C×H×W: convolution kernels are reordered, and the
/// first matrix layer after a flatten takes its rows in the runtime's (h, w, c) order, so the model computes what the graph
/// computes on the same image. For single-channel images (MNIST, Fashion-MNIST, UCI digits) the two inputs are the same bytes.
/// </remarks>
public static class OnnxImporter
{
    /// <summary>The lowest and highest default-domain operator sets whose semantics this import follows.</summary>
    public const int MinOpset = 9, MaxOpset = 23;

    /// <summary>The property an imported model records when its input's normalization is a layer of its own: that layer's
    /// index (0), for <c>elr compress</c> to keep fixed as the other layers train.</summary>
    public const string InputNormalizationLayerProperty = "import.input-normalization-layer";

    /// <summary>Whether the import kept the input's normalization as a layer of its own, the model's first
    /// (<see cref="InputNormalizationLayerProperty"/> records it as layer 0).</summary>
    public static bool KeepsNormalizationLayer(ModelMetadata metadata) => metadata.Properties.GetValueOrDefault(InputNormalizationLayerProperty) == "0";

    /// <summary>The property an imported model records when its graph ended with a LogSoftmax, read as a Softmax.</summary>
    public const string FinalLogSoftmaxProperty = "import.final-log-softmax";

    private const string FinalLogSoftmaxNote = "read as a Softmax: the model outputs probabilities, exp of the graph's log-probabilities (the same class)";

    /// <summary>The model that <paramref name="bytes"/>, an ONNX file, describes; with <paramref name="normalization"/>, the
    /// normalization the network was trained with outside its graph folded into its first layer.</summary>
    /// <exception cref="OnnxImportException">The bytes are not an ONNX model, or the graph is not one this import takes.</exception>
    public static Model Import(byte[] bytes, InputNormalization? normalization = null)
    {
        ModelProto proto;
        try
        {
            proto = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new OnnxImportException($"not an ONNX model: its bytes do not parse as an ONNX ModelProto ({e.Message}).");
        }
        if (proto.Graph is null || proto.Graph.Node.Count == 0)
            throw new OnnxImportException("the ONNX model has no graph, or a graph without nodes.");
        // Every operator has at least one output, and the walk follows each node by its first: a damaged file's node
        // without one is refused here, not indexed past its end wherever the walk first looks.
        int outputless = proto.Graph.Node.ToList().FindIndex(n => n.Output.Count == 0);
        if (outputless >= 0)
            throw new OnnxImportException($"{new NodeAttributes(proto.Graph.Node[outputless], outputless).Where}: the node has no outputs; "
                + "every ONNX operator has at least one. The file is damaged: export the model again.");
        long opset = proto.OpsetImport.Where(o => o.Domain is "" or "ai.onnx").Select(o => o.Version).DefaultIfEmpty(0).Max();
        if (opset is < MinOpset or > MaxOpset)
            throw new OnnxImportException($"the model uses ONNX operator set {opset}; this import reads sets {MinOpset}–{MaxOpset}. Export it again with an opset in that range.");
        OperatorArity.Refuse(proto.Graph, opset);
        ModelMetadata metadata = OnnxMetadata.Read(proto);
        // A file elr export-onnx wrote of a model whose first layer is the input's normalization kept as a layer holds it as a
        // Mul and an Add before the first layer: kept as that layer again, not folded into the next one (another network).
        bool keptBefore = KeepsNormalizationLayer(metadata);
        var walk = new GraphWalk(proto.Graph, opset, OnnxMetadata.SecondFactorNodes(proto), OnnxMetadata.DepthwiseNodes(proto), normalization, keptBefore);
        IReadOnlyList<Layer> layers = walk.Layers(OnnxMetadata.FactorizationMethods(proto));
        // What the import changed is recorded, so the file says which inputs it takes and what its outputs are.
        var properties = new Dictionary<string, string>(metadata.Properties);
        if (normalization is not null)
            properties[ModelMetadata.InputNormalizationProperty] = walk.NormalizationKept
                ? $"{normalization}, kept as a 1×1 depthwise convolution before the first layer, which cannot absorb it exactly; the model takes unnormalized inputs"
                : $"{normalization}, folded into the first layer; the model takes unnormalized inputs";
        if (walk.NormalizationKept) properties[InputNormalizationLayerProperty] = "0";
        if (walk.FinalLogSoftmaxReadAsSoftmax) properties[FinalLogSoftmaxProperty] = FinalLogSoftmaxNote;
        // A normalization folded in makes another network than the one an export's accuracies were measured on (a digits MLP
        // of 97.21% re-imported with --input-mean 0.5 --input-std 0.5 kept that figure and scored 94.99%): they are dropped,
        // the test accuracy, the reference's, and the properties that record one (train.validation-accuracy,
        // compress.validation-accuracy, quantize.float-accuracy).
        if (normalization is not null)
        {
            foreach (string measured in properties.Keys.Where(key => key.EndsWith("-accuracy", StringComparison.Ordinal)).ToArray()) properties.Remove(measured);
            metadata = metadata with { Accuracy = null, ReferenceAccuracy = null };
        }
        metadata = metadata with { Properties = properties };
        Model model;
        try
        {
            model = new Model(walk.InputShape, layers, metadata);
        }
        catch (ArgumentException e)
        {
            throw new OnnxImportException($"the layers read from the graph do not fit together: {e.Message}");
        }
        if (metadata.Labels.Count > 0 && metadata.Labels.Count != model.OutputShape.ElementCount)
            throw new OnnxImportException($"metadata_props holds {metadata.Labels.Count} labels for the model's {model.OutputShape.ElementCount} outputs.");
        return model;
    }
}
