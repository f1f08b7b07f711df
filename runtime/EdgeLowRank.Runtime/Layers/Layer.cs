namespace EdgeLowRank.Runtime.Layers;

/// <summary>
/// An immutable description of one layer: what it computes and with which weights.
/// Execution lives in <c>Execution/</c>; a layer only knows its shapes and its costs, so the
/// format, the reports and the memory plan can all reason about a model without running it.
/// </summary>
public abstract class Layer
{
    /// <summary>Layers are made by the reader and the project's own tools only: the session runs the kinds it knows.</summary>
    private protected Layer() { }

    /// <summary>The operation.</summary>
    public abstract LayerKind Kind { get; }

    /// <summary>How reports name the layer: its <see cref="Kind"/>, with what it reads besides its input where it reads more
    /// (<see cref="AddLayer"/>: "Add ← j").</summary>
    public virtual string Label => Kind.ToString();

    /// <summary>The shape this layer produces from <paramref name="input"/>.</summary>
    /// <exception cref="ArgumentException">The layer cannot take an input of that shape.</exception>
    public abstract TensorShape GetOutputShape(TensorShape input);

    /// <summary>The shape this layer produces as the layer after <paramref name="activations"/>: the shapes of the activations
    /// 0 … i of a chain, the last being its input. <see cref="GetOutputShape(TensorShape)"/> of that input for every kind but
    /// <see cref="BranchLayer"/>, whose output is an earlier activation.</summary>
    /// <exception cref="ArgumentException">The layer cannot take its input, or does not fit the chain.</exception>
    public virtual TensorShape GetOutputShape(ReadOnlySpan<TensorShape> activations) => GetOutputShape(activations[^1]);

    /// <summary>Stored weights and biases.</summary>
    public virtual long ParameterCount => 0;

    /// <summary>The weight matrices, in file order (a factorized layer's first factor, then its second); empty for a layer without weights.</summary>
    internal virtual IReadOnlyList<PackedMatrix> WeightMatrices => [];

    /// <summary>The bytes the parameters take at their element types, without panel padding: 4 per f32 weight and bias,
    /// 1 per int8 weight plus 4 per int8 column's scale.</summary>
    public long ParameterBytes
    {
        get
        {
            long bytes = ParameterCount * sizeof(float); // every parameter as f32, then each matrix at its own type
            foreach (PackedMatrix matrix in WeightMatrices) bytes += matrix.ParameterBytes - (long)matrix.Rows * matrix.Columns * sizeof(float);
            return bytes;
        }
    }

    /// <summary>How reports name the weights' element type: "f32" or "int8"; both, in factor order ("int8/f32"), for a
    /// factorized layer whose factors differ; "" for a layer without weights.</summary>
    internal string WeightTypeLabel => WeightMatrices.Count == 0
        ? ParameterCount == 0 ? "" : "f32" // weights that are no matrix (a depthwise convolution's filters) are always f32
        : string.Join('/', WeightMatrices.Select(m => m.ElementType == ElementType.Int8 ? "int8" : "f32").Distinct());

    /// <summary>Multiply-accumulate operations for one sample of shape <paramref name="input"/>.</summary>
    public virtual long MultiplyAccumulates(TensorShape input) => 0;

    /// <summary>Values read from pooling windows for one sample of shape <paramref name="input"/>: a pooling layer's work, which
    /// <see cref="MultiplyAccumulates"/> does not count (a model of stacked padded 64×64 poolings counted 0 MACs and took a minute a sample).</summary>
    internal virtual long PoolingReads(TensorShape input) => 0;

    /// <summary>Parameters of the dense layer this one stands in for (equal to <see cref="ParameterCount"/> unless factorized).</summary>
    internal virtual long DenseEquivalentParameterCount => ParameterCount;

    /// <summary>Multiply-accumulates of the dense layer this one stands in for.</summary>
    internal virtual long DenseEquivalentMultiplyAccumulates(TensorShape input) => MultiplyAccumulates(input);

    /// <summary>How the weights were produced.</summary>
    public virtual FactorizationMethod Method => FactorizationMethod.None;

