using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Format;

/// <summary>One tensor the writer stores: f32 <see cref="Floats"/>, or int8 <see cref="Bytes"/> with their <see cref="Scales"/>.</summary>
internal sealed record PlannedTensor(TensorLayout Layout, int[] Dims, ReadOnlyMemory<float> Floats, ReadOnlyMemory<sbyte> Bytes, ReadOnlyMemory<float> Scales)
{
    /// <summary>Whether the elements are int8.</summary>
    public bool IsInt8 => !Scales.IsEmpty || !Bytes.IsEmpty;

    /// <summary>The bytes of the elements (the scales not included).</summary>
    public long DataBytes => IsInt8 ? Bytes.Length : (long)Floats.Length * sizeof(float);
}

/// <summary>What the writer stores for each layer: the tensors in file order, each weight matrix in the
/// layout the policy picks, and for every layer the indices of its four tensor slots.</summary>
internal sealed class TensorPlan
{
    private readonly List<PlannedTensor> _tensors = [];
    private readonly WeightLayoutPolicy _policy;

    /// <summary>Plans the tensors of every layer of <paramref name="model"/>, in layer order.</summary>
    /// <exception cref="NotSupportedException">A layer kind that format v1 cannot store yet.</exception>
    public TensorPlan(Model model, WeightLayoutPolicy policy)
    {
        _policy = policy;
        Slots = new int[model.Layers.Count][];
        for (int i = 0; i < Slots.Length; i++)
        {
            (PackedMatrix? weights, PackedMatrix? second, ReadOnlyMemory<float> bias) = model.Layers[i] switch
            {
                DenseLayer d => (d.Weights, null, d.Bias),
                FactorizedDenseLayer f => (f.First, f.Second, f.Bias),
                Conv2dLayer c => (c.Weights, null, c.Bias),
                FactorizedConv2dLayer f => (f.First, f.Second, f.Bias),
                DepthwiseConv2dLayer d => (null, null, d.Bias), // its filters are no matrix: below
                ReluLayer or TanhLayer or SigmoidLayer or SoftmaxLayer or FlattenLayer or PoolLayer or AddLayer or Relu6Layer or BranchLayer or ConcatLayer or ChannelSliceLayer or ChannelShuffleLayer or HardSwishLayer or HardSigmoidLayer or SiluLayer or ChannelScaleLayer or LeakyReluLayer => ((PackedMatrix?)null, (PackedMatrix?)null, ReadOnlyMemory<float>.Empty),
                _ => throw new NotSupportedException($"Layer {i} is a {model.Layers[i].Kind} layer ({model.Layers[i].GetType().Name}), which .elr format {FormatConstants.MajorVersion}.{FormatConstants.MinorVersion} cannot store yet."),
            };
            int[] slots = [FormatConstants.NoTensor, FormatConstants.NoTensor, FormatConstants.NoTensor, FormatConstants.NoTensor];
            if (weights is not null) slots[FileLayout.Slot.Weights] = Add(weights);
            if (model.Layers[i] is DepthwiseConv2dLayer depthwise)
                slots[FileLayout.Slot.Weights] = Add(new PlannedTensor(TensorLayout.RowMajor, [depthwise.Taps, depthwise.Channels], depthwise.Filters, default, default));
            if (second is not null) slots[FileLayout.Slot.SecondFactor] = Add(second);
            slots[FileLayout.Slot.Bias] = Add(bias);
            Slots[i] = slots;
            if (model.Layers[i] is PoolLayer { Geometry.Pads.IsZero: false }) RequiredFlags |= RequiredFeatures.PaddedPooling;
            if (Window(model.Layers[i]) is { Pads.IsEven: false }) RequiredFlags |= RequiredFeatures.UnevenPadding;
            if (model.Layers[i].InputQuantization != InputQuantization.None)
                RequiredFlags |= model.Layers[i] is Conv2dLayer or FactorizedConv2dLayer ? RequiredFeatures.IntegerConvolutions : RequiredFeatures.IntegerProducts;
        }
    }

    /// <summary>The window of a convolution or pooling layer; null for the other kinds.</summary>
    internal static ConvolutionGeometry? Window(Layer layer) => layer switch
    {
        Conv2dLayer c => c.Geometry,
        FactorizedConv2dLayer f => f.Geometry,
        DepthwiseConv2dLayer d => d.Geometry,
        PoolLayer p => p.Geometry,
        _ => null,
    };

    /// <summary>The size of the layer records: with the bottom and right padding (format 1.13) only when some layer pads
    /// unevenly, so that the files of other models stay as they were.</summary>
    public int LayerRecordSize => (RequiredFlags & RequiredFeatures.UnevenPadding) != 0 ? FormatConstants.UnevenPaddingRecordSize : FormatConstants.LayerRecordSize;

    /// <summary>Per layer, the tensor index in each slot (-1 for none).</summary>
    public int[][] Slots { get; }

    /// <summary>The tensors in file order.</summary>
    public IReadOnlyList<PlannedTensor> Tensors => _tensors;

    /// <summary>The header's required features: <see cref="RequiredFeatures.RowMajorWeights"/> when some weight
    /// matrix is row-major (a depthwise convolution's row-major filter table needs no flag: readers older than 1.5 stop
    /// at its layer kind), and
    /// <see cref="RequiredFeatures.Int8Weights"/> when some weight matrix is int8; <see cref="RequiredFeatures.PaddedPooling"/>
    /// when some max pooling pads its windows, <see cref="RequiredFeatures.IntegerProducts"/> when some dense layer quantizes its
    /// inputs and <see cref="RequiredFeatures.IntegerConvolutions"/> when some convolution does (none a tensor's property, but the plan walks every layer once).</summary>
    public uint RequiredFlags { get; private set; }

    /// <summary>The bytes readers pack at load from the row-major weight matrices, all together (<see cref="PackingLimits"/>).</summary>
    public long PackedAtLoadBytes { get; private set; }

    /// <summary>The bytes of the row-major weight matrix that packs to the most at load; 0 when there is none.</summary>
    public long LargestPackedAtLoadBytes { get; private set; }

    private int Add(PackedMatrix matrix)
    {
        int[] dims = [matrix.Rows, matrix.Columns];
        bool panels = WeightLayoutRule.Choose(_policy, matrix.Columns) == TensorLayout.Panel16;
        if (!panels)
        {
            RequiredFlags |= RequiredFeatures.RowMajorWeights;
            long packed = PackingLimits.PackedBytes(matrix.Rows, matrix.Columns, matrix.ElementType);
            PackedAtLoadBytes += packed;
            LargestPackedAtLoadBytes = Math.Max(LargestPackedAtLoadBytes, packed);
        }
        TensorLayout layout = panels ? TensorLayout.Panel16 : TensorLayout.RowMajor;
        if (matrix.ElementType != ElementType.Int8)
            return Add(new PlannedTensor(layout, dims, panels ? matrix.Data : matrix.ToRowMajor(), default, default));
        RequiredFlags |= RequiredFeatures.Int8Weights;
        return Add(new PlannedTensor(layout, dims, default, panels ? matrix.Quantized : matrix.QuantizedToRowMajor(), matrix.Scales));
    }

    private int Add(ReadOnlyMemory<float> bias) =>
        bias.IsEmpty ? FormatConstants.NoTensor : Add(new PlannedTensor(TensorLayout.RowMajor, [bias.Length], bias, default, default));

    private int Add(PlannedTensor tensor)
    {
        _tensors.Add(tensor);
        return _tensors.Count - 1;
    }
}
