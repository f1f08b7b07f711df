using EdgeLowRank.Runtime.Layers;
using static EdgeLowRank.Runtime.Format.FormatErrors;
using L = EdgeLowRank.Runtime.Format.FileLayout.Layer;

namespace EdgeLowRank.Runtime.Format;

/// <summary>One layer record being read: its codes are checked as they are decoded, and
/// <see cref="Build"/> turns it into a <see cref="Layer"/> over the file's memory.</summary>
internal readonly ref struct LayerRecord
{
    private readonly ReadOnlySpan<byte> _file;
    private readonly int _fileMinor;

    public LayerRecord(ReadOnlySpan<byte> file, int at, int index, int fileMinor)
    {
        _file = file;
        _fileMinor = fileMinor;
        At = at;
        Name = $"Layer {index} (record at byte {at})";
        Kind = Code<LayerKind>(L.Kind, "kind", "1 to 8");
        Activation = Code<Activation>(L.Activation, "activation", "0 (none) or 1 (ReLU)");
        Method = Code<FactorizationMethod>(L.Method, "factorization method", "0 (none), 1 (SVD) or 2 (CUR)");
    }

    /// <summary>Where the record starts.</summary>
    public int At { get; }

    /// <summary>"Layer i (record at byte n)", for messages.</summary>
    public string Name { get; }

    public LayerKind Kind { get; }

    public Activation Activation { get; }

    public FactorizationMethod Method { get; }

    /// <summary>The layer, after the checks its kind needs.</summary>
    public Layer Build(NativeModelMemory memory, TensorEntry[] tensors)
    {
        if (Kind is LayerKind.Conv2d or LayerKind.FactorizedConv2d or LayerKind.MaxPool2d)
            throw new ModelFormatException($"{Name} is a {Kind} layer: format v1 reserves that kind, but this reader cannot run it. HINT: upgrade EdgeLowRank to a release that runs {Kind} layers.", At + L.Kind);
        for (int field = L.Kernel; field < L.ParameterCount; field += sizeof(uint))
            Expect(field, "convolution/pooling parameter", 0, $"0: {Kind} layers have no kernel, stride, padding or pool size");
        return Kind switch
        {
            LayerKind.Dense => BuildDense(memory, tensors),
            LayerKind.FactorizedDense => BuildFactorized(memory, tensors),
            _ => BuildElementwise(tensors),
        };
    }

    private DenseLayer BuildDense(NativeModelMemory memory, TensorEntry[] tensors)
    {
        Expect(L.Method, "factorization method", (uint)FactorizationMethod.None, "0: a dense layer is not factorized");
        PackedMatrix weights = Matrix(memory, tensors, FileLayout.Slot.Weights, "weights");
        NoTensor(tensors, FileLayout.Slot.SecondFactor);
        NoTensor(tensors, 3);
        Expect(L.Rank, "rank", (uint)Math.Min(weights.Rows, weights.Columns), $"min(inputs, outputs) of its {weights.Rows}×{weights.Columns} weights");
        return new DenseLayer(weights, Bias(memory, tensors, weights.Columns), Activation);
    }

    private FactorizedDenseLayer BuildFactorized(NativeModelMemory memory, TensorEntry[] tensors)
    {
        PackedMatrix first = Matrix(memory, tensors, FileLayout.Slot.Weights, "first factor");
        PackedMatrix second = Matrix(memory, tensors, FileLayout.Slot.SecondFactor, "second factor");
        if (second.Rows != first.Columns)
            throw new ModelFormatException($"{Name}: the factors disagree on the rank: A is {first.Rows}×{first.Columns}, B is {second.Rows}×{second.Columns}; B needs {first.Columns} rows. {CopyAgain}", TensorField(FileLayout.Slot.SecondFactor));
        NoTensor(tensors, 3);
        Expect(L.Rank, "rank", (uint)first.Columns, "the factors' inner dimension");
        return new FactorizedDenseLayer(first, second, Bias(memory, tensors, second.Columns), Activation, Method);
    }

    private Layer BuildElementwise(TensorEntry[] tensors)
    {
        for (int slot = 0; slot < L.TensorSlots; slot++) NoTensor(tensors, slot);
        Expect(L.Activation, "activation", 0, $"0: a {Kind} layer has no fused activation");
        Expect(L.Method, "factorization method", 0, $"0: a {Kind} layer has no weights");
        Expect(L.Rank, "rank", 0, $"0: a {Kind} layer has no weights");
        return Kind switch
        {
            LayerKind.Relu => new ReluLayer(),
            LayerKind.Softmax => new SoftmaxLayer(),
            _ => new FlattenLayer(),
        };
    }

    private PackedMatrix Matrix(NativeModelMemory memory, TensorEntry[] tensors, int slot, string role)
    {
        TensorEntry tensor = Tensor(tensors, slot, role)
            ?? throw new ModelFormatException($"{Name} is {Kind} but has no {role} tensor (slot {slot} is -1). {CopyAgain}", TensorField(slot));
        if (tensor.Layout != TensorLayout.Panel16)
            throw new ModelFormatException($"{Name}: its {role} is a {tensor.Describe()} tensor; layer weights are panel-16 matrices. {CopyAgain}", TensorField(slot));
        return new PackedMatrix(tensor.Dims[0], tensor.Dims[1], memory.Floats(tensor.DataOffset, tensor.ElementCount));
    }

    private ReadOnlyMemory<float> Bias(NativeModelMemory memory, TensorEntry[] tensors, int outputs)
    {
        TensorEntry? tensor = Tensor(tensors, FileLayout.Slot.Bias, "bias");
        if (tensor is null) return ReadOnlyMemory<float>.Empty;
        if (tensor.Layout != TensorLayout.RowMajor || tensor.Dims.Length != 1 || tensor.Dims[0] != outputs)
            throw new ModelFormatException($"{Name}: its bias is a {tensor.Describe()} tensor; expected a row-major vector of {outputs} (one per output). {CopyAgain}", TensorField(FileLayout.Slot.Bias));
        return memory.Floats(tensor.DataOffset, tensor.ElementCount);
    }

    /// <summary>The tensor in <paramref name="slot"/>, or null for -1; any other index must name a listed tensor.</summary>
    private TensorEntry? Tensor(TensorEntry[] tensors, int slot, string role)
    {
        int index = _file.I32(TensorField(slot));
        if (index == FormatConstants.NoTensor) return null;
        if (index < 0 || index >= tensors.Length)
            throw new ModelFormatException($"{Name}: its {role} (slot {slot}) refers to tensor {index}, but the file lists {tensors.Length} tensors (0 to {tensors.Length - 1}, or -1 for none). {CopyAgain}", TensorField(slot));
        return tensors[index];
    }

    private void NoTensor(TensorEntry[] tensors, int slot)
    {
        if (Tensor(tensors, slot, $"slot {slot}") is not null)
            throw new ModelFormatException($"{Name}: a {Kind} layer uses no tensor in slot {slot}, but it holds {_file.I32(TensorField(slot))}; expected -1. {CopyAgain}", TensorField(slot));
    }

    private int TensorField(int slot) => At + L.Tensors + slot * sizeof(int);

    private void Expect(int field, string name, uint expected, string why)
    {
        uint value = _file.U32(At + field);
        if (value != expected)
            throw new ModelFormatException($"{Name}: its {name} (at +{field}) is {value}; expected {why}. {CopyAgain}", At + field);
    }

    private T Code<T>(int field, string what, string known) where T : struct, Enum
    {
        uint value = _file.U32(At + field);
        T code = (T)(object)value;
        if (!Enum.IsDefined(code))
            throw new ModelFormatException($"{Name} has {what} {value}; this reader knows {known}. {Upgrade(_fileMinor)}", At + field);
        return code;
    }
}
