using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Export;

/// <summary>
/// The inverse of <see cref="NetworkExporter"/> for dense models: a runtime <see cref="Model"/> (as read
/// from an .elr file written by <c>elr train</c>) back into a trainable <see cref="Network"/> with the
/// same weights. Fused ReLUs become Relu layers again (an Add's stays fused in its <see cref="ResidualAdd"/>), which shifts
/// the numbering of activations, so each Add's, Concat's, ChannelScale's and Branch's source is renumbered to the network's; a final softmax is dropped (the network
/// outputs logits). Factorized layers are refused: the compressor starts from a dense reference. Layers named as frozen keep
/// their values while the rest trains (<see cref="FrozenLayer"/>).
/// </summary>
public static class NetworkImporter
{
    /// <summary>Builds the network; its name is the model's "model" property, or "model".</summary>
    /// <param name="model">The dense model.</param>
    /// <param name="maxBatch">The largest batch the network's memory is sized for.</param>
    /// <param name="frozenLayers">Indices of the model's layers to keep as they are while the others train (an imported
    /// network's input normalization); none when null.</param>
    /// <exception cref="TrainingException">The model holds a layer the trainer cannot rebuild, or a layer to freeze that has
    /// no parameters or is not in the model.</exception>
    public static Network ToNetwork(Model model, int maxBatch = 256, IReadOnlyCollection<int>? frozenLayers = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var layers = new List<TrainingLayer>();
        string[] names = LayerNames.Of(model.Layers);
        int quantized = model.Layers.ToList().FindIndex(l => l.WeightMatrices.Any(m => m.ElementType == ElementType.Int8));
        if (quantized >= 0)
            throw new TrainingException($"Layer {quantized} ({names[quantized]}) holds int8 weights (written by elr quantize); the compressor trains float "
                + "weights and would only widen them back: compress the float model, then quantize the result with 'elr quantize'.");
        int relu = 0, relu6 = 0, tanh = 0, sigmoid = 0, hswish = 0, hsigmoid = 0, silu = 0, leaky = 0;
        // networkActivation[j]: the network's number for the model's activation j, the output of model layer j − 1.
        var networkActivation = new int[model.Layers.Count + 1];
        for (int i = 0; i < model.Layers.Count; i++)
        {
            networkActivation[i] = layers.Count;
            Layer layer = model.Layers[i];
            switch (layer)
            {
                case DenseLayer d:
                    var fc = new Dense(names[i], d.Inputs, d.Outputs, hasBias: !d.Bias.IsEmpty);
                    Load(fc, d.Weights, d.Bias);
                    layers.Add(fc);
                    if (d.Activation == Activation.Relu) layers.Add(new Relu($"relu{++relu}"));
                    break;
                case Conv2dLayer c:
                    var cv = new Conv2d(names[i], c.InputChannels, c.OutputChannels, c.Geometry, hasBias: !c.Bias.IsEmpty);
                    Load(cv, c.Weights, c.Bias);
                    layers.Add(cv);
                    if (c.Activation == Activation.Relu) layers.Add(new Relu($"relu{++relu}"));
                    break;
                case DepthwiseConv2dLayer d:
                    var dw = new DepthwiseConv2d(names[i], d.Channels, d.Geometry, hasBias: !d.Bias.IsEmpty);
                    d.Filters.Span.CopyTo(dw.Filters.Value);
                    if (dw.Bias is not null) d.Bias.Span.CopyTo(dw.Bias.Value);
                    layers.Add(dw);
                    if (d.Activation == Activation.Relu) layers.Add(new Relu($"relu{++relu}"));
                    break;
                case MaxPool2dLayer p:
                    layers.Add(new MaxPool2d(names[i], p.Geometry.KernelSize, p.Geometry.Stride, p.Geometry.Pads));
                    break;
                case AvgPool2dLayer p:
                    layers.Add(new AvgPool2d(names[i], p.Geometry.KernelSize, p.Geometry.Stride));
                    break;
                case Relu6Layer:
                    layers.Add(new Relu6($"relu6_{++relu6}"));
                    break;
                case TanhLayer:
                    layers.Add(new Tanh($"tanh{++tanh}"));
                    break;
                case SigmoidLayer:
                    layers.Add(new Sigmoid($"sigmoid{++sigmoid}"));
                    break;
                case ReluLayer:
                    layers.Add(new Relu($"relu{++relu}"));
                    break;
                case HardSwishLayer:
                    layers.Add(new HardSwish($"hswish{++hswish}"));
                    break;
                case HardSigmoidLayer h:
                    layers.Add(new HardSigmoid($"hsigmoid{++hsigmoid}", h.Alpha, h.Beta));
                    break;
                case SiluLayer:
                    layers.Add(new Silu($"silu{++silu}"));
                    break;
                case LeakyReluLayer l:
                    layers.Add(new LeakyRelu($"leakyrelu{++leaky}", l.Alpha));
                    break;
                case AddLayer a:
                    layers.Add(new ResidualAdd(names[i], networkActivation[a.Source], fusedRelu: a.Activation == Activation.Relu));
                    break;
                case BranchLayer b:
                    layers.Add(new ShortcutBranch(names[i], networkActivation[b.Source]));
                    break;
                case ConcatLayer c:
                    layers.Add(new ChannelConcat(names[i], networkActivation[c.Source], c.InputFirst));
                    break;
                case ChannelScaleLayer c:
                    layers.Add(new ChannelScale(names[i], networkActivation[c.Source]));
                    break;
                case ChannelSliceLayer s:
                    layers.Add(new ChannelSlice(names[i], s.Start, s.Count));
                    break;
                case ChannelShuffleLayer s:
                    layers.Add(new ChannelShuffle(names[i], s.Groups));
                    break;
                case FlattenLayer:
                    layers.Add(new Flatten(names[i]));
                    break;
                case SoftmaxLayer when i == model.Layers.Count - 1:
                    break;
                case FactorizedDenseLayer or FactorizedConv2dLayer:
                    throw new TrainingException($"Layer {i} ({names[i]}) is already factorized ({layer.Kind}, rank {layer.Rank}, method {layer.MethodLabel}); "
                        + "elr compress starts from a dense network: give it one that 'elr train' wrote without --ranks.");
                default:
                    throw new TrainingException($"Layer {i} ({names[i]}) is a {layer.Kind} layer, which the compressor cannot rebuild for training; "
                        + "give it a dense network written by 'elr train'.");
            }
        }
        foreach (int i in frozenLayers ?? [])
        {
            TrainingLayer? frozen = i >= 0 && i < model.Layers.Count ? layers.ElementAtOrDefault(networkActivation[i]) : null;
            if (frozen is null || frozen.Parameters.Count == 0)
                throw new TrainingException($"Layer {i} cannot be kept fixed: the model's {model.Layers.Count} layers have no layer {i} with parameters.");
            layers[networkActivation[i]] = new FrozenLayer(frozen);
        }
        string name = model.Metadata.Properties.TryGetValue(ExportMetadata.ModelNameProperty, out string? recorded) ? recorded : "model";
        return new Network(name, model.InputShape, layers, maxBatch);
    }

    /// <summary>Copies a fan-in × outputs packed matrix into the layer's output-major weight, and the bias.</summary>
    private static void Load(WeightedLayer layer, PackedMatrix weights, ReadOnlyMemory<float> bias)
    {
        float[] rowMajor = weights.ToRowMajor();
        float[] w = layer.Weight.Value;
        int fanIn = weights.Rows, outputs = weights.Columns;
        for (int k = 0; k < fanIn; k++)
            for (int o = 0; o < outputs; o++)
                w[o * fanIn + k] = rowMajor[k * outputs + o];
        if (layer.Bias is not null) bias.Span.CopyTo(layer.Bias.Value);
    }
}
