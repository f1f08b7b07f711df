using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Training;

/// <summary>
/// A layer whose parameters stay as they are while the network around it trains (PyTorch's <c>requires_grad = False</c>):
/// it computes <see cref="Inner"/>'s outputs and passes gradients through it, but reports no <see cref="TrainingLayer.Parameters"/>, so no
/// optimizer step, weight decay, compression step or checkpoint sees them. An imported network's input normalization,
/// kept as a layer of its own (<c>elr import-onnx --input-mean/--input-std</c>), is one: it stands for preprocessing that
/// PyTorch's transforms do outside the network, which no training there changes either.
/// </summary>
public sealed class FrozenLayer : TrainingLayer
{
    /// <summary>Freezes <paramref name="inner"/> with the values it holds.</summary>
    /// <exception cref="ArgumentException">The layer has no parameters to freeze, or is a batch norm, whose running statistics
    /// would still follow the batches in training mode.</exception>
    public FrozenLayer(TrainingLayer inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        if (inner.Parameters.Count == 0) throw new ArgumentException($"{inner.Name} has no parameters to freeze.", nameof(inner));
        if (inner is BatchNorm2d) throw new ArgumentException($"{inner.Name} is a batch norm, whose running statistics cannot be frozen.", nameof(inner));
        Inner = inner;
    }

    /// <summary>The layer that computes, whose parameters are kept.</summary>
    public TrainingLayer Inner { get; }

    /// <inheritdoc/>
    public override string Name => Inner.Name;

    /// <summary>The values <see cref="Inner"/> computes with; no trainer sees them.</summary>
    public IReadOnlyList<Parameter> FixedParameters => Inner.Parameters;

    /// <inheritdoc/>
    public override TensorShape Bind(TensorShape input, int maxBatch) => Inner.Bind(input, maxBatch);

    /// <inheritdoc/>
    public override TensorShape Bind(ReadOnlySpan<TensorShape> activations, int maxBatch) => Inner.Bind(activations, maxBatch);

    /// <inheritdoc/>
    public override void Forward(float[] input, float[] output, int batch, ComputeThreads threads) => Inner.Forward(input, output, batch, threads);

    /// <summary>Writes d(loss)/d(input) when a layer before needs it. <see cref="Inner"/> then also sets its parameters'
    /// gradients, which nothing reads; as the first layer with parameters would, a first frozen layer is never asked
    /// (<see cref="Network"/> stops the backward pass at the first layer that reports parameters).</summary>
    public override void Backward(float[] input, float[] output, float[] outputGradient, float[]? inputGradient, int batch, ComputeThreads threads)
    {
        if (inputGradient is not null) Inner.Backward(input, output, outputGradient, inputGradient, batch, threads);
    }

    /// <inheritdoc/>
    internal override TrainingLayer? Replicate() => Inner.Replicate() is TrainingLayer replica ? new FrozenLayer(replica) : null;

    /// <inheritdoc/>
    internal override long ScratchFloatsPerSample => Inner.ScratchFloatsPerSample;

    /// <inheritdoc/>
    internal override void PrepareStep(bool needsInputGradient, ComputeThreads threads) => Inner.PrepareStep(needsInputGradient, threads);

    // Initialize is not passed on: the layer keeps the values it was frozen with.
}
