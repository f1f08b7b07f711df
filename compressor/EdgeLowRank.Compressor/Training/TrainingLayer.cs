using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Training;

/// <summary>
/// One layer of a trainable network: a forward pass over a batch and the backward pass that turns
/// the gradient of its output into the gradients of its parameters and of its input.
/// <para>Activations are batch-major float arrays owned by the <see cref="Network"/>; a layer only
/// reads and writes the first batch × (sample size) floats of them. A layer may keep what its
/// forward pass computed (im2col patches, packed weights) for the backward pass that follows, so
/// <see cref="Backward"/> must follow the <see cref="Forward"/> of the same batch.</para>
/// </summary>
public abstract class TrainingLayer
{
    /// <summary>A short name for reports, e.g. "fc1" or "conv2".</summary>
    public abstract string Name { get; }

    /// <summary>The trainable parameters (weights first), empty for layers without any.</summary>
    public virtual IReadOnlyList<Parameter> Parameters => [];

    /// <summary>Checks the input shape, sizes scratch memory for batches up to <paramref name="maxBatch"/>,
    /// and returns the output shape.</summary>
    /// <exception cref="ArgumentException">The layer cannot take an input of that shape.</exception>
    public abstract TensorShape Bind(TensorShape input, int maxBatch);

    /// <summary>Binds the layer as one of a chain: <paramref name="activations"/> are the shapes of activations 0 (the network's
    /// input) to this layer's input, the last. A layer that reads more than its input (<see cref="ShortcutBranch"/>,
    /// <see cref="ResidualAdd"/>) overrides it to check what it reads; the others bind to their input.</summary>
    /// <exception cref="ArgumentException">The layer cannot take those activations.</exception>
    public virtual TensorShape Bind(ReadOnlySpan<TensorShape> activations, int maxBatch) => Bind(activations[^1], maxBatch);

    /// <summary>Computes the output of <paramref name="batch"/> samples.</summary>
    public abstract void Forward(float[] input, float[] output, int batch, ComputeThreads threads);

    /// <summary>Sets every parameter's <see cref="Parameter.Gradient"/> to the gradient of this batch and,
    /// when <paramref name="inputGradient"/> is not null, writes d(loss)/d(input) into it.</summary>
    /// <param name="input">The input of the last forward pass.</param>
    /// <param name="output">The output of the last forward pass.</param>
    /// <param name="outputGradient">d(loss)/d(output).</param>
    /// <param name="inputGradient">Receives d(loss)/d(input); null for the first layer, which needs none.</param>
    /// <param name="batch">The number of samples.</param>
    /// <param name="threads">The threads to use.</param>
    public abstract void Backward(float[] input, float[] output, float[] outputGradient, float[]? inputGradient, int batch, ComputeThreads threads);

    /// <summary>A copy of this layer for one shard of a batch: the same configuration, parameters that
    /// share this layer's values but have their own gradients, its own scratch, and the weights packed by
    /// this layer's <see cref="PrepareStep"/>. Null when the layer cannot be replicated (a layer type
    /// from outside this library); the trainer then runs the whole batch through the network.</summary>
    internal virtual TrainingLayer? Replicate() => null;

    /// <summary>Floats of scratch memory per sample of a batch (im2col patches), for sizing shards.</summary>
    internal virtual long ScratchFloatsPerSample => 0;

    /// <summary>Before the shards of a step run their replicas: packs the weights they share.</summary>
    /// <param name="needsInputGradient">Whether the backward pass will compute d(loss)/d(input).</param>
    /// <param name="threads">The threads to use.</param>
    internal virtual void PrepareStep(bool needsInputGradient, ComputeThreads threads)
    {
    }

    /// <summary>Draws the initial parameters (PyTorch's defaults) from <paramref name="random"/>.</summary>
    internal virtual void Initialize(SeededRandom random)
    {
    }
}
