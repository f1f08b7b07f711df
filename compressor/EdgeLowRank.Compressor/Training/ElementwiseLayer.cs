using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Training;

/// <summary>A layer without parameters that maps each sample's values one to one (ReLU, Flatten).</summary>
public abstract class ElementwiseLayer(string name) : TrainingLayer
{
    /// <inheritdoc/>
    public sealed override string Name { get; } = name;

    /// <summary>Values per sample.</summary>
    protected int Length { get; private set; }

    /// <inheritdoc/>
    public sealed override TensorShape Bind(TensorShape input, int maxBatch)
    {
        Length = input.ElementCount;
        return OutputShape(input);
    }

    /// <summary>The shape the values are viewed in afterwards.</summary>
    protected abstract TensorShape OutputShape(TensorShape input);
}
