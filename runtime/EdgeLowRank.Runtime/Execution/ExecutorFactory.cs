using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Execution;

/// <summary>Maps each layer description to the executor that runs it; the one place to add a new layer kind.</summary>
internal static class ExecutorFactory
{
    /// <summary>Creates the executor for <paramref name="layer"/>; <paramref name="fuseRelu"/> folds a following ReLU into it.</summary>
    public static LayerExecutor Create(Layer layer, TensorShape input, bool fuseRelu)
    {
        Activation activation = fuseRelu ? Activation.Relu : layer.Activation;
        return layer switch
        {
            DenseLayer d => new DenseExecutor(d, activation),
            FactorizedDenseLayer f => new FactorizedDenseExecutor(f, activation),
            ReluLayer => new ReluExecutor(),
            SoftmaxLayer => new SoftmaxExecutor(input.ElementCount),
            FlattenLayer => new FlattenExecutor(),
            Conv2dLayer c => new Conv2dExecutor(new ConvolutionStage(c.Weights, c.Bias, input, c.Geometry), activation),
            FactorizedConv2dLayer f => new FactorizedConv2dExecutor(
                new ConvolutionStage(f.First, ReadOnlyMemory<float>.Empty, input, f.Geometry),
                new ConvolutionStage(f.Second, f.Bias, f.GetOutputShape(input) is var o ? new TensorShape(o[0], o[1], f.Rank) : default, new ConvolutionGeometry(1)),
                activation),
            MaxPool2dLayer m => new MaxPoolExecutor(m, input),
            _ => throw new NotSupportedException($"This runtime cannot execute {layer.Kind} layers yet."),
        };
    }
}
