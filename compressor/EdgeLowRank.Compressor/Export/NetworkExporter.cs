using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Export;

/// <summary>
/// Turns a trained <see cref="Network"/> into the runtime's <see cref="Model"/>: each output-major
/// weight (outputs × fan-in) is packed as the fan-in × outputs <see cref="PackedMatrix"/> the
/// runtime's kernels read, a ReLU that follows a dense, convolution, depthwise or residual Add layer is fused into it, and a
/// softmax may be appended so the model outputs probabilities. The weights are copied, so the
/// network can go on training. A <see cref="BatchNorm2d"/> is folded, with its running statistics, into the layer before it
/// (<see cref="BatchNormFold"/>): the runtime has no batch norm, so an imported model holds the folded layer and no norm.
/// <para>Fusing removes a layer, so the model numbers its activations differently from the network: each
/// <see cref="ResidualAdd"/>'s, <see cref="ChannelConcat"/>'s, <see cref="ChannelScale"/>'s and <see cref="ShortcutBranch"/>'s source
/// is renumbered to the model's. An activation an Add, a concatenation, a channel scale or a branch reads is never the inside of a fused pair (the ReLU is then kept as a layer of its own), since the model would have
/// no such activation.</para>
/// </summary>
public static class NetworkExporter
{
    /// <summary>Builds the runtime model.</summary>
    /// <param name="network">The trained network.</param>
    /// <param name="metadata">The model's metadata (see <see cref="ExportMetadata"/>).</param>
    /// <param name="appendSoftmax">Whether to end with a softmax (probabilities) rather than logits.</param>
    /// <exception cref="NotSupportedException">The network holds a layer the runtime has no counterpart for.</exception>
    public static Model ToModel(Network network, ModelMetadata metadata, bool appendSoftmax = true)
    {
        ArgumentNullException.ThrowIfNull(network);
        var layers = new List<Layer>();
        IReadOnlyList<TrainingLayer> source = network.Layers;
        var skipSources = LayerChain.SkipSources(source).ToHashSet();
        // modelActivation[j]: the model's number for the network's activation j, the output of network layer j − 1.
        var modelActivation = new int[source.Count + 1];
        for (int i = 0; i < source.Count; i++)
        {
            modelActivation[i] = layers.Count;
            // A batch norm the loop reaches was not folded into the layer before: that one has no weights to fold it into.
            if (source[i] is BatchNorm2d unfolded) throw BatchNormFold.Refusal(unfolded, i == 0 ? null : source[i - 1]);
            TrainingLayer layer = source[i];
            // A batch norm right after the layer is folded into it; the layer after the pair may then be a fused ReLU.
            BatchNormFold? fold = null;
            if (i + 1 < source.Count && source[i + 1] is BatchNorm2d norm)
            {
                if (skipSources.Contains(i + 1))
                    throw new NotSupportedException($"Batch norm {norm.Name} cannot be folded into {layer.Name}: a skip connection reads "
                        + $"{layer.Name}'s output before the norm (activation {i + 1}), which the folded model would not have.");
                fold = BatchNormFold.Into(layer, norm);
                i++;
            }
            bool fuseRelu = i + 1 < source.Count && source[i + 1] is Relu && FusesRelu(layer) && !skipSources.Contains(i + 1);
            Activation activation = fuseRelu ? Activation.Relu : Activation.None;
            Layer converted = Convert(layer, activation, modelActivation);
            layers.Add(fold is null ? converted : fold.Apply(converted));
            if (fuseRelu) i++;
        }
        if (appendSoftmax) layers.Add(new SoftmaxLayer());
        return new Model(network.InputShape, layers, metadata);
    }

    /// <summary>Whether the runtime's counterpart of <paramref name="layer"/> can apply a following ReLU itself.</summary>
    private static bool FusesRelu(TrainingLayer layer) =>
        layer is Dense or Conv2d or FactorizedLayer or DepthwiseConv2d or ResidualAdd { FusedRelu: false } || layer is FrozenLayer { Inner: var inner } && FusesRelu(inner);

    /// <summary>The runtime's layer for <paramref name="layer"/>; <paramref name="modelActivation"/> renumbers an Add's, a
    /// concatenation's, a channel scale's or a branch's source.</summary>
    private static Layer Convert(TrainingLayer layer, Activation activation, int[] modelActivation) => layer switch
    {
        Dense dense => new DenseLayer(Pack(dense.Weight), BiasOf(dense.Bias), activation),
        Conv2d conv => new Conv2dLayer(Pack(conv.Weight), BiasOf(conv.Bias), conv.InputChannels, conv.Geometry, activation),
        FactorizedLayer { First: Dense first, Second: Dense second } factorized =>
            new FactorizedDenseLayer(Pack(first.Weight), Pack(second.Weight), BiasOf(second.Bias), activation, factorized.Method),
        FactorizedLayer { First: Conv2d first, Second: Conv2d second } factorized =>
            new FactorizedConv2dLayer(Pack(first.Weight), Pack(second.Weight), BiasOf(second.Bias), first.InputChannels, first.Geometry,
                activation, factorized.Method),
        DepthwiseConv2d depthwise => new DepthwiseConv2dLayer(depthwise.Filters.Value.ToArray(), BiasOf(depthwise.Bias),
            depthwise.Channels, depthwise.Geometry, activation),
        MaxPool2d pool => new MaxPool2dLayer(pool.Geometry.KernelSize, pool.Geometry.Stride, pool.Geometry.Pads),
        AvgPool2d pool => new AvgPool2dLayer(pool.Geometry.KernelSize, pool.Geometry.Stride),
        Relu => new ReluLayer(),
        Relu6 => new Relu6Layer(),
        Tanh => new TanhLayer(),
        Sigmoid => new SigmoidLayer(),
        HardSwish => new HardSwishLayer(),
        HardSigmoid gate => new HardSigmoidLayer(gate.Alpha, gate.Beta),
        LeakyRelu leaky => new LeakyReluLayer(leaky.Alpha),
        Silu => new SiluLayer(),
        Flatten => new FlattenLayer(),
        ResidualAdd add => new AddLayer(modelActivation[add.Source], add.FusedRelu ? Activation.Relu : activation),
        ShortcutBranch branch => new BranchLayer(modelActivation[branch.Source]),
        ChannelConcat concat => new ConcatLayer(modelActivation[concat.Source], concat.InputFirst),
        ChannelScale scale => new ChannelScaleLayer(modelActivation[scale.Source]),
        ChannelSlice slice => new ChannelSliceLayer(slice.Start, slice.Count),
        ChannelShuffle shuffle => new ChannelShuffleLayer(shuffle.Groups),
        FrozenLayer frozen => Convert(frozen.Inner, activation, modelActivation),
        _ => throw new NotSupportedException($"Layer {layer.Name} ({layer.GetType().Name}) has no runtime counterpart."),
    };

    /// <summary>An output-major weight (outputs × fan-in) packed as the runtime's fan-in × outputs matrix.</summary>
    private static PackedMatrix Pack(Parameter weight) => PackedMatrix.FromOutputMajor(weight.Value, weight.Columns, weight.Rows);

    private static ReadOnlyMemory<float> BiasOf(Parameter? bias) => bias is null ? ReadOnlyMemory<float>.Empty : bias.Value.ToArray();
}
