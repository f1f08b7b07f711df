using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Execution;

/// <summary>Maps each layer description to the executor that runs it: the runtime's place for a new layer kind's executor,
/// one of the places docs/ADDING-A-LAYER.md lists.</summary>
internal static class ExecutorFactory
{
    /// <summary>Creates the executor for layer <paramref name="index"/> of <paramref name="model"/>, which applies
    /// <paramref name="activation"/> as it stores its outputs: its own, or a following activation layer's folded into it.</summary>
    public static LayerExecutor Create(Model model, int index, FusedActivation activation)
    {
        Layer layer = model.Layers[index];
        TensorShape input = model.InputShapeOf(index);
        return layer switch
        {
            DenseLayer d => new DenseExecutor(d, activation),
            FactorizedDenseLayer f => new FactorizedDenseExecutor(f, activation),
            ReluLayer => new ElementMapExecutor(ReluKernel.Run, ReluKernel.Reference),
            TanhLayer => new ElementMapExecutor(TanhKernel.Run, TanhKernel.Reference),
            Relu6Layer => new ElementMapExecutor(Relu6Kernel.Run, Relu6Kernel.Reference),
            SigmoidLayer => new ElementMapExecutor(SigmoidKernel.Run, SigmoidKernel.Reference),
            HardSwishLayer => new ElementMapExecutor(HardSwishKernel.Run, HardSwishKernel.Reference),
            SiluLayer => new ElementMapExecutor(SiluKernel.Run, SiluKernel.Reference),
            HardSigmoidLayer h => new ElementMapExecutor((x, y) => HardSigmoidKernel.Run(x, y, h.Alpha, h.Beta), (x, y) => HardSigmoidKernel.Reference(x, y, h.Alpha, h.Beta)),
            LeakyReluLayer l => new ElementMapExecutor((x, y) => LeakyReluKernel.Run(x, y, l.Alpha), (x, y) => LeakyReluKernel.Reference(x, y, l.Alpha)),
            SoftmaxLayer => new SoftmaxExecutor(input.ElementCount),
            FlattenLayer => new FlattenExecutor(),
            Conv2dLayer c => new Conv2dExecutor(new ConvolutionStage(c.Weights, c.Bias, input, c.Geometry, c.InputQuantization), activation),
            FactorizedConv2dLayer f => CreateFactorizedConvolution(f, input, activation),
            MaxPool2dLayer m => new PoolExecutor<MaxPooling>(m, input),
            AvgPool2dLayer a => new PoolExecutor<AveragePooling>(a, input),
            DepthwiseConv2dLayer d => CreateDepthwise(d, input, activation),
            AddLayer => new AddExecutor(activation.Clamps ? Activation.Relu : Activation.None), // its kernel has no ceiling: MemoryPlan fuses no ReLU6 into it
            ConcatLayer c => new ConcatExecutor(c, input, model.InputShapeOf(c.Source)),
            ChannelSliceLayer s => new ChannelSliceExecutor(s, input),
            ChannelShuffleLayer s => new ChannelShuffleExecutor(s, input),
            ChannelScaleLayer s => new ChannelScaleExecutor(model.InputShapeOf(s.Source).Dimensions[^1]),
            _ => throw new NotSupportedException($"This runtime cannot execute {layer.Kind} layers yet."),
        };
    }

    /// <summary>
    /// A depthwise convolution runs its own kernel, which multiplies a <see cref="System.Numerics.Vector{T}"/> of channels at
    /// a time. With fewer channels than that has lanes (8 with AVX2, 4 on arm64) it runs instead as the dense convolution
    /// whose (k·k·c) × c matrix is zero off each channel's own taps: the GEMM fills its vectors with pixels, where a
    /// depthwise loop would have narrower vectors or one lane (28×28 images on this PC: 3 channels 7.2 µs against 22.3 for
    /// a one-lane loop, 6 channels 12.7 against 13.9 for a 128-bit one; bench/RESULTS.md, "Depthwise convolutions"). The
    /// matrix takes k·k·c² floats, c² below Vector&lt;float&gt;.Count² a tap. A 1×1, stride-1, unpadded one, at any channel
    /// count, is a per-channel affine map and runs as one (<see cref="ChannelAffineExecutor"/>): a one-channel 28×28 input
    /// normalization took about 2.8 µs as the dense convolution (bench/RESULTS.md, "1×1 depthwise convolutions").
    /// </summary>
    private static LayerExecutor CreateDepthwise(DepthwiseConv2dLayer layer, TensorShape input, FusedActivation activation)
    {
        if (ChannelAffineExecutor.Handles(layer)) return new ChannelAffineExecutor(layer, activation);
        if (layer.Channels >= System.Numerics.Vector<float>.Count) return new DepthwiseConv2dExecutor(layer, input, activation);
        return new Conv2dExecutor(new ConvolutionStage(layer.ToDenseWeights(), layer.Bias, input, layer.Geometry), activation);
    }

    private static FactorizedConv2dExecutor CreateFactorizedConvolution(FactorizedConv2dLayer layer, TensorShape input, FusedActivation activation)
    {
        // The second factor is a 1×1 convolution over the first one's output: the layer's output image with r channels.
        TensorShape output = layer.GetOutputShape(input);
        var projected = new TensorShape(output[0], output[1], layer.Rank);
        return new FactorizedConv2dExecutor(
            new ConvolutionStage(layer.First, ReadOnlyMemory<float>.Empty, input, layer.Geometry, layer.InputQuantization),
            new ConvolutionStage(layer.Second, layer.Bias, projected, new ConvolutionGeometry(1), layer.InputQuantization),
            activation);
    }
}
