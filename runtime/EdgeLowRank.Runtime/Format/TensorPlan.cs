using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Format;

/// <summary>What the writer stores for each layer: the tensors in file order, and for every layer the
/// indices of its four tensor slots.</summary>
internal sealed class TensorPlan
{
    private readonly List<(TensorLayout Layout, int[] Dims, ReadOnlyMemory<float> Data)> _tensors = [];

    /// <summary>Plans the tensors of every layer of <paramref name="model"/>, in layer order.</summary>
    /// <exception cref="NotSupportedException">A layer kind that format v1 cannot store yet.</exception>
    public TensorPlan(Model model)
    {
        Slots = new int[model.Layers.Count][];
        for (int i = 0; i < Slots.Length; i++)
        {
            int[] slots = [FormatConstants.NoTensor, FormatConstants.NoTensor, FormatConstants.NoTensor, FormatConstants.NoTensor];
            switch (model.Layers[i])
            {
                case DenseLayer dense:
                    slots[FileLayout.Slot.Weights] = Add(dense.Weights);
                    slots[FileLayout.Slot.Bias] = Add(dense.Bias);
                    break;
                case FactorizedDenseLayer factorized:
                    slots[FileLayout.Slot.Weights] = Add(factorized.First);
                    slots[FileLayout.Slot.SecondFactor] = Add(factorized.Second);
                    slots[FileLayout.Slot.Bias] = Add(factorized.Bias);
                    break;
                case ReluLayer or SoftmaxLayer or FlattenLayer:
                    break;
                default:
                    throw new NotSupportedException($"Layer {i} is a {model.Layers[i].Kind} layer ({model.Layers[i].GetType().Name}), which .elr format {FormatConstants.MajorVersion}.{FormatConstants.MinorVersion} cannot store yet.");
            }
            Slots[i] = slots;
        }
    }

    /// <summary>Per layer, the tensor index in each slot (-1 for none).</summary>
    public int[][] Slots { get; }

    /// <summary>The tensors in file order.</summary>
    public IReadOnlyList<(TensorLayout Layout, int[] Dims, ReadOnlyMemory<float> Data)> Tensors => _tensors;

    private int Add(PackedMatrix matrix) => Add(TensorLayout.Panel16, [matrix.Rows, matrix.Columns], matrix.Data);

    private int Add(ReadOnlyMemory<float> bias) =>
        bias.IsEmpty ? FormatConstants.NoTensor : Add(TensorLayout.RowMajor, [bias.Length], bias);

    private int Add(TensorLayout layout, int[] dims, ReadOnlyMemory<float> data)
    {
        _tensors.Add((layout, dims, data));
        return _tensors.Count - 1;
    }
}