    /// <summary>How reports name <see cref="Method"/>: "svd" or "cur"; "dense" for a full-rank weight matrix; "trained" for
    /// factors trained directly from a random start (<c>elr train --ranks</c>); "" for a layer without weights.</summary>
    internal string MethodLabel => Method != FactorizationMethod.None ? Method.ToString().ToLowerInvariant()
        : ParameterCount == 0 ? ""
        : Kind is LayerKind.FactorizedDense or LayerKind.FactorizedConv2d ? "trained"
        : "dense";

    /// <summary>The activation applied to this layer's output as part of the layer: set on the weighted layers
    /// (which fuse it into their store), <see cref="Activation.None"/> on the others (a ReLU of its own is a <see cref="ReluLayer"/>).</summary>
    public virtual Activation Activation => Activation.None;

    /// <summary>How the layer's int8 products treat their inputs: <see cref="InputQuantization.Dynamic"/> when a Dense,
    /// FactorizedDense, Conv2d or FactorizedConv2d layer multiplies in integers; <see cref="InputQuantization.None"/> for every
    /// other layer.</summary>
    public virtual InputQuantization InputQuantization => InputQuantization.None;

    /// <summary>The rank of the weight matrix as stored (its inner dimension when factorized); 0 for layers without a weight matrix.</summary>
    public virtual int Rank => 0;

    /// <summary>How reports show <see cref="Rank"/>: a factorized layer's inner dimension r; "full" for a dense weight matrix,
    /// whose <see cref="Rank"/> of min(rows, columns) users of <c>elr inspect</c> read as a factorization's; "" for a layer
    /// without a weight matrix.</summary>
    internal string RankLabel => Kind is LayerKind.FactorizedDense or LayerKind.FactorizedConv2d ? Rank.ToString(System.Globalization.CultureInfo.InvariantCulture)
        : Rank == 0 ? ""
        : "full";

    /// <summary>Throws unless <paramref name="input"/> is a vector of <paramref name="length"/> elements.</summary>
    private protected void RequireVector(TensorShape input, int length)
    {
        if (input.Rank != 1 || input[0] != length)
            throw new ArgumentException($"{Kind} expects a vector of {length} elements but receives {input}.");
    }

    /// <summary>The most inputs an integer product takes: with uint8 inputs and int8 weights of at most 127 in magnitude, a sum of
    /// 65,536 products (and its zero-point correction) stays within an int32.</summary>
    internal const int MaxIntegerInputs = 65_536;

    /// <summary>Throws unless <paramref name="quantization"/> is defined and, when it is <see cref="InputQuantization.Dynamic"/>,
    /// every one of <paramref name="matrices"/> is int8 with at most <see cref="MaxIntegerInputs"/> rows.</summary>
    internal static void RequireIntegerWeights(InputQuantization quantization, params ReadOnlySpan<PackedMatrix> matrices)
    {
        if (quantization == InputQuantization.None) return;
        if (quantization != InputQuantization.Dynamic)
            throw new ArgumentOutOfRangeException(nameof(quantization), quantization, "Expected None or Dynamic.");
        foreach (PackedMatrix matrix in matrices)
        {
            if (matrix.ElementType != ElementType.Int8)
                throw new ArgumentException("Dynamic input quantization multiplies in integers, so every weight matrix of the layer must be int8 (elr quantize makes them so).", nameof(quantization));
            if (matrix.Rows > MaxIntegerInputs)
                throw new ArgumentException($"An integer product takes at most {MaxIntegerInputs:N0} inputs (its int32 sums would overflow beyond); this matrix has {matrix.Rows:N0} rows.", nameof(quantization));
        }
    }

    /// <summary>Throws unless <paramref name="bias"/> is empty or has one element per output.</summary>
    private protected static void RequireBias(ReadOnlyMemory<float> bias, int outputs)
    {
        if (!bias.IsEmpty && bias.Length != outputs)
            throw new ArgumentException($"The bias has {bias.Length} elements; the layer has {outputs} outputs.", nameof(bias));
    }
}
