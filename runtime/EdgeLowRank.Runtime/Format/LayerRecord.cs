using EdgeLowRank.Runtime.Layers;
using static EdgeLowRank.Runtime.Format.FormatErrors;
using L = EdgeLowRank.Runtime.Format.FileLayout.Layer;

namespace EdgeLowRank.Runtime.Format;

/// <summary>One layer record being read: its codes are checked as they are decoded, and
/// <see cref="Build"/> turns it into a <see cref="Layer"/> over the file's memory.</summary>
internal readonly ref struct LayerRecord
{
    /// <summary>The kinds this reader knows, for the message refusing another: "1 to 23".</summary>
    private static readonly string KnownKinds = $"1 to {(int)Enum.GetValues<LayerKind>().Max()}";

    private readonly ReadOnlySpan<byte> _file;
    private readonly int _fileMinor;
    private readonly uint _requiredFlags;
    private readonly int _index;
    private readonly bool _hasPaddingEnds;

    public LayerRecord(ReadOnlySpan<byte> file, int at, int recordSize, int index, FileHeader header)
    {
        _file = file;
        _fileMinor = header.Minor;
        // Format 1.13 appended the bottom and right padding; an older file's longer records hold other (ignored) bytes there.
        _hasPaddingEnds = header.Minor >= 13 && recordSize >= FormatConstants.UnevenPaddingRecordSize;
        _requiredFlags = header.RequiredFlags;
        _index = index;
        At = at;
        Name = $"Layer {index} (record at byte {at})";
        Kind = Code<LayerKind>(L.Kind, "kind", KnownKinds);
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

    /// <summary>The layer, after the checks its kind needs; its weights are slices of the file or panels packed at load.</summary>
    public Layer Build(LoadedWeights memory, TensorEntry[] tensors)
    {
        if (Kind is not (LayerKind.Conv2d or LayerKind.FactorizedConv2d or LayerKind.DepthwiseConv2d or LayerKind.MaxPool2d)) NoPaddingEnds();
        return BuildKind(memory, tensors);
    }

    private Layer BuildKind(LoadedWeights memory, TensorEntry[] tensors) => Kind switch
    {
        LayerKind.Dense => BuildDense(memory, tensors),
        LayerKind.FactorizedDense => BuildFactorized(memory, tensors),
        LayerKind.Conv2d => BuildConv(memory, tensors),
        LayerKind.FactorizedConv2d => BuildFactorizedConv(memory, tensors),
        LayerKind.MaxPool2d or LayerKind.AvgPool2d => BuildPool(tensors),
        LayerKind.DepthwiseConv2d => BuildDepthwise(memory, tensors),
        LayerKind.Add => new AddLayer(Source(tensors, "adds an earlier activation to its input", "adds"), Activation),
        LayerKind.Branch => BuildBranch(tensors),
        LayerKind.Concat => BuildConcat(tensors),
        LayerKind.ChannelSlice => BuildSlice(tensors),
        LayerKind.ChannelShuffle => BuildShuffle(tensors),
        LayerKind.ChannelScale => BuildChannelScale(tensors),
        LayerKind.HardSigmoid => BuildHardSigmoid(tensors),
        LayerKind.LeakyRelu => BuildLeakyRelu(tensors),
        _ => BuildElementwise(tensors),
    };

    /// <summary>Bytes 32–63 (kernel, stride, padding, pool) are zero: the layer has no window.</summary>
    private void NoWindow()
    {
        for (int field = L.Kernel; field < L.ParameterCount; field += sizeof(uint))
            Expect(field, "convolution/pooling parameter", 0, $"0: {Kind} layers have no kernel, stride, padding or pool size");
    }

    private DenseLayer BuildDense(LoadedWeights memory, TensorEntry[] tensors)
    {
        NoWindowButInputQuantization();
        Expect(L.Method, "factorization method", (uint)FactorizationMethod.None, "0: a dense layer is not factorized");
        PackedMatrix weights = Matrix(memory, tensors, FileLayout.Slot.Weights, "weights");
        NoTensor(tensors, FileLayout.Slot.SecondFactor);
        NoTensor(tensors, 3);
        Expect(L.Rank, "rank", (uint)Math.Min(weights.Rows, weights.Columns), $"min(inputs, outputs) of its {weights.Rows}×{weights.Columns} weights");
        return new DenseLayer(weights, Bias(memory, tensors, weights.Columns), Activation, InputQuantizationOf(weights));
    }

    private FactorizedDenseLayer BuildFactorized(LoadedWeights memory, TensorEntry[] tensors)
    {
        NoWindowButInputQuantization();
        (PackedMatrix first, PackedMatrix second) = Factors(memory, tensors);
        return new FactorizedDenseLayer(first, second, Bias(memory, tensors, second.Columns), Activation, Method, InputQuantizationOf(first, second));
    }

    /// <summary>Bytes 32–63 zero but a Dense or FactorizedDense layer's input quantization at 56 (since 1.10).</summary>
    private void NoWindowButInputQuantization()
    {
        for (int field = L.Kernel; field < L.ParameterCount; field += sizeof(uint))
            if (field != L.InputQuantization)
                Expect(field, "convolution/pooling parameter", 0, $"0: {Kind} layers have no kernel, stride, padding or pool size");
    }

    /// <summary>The input quantization at 56: 0, or 1 (dynamic; a dense layer's since 1.10, a convolution's since 1.11) in a
    /// file that declares the kind's integer products, with every weight matrix of the layer int8 and of at most
    /// <see cref="Layer.MaxIntegerInputs"/> rows.</summary>
    private InputQuantization InputQuantizationOf(params ReadOnlySpan<PackedMatrix> matrices)
    {
        bool convolution = Kind is LayerKind.Conv2d or LayerKind.FactorizedConv2d;
        var quantization = Code<InputQuantization>(L.InputQuantization, "input quantization",
            convolution ? "0 (none) and 1 (dynamic, since 1.11)" : "0 (none) and 1 (dynamic, since 1.10)");
        if (quantization == InputQuantization.None) return quantization;
        (uint feature, string since, string what) = convolution
            ? (RequiredFeatures.IntegerConvolutions, "1.11", "integer convolution")
            : (RequiredFeatures.IntegerProducts, "1.10", "integer product");
        if ((_requiredFlags & feature) == 0)
            throw new ModelFormatException($"{Name}: it quantizes its inputs (1 at +{L.InputQuantization}), but the header's required features (offset {FileLayout.Header.RequiredFlags}) lack 0x{feature:X8}, which every file with an {what} must set so that readers older than {since} ask for an upgrade. HINT: the file was written by a faulty writer; export the model again.", FileLayout.Header.RequiredFlags);
        for (int slot = 0; slot < matrices.Length; slot++)
        {
            if (matrices[slot].ElementType != ElementType.Int8)
                throw new ModelFormatException($"{Name}: it quantizes its inputs (1 at +{L.InputQuantization}) to multiply them in integers, but its {(slot == 0 ? "first" : "second")} weight matrix (slot {slot}) is f32; an integer product needs int8 weights. {CopyAgain}", TensorField(slot));
            if (matrices[slot].Rows > Layer.MaxIntegerInputs)
                throw new ModelFormatException($"{Name}: it quantizes its inputs (1 at +{L.InputQuantization}), but its weight matrix in slot {slot} has {matrices[slot].Rows:N0} rows; an integer product takes at most {Layer.MaxIntegerInputs:N0} inputs, beyond which its int32 sums could overflow. {CopyAgain}", TensorField(slot));
        }
        return quantization;
    }

    /// <summary>A k×k convolution: weights (k·k·c_in) × c_out, c_in following from the rows.</summary>
    private Conv2dLayer BuildConv(LoadedWeights memory, TensorEntry[] tensors)
    {
        Expect(L.Method, "factorization method", (uint)FactorizationMethod.None, "0: a Conv2d layer is not factorized (a factorized convolution is kind 7)");
        ConvolutionGeometry geometry = ConvWindow();
        PackedMatrix weights = Matrix(memory, tensors, FileLayout.Slot.Weights, "weights");
        NoTensor(tensors, FileLayout.Slot.SecondFactor);
        NoTensor(tensors, 3);
        int inputChannels = InputChannels(weights, geometry, "weights");
        Expect(L.Rank, "rank", (uint)Math.Min(weights.Rows, weights.Columns), $"min(rows, columns) of its {weights.Rows}×{weights.Columns} weights");
        return new Conv2dLayer(weights, Bias(memory, tensors, weights.Columns), inputChannels, geometry, Activation, InputQuantizationOf(weights));
    }

    /// <summary>A k×k convolution to r channels (first factor, (k·k·c_in) × r) then a 1×1 convolution (second factor, r × c_out).</summary>
    private FactorizedConv2dLayer BuildFactorizedConv(LoadedWeights memory, TensorEntry[] tensors)
    {
        ConvolutionGeometry geometry = ConvWindow();
        (PackedMatrix first, PackedMatrix second) = Factors(memory, tensors);
        int inputChannels = InputChannels(first, geometry, "first factor");
        return new FactorizedConv2dLayer(first, second, Bias(memory, tensors, second.Columns), inputChannels, geometry, Activation, Method,
            InputQuantizationOf(first, second));
    }

    /// <summary>A depthwise convolution: its filters a row-major f32 (k·k) × c table, used in place (the kernel reads a
    /// tap's channels side by side, as a row-major table holds them), c following from the columns; no second factor,
    /// no factorization, rank 0.</summary>
    private DepthwiseConv2dLayer BuildDepthwise(LoadedWeights memory, TensorEntry[] tensors)
    {
        Expect(L.Method, "factorization method", (uint)FactorizationMethod.None, "0: a depthwise convolution is not factorized");
        Expect(L.Rank, "rank", 0, "0: a depthwise convolution's filters are no matrix to factorize");
        ConvolutionGeometry geometry = ConvWindow();
        TensorEntry filters = Tensor(tensors, FileLayout.Slot.Weights, "filters")
            ?? throw new ModelFormatException($"{Name} is {Kind} but has no filter tensor (slot {FileLayout.Slot.Weights} is -1). {CopyAgain}", TensorField(FileLayout.Slot.Weights));
        int taps = geometry.KernelSize * geometry.KernelSize;
        if (filters.ElementType != ElementType.Float32 || filters.Layout != TensorLayout.RowMajor || filters.Dims.Length != 2 || filters.Dims[0] != taps || filters.Dims[1] < 1)
            throw new ModelFormatException($"{Name}: its filters are a {filters.Describe()} tensor; a {geometry.KernelSize}×{geometry.KernelSize} depthwise convolution's filters are a row-major f32 {taps} × c table (one row per tap, one column per channel). {CopyAgain}", TensorField(FileLayout.Slot.Weights));
        NoTensor(tensors, FileLayout.Slot.SecondFactor);
        NoTensor(tensors, 3);
        int channels = filters.Dims[1];
        return new DepthwiseConv2dLayer(memory.Vector(filters), Bias(memory, tensors, channels), channels, geometry, Activation);
    }

    /// <summary>A branch: the activation the chain continues from at +32, as an Add's source; no fused activation (it
    /// computes nothing).</summary>
    private BranchLayer BuildBranch(TensorEntry[] tensors)
    {
        var branch = new BranchLayer(Source(tensors, "continues from an earlier activation instead of its input", "continues from"));
        Expect(L.Activation, "activation", 0, $"0: {AKind} computes nothing, so it has no activation to fuse");
        return branch;
    }

    /// <summary>A concatenation: the activation it joins at +32, as an Add's source, and at +36 whether the input's channels
    /// come first (1) or the source's (0); no fused activation.</summary>
    private ConcatLayer BuildConcat(TensorEntry[] tensors)
    {
        uint order = _file.U32(At + L.ConcatOrder);
        if (order > 1)
            throw new ModelFormatException($"{Name}: its channel order (at +{L.ConcatOrder}) is {order}; expected 0 (the source's channels first) or 1 (the input's first). {CopyAgain}", At + L.ConcatOrder);
        var concat = new ConcatLayer(Source(tensors, "joins an earlier activation to its input", "joins", firstZero: L.ConcatOrder + sizeof(uint)), order == 1);
        Expect(L.Activation, "activation", 0, $"0: {AKind} only copies, so it has no activation to fuse");
        return concat;
    }

    /// <summary>A run of channels: its first channel at +32 and its count (at least 1) at +36; no weights, no activation.
    /// Whether the run fits the input's channels is the shape chain's check.</summary>
    private ChannelSliceLayer BuildSlice(TensorEntry[] tensors)
    {
        NoWeights(tensors);
        uint start = _file.U32(At + L.SliceStart), count = _file.U32(At + L.SliceCount);
        if (start > int.MaxValue)
            throw new ModelFormatException($"{Name}: its first channel (at +{L.SliceStart}) is {start}; a channel index is below 2^31. {CopyAgain}", At + L.SliceStart);
        if (count is 0 or > int.MaxValue)
            throw new ModelFormatException($"{Name}: its channel count (at +{L.SliceCount}) is {count}; expected 1 to 2^31-1 channels kept. {CopyAgain}", At + L.SliceCount);
        ZeroFrom(L.SliceCount + sizeof(uint), $"the first channel (+{L.SliceStart}) and count (+{L.SliceCount}) fields");
        return new ChannelSliceLayer((int)start, (int)count);
    }

    /// <summary>A channel shuffle: its group count (at least 2) at +32; no weights, no activation. Whether the groups
    /// divide the input's channels is the shape chain's check.</summary>
    private ChannelShuffleLayer BuildShuffle(TensorEntry[] tensors)
    {
        NoWeights(tensors);
        uint groups = _file.U32(At + L.ShuffleGroups);
        if (groups is < 2 or > int.MaxValue)
            throw new ModelFormatException($"{Name}: its group count (at +{L.ShuffleGroups}) is {groups}; expected 2 or more groups of channels (one group would leave them as they are). {CopyAgain}", At + L.ShuffleGroups);
        ZeroFrom(L.ShuffleGroups + sizeof(uint), $"the group count field (+{L.ShuffleGroups})");
        return new ChannelShuffleLayer((int)groups);
    }

    /// <summary>A squeeze-and-excitation scaling: the activation it scales at +32, as an Add's source; no fused activation.
    /// Whether its input holds one value per channel of that activation is the shape chain's check.</summary>
    private ChannelScaleLayer BuildChannelScale(TensorEntry[] tensors)
    {
        var scale = new ChannelScaleLayer(Source(tensors, "scales an earlier activation's channels by its input", "scales"));
        Expect(L.Activation, "activation", 0, $"0: {AKind} has no activation to fuse");
        return scale;
    }

    /// <summary>A hard sigmoid: its slope α at +32 and offset β at +36, finite float32s; no weights, no activation.</summary>
    private HardSigmoidLayer BuildHardSigmoid(TensorEntry[] tensors)
    {
        NoWeights(tensors);
        float alpha = FiniteFloat(L.HardSigmoidAlpha, "slope α"), beta = FiniteFloat(L.HardSigmoidBeta, "offset β");
        ZeroFrom(L.HardSigmoidBeta + sizeof(float), $"the slope (+{L.HardSigmoidAlpha}) and offset (+{L.HardSigmoidBeta}) fields");
        return new HardSigmoidLayer(alpha, beta);
    }

    /// <summary>A leaky ReLU: its slope α below zero at +32, a finite float32; no weights, no activation.</summary>
    private LeakyReluLayer BuildLeakyRelu(TensorEntry[] tensors)
    {
        NoWeights(tensors);
        float alpha = FiniteFloat(L.LeakyReluAlpha, "slope α");
        ZeroFrom(L.LeakyReluAlpha + sizeof(float), $"the slope field (+{L.LeakyReluAlpha})");
        return new LeakyReluLayer(alpha);
    }

    /// <summary>The float32 at <paramref name="field"/>, which must be finite (a NaN or infinite gate parameter would make
    /// every output NaN or a constant, which no writer means).</summary>
    private float FiniteFloat(int field, string name)
    {
        float value = BitConverter.UInt32BitsToSingle(_file.U32(At + field));
        if (!float.IsFinite(value))
            throw new ModelFormatException($"{Name}: its {name} (at +{field}, a float32) is {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}; expected a finite number. {CopyAgain}", At + field);
        return value;
    }

    /// <summary>Bytes <paramref name="first"/> to 63 are zero: the kind uses only <paramref name="used"/> of bytes 32–63.</summary>
    private void ZeroFrom(int first, string used)
    {
        for (int field = first; field < L.ParameterCount; field += sizeof(uint))
            Expect(field, "convolution/pooling parameter", 0, $"0: {AKind} uses only {used} of bytes 32–63");
    }

    /// <summary>"an Add layer", "a Branch layer": the kind, for messages.</summary>
    private string AKind => Kind == LayerKind.Add ? "an Add layer" : $"a {Kind} layer";

    /// <summary>The activation an Add, Branch, Concat or ChannelScale layer reads at +32 (one that comes before its own input, activation
    /// <c>index</c>), after checking it has no weights and that bytes <paramref name="firstZero"/> to 63 are zero (by
    /// default all of them after the source; a Concat's order field follows it).</summary>
    private int Source(TensorEntry[] tensors, string what, string verb, int firstZero = L.Source + sizeof(uint))
    {
        if (_index == 0)
            throw new ModelFormatException($"{Name} is {AKind}, which {what}; the first layer's input is the model's input, and nothing comes before it. {CopyAgain}", At + L.Kind);
        for (int slot = 0; slot < L.TensorSlots; slot++) NoTensor(tensors, slot);
        Expect(L.Method, "factorization method", 0, $"0: {AKind} has no weights");
        Expect(L.Rank, "rank", 0, $"0: {AKind} has no weights");
        uint source = _file.U32(At + L.Source);
        if (source >= _index)
            throw new ModelFormatException($"{Name}: it {verb} activation {source} (at +{L.Source}); {AKind} at index {_index} {verb} an earlier activation, 0 (the model's input) to {_index - 1} (the input of layer {_index - 1}), not its own input or a later one. {CopyAgain}", At + L.Source);
        string used = firstZero == L.Source + sizeof(uint) ? $"the source field (+{L.Source})" : $"the source (+{L.Source}) and channel order (+{L.ConcatOrder}) fields";
        ZeroFrom(firstZero, used);
        return (int)source;
    }

    /// <summary>A pooling layer: a square pool size and stride, no kernel, no weights; padding only for max pooling (since 1.7).</summary>
    private PoolLayer BuildPool(TensorEntry[] tensors)
    {
        NoWeights(tensors);
        Expect(L.Kernel, "kernel height", 0, $"0: a {Kind} layer has a pool size, not a kernel");
        Expect(L.Kernel + 4, "kernel width", 0, $"0: a {Kind} layer has a pool size, not a kernel");
        int size = Square(L.Pool, "pool size", 1, ConvolutionGeometry.MaxWindow);
        int stride = Square(L.Stride, "stride", 1, ConvolutionGeometry.MaxWindow);
        if (Kind == LayerKind.MaxPool2d) return new MaxPool2dLayer(size, stride, MaxPoolPads(size));
        Expect(L.Padding, "padding height", 0, "0: average pooling has no padding");
        Expect(L.Padding + 4, "padding width", 0, "0: average pooling has no padding");
        return new AvgPool2dLayer(size, stride);
    }

    /// <summary>A max pooling's padding (since 1.7; per side since 1.13), below the pool size, and only in a file that
    /// declares the feature.</summary>
    private WindowPadding MaxPoolPads(int size)
    {
        WindowPadding pads = Pads(size, $" with a pool size of {size}");
        if (!pads.IsZero && (_requiredFlags & RequiredFeatures.PaddedPooling) == 0)
            throw new ModelFormatException($"{Name}: it pads its windows by {pads} (at +{L.Padding}), but the header's required features (offset {FileLayout.Header.RequiredFlags}) lack 0x{RequiredFeatures.PaddedPooling:X8}, which every file with a padded max pooling must set so that readers older than 1.7 ask for an upgrade. HINT: the file was written by a faulty writer; export the model again.", FileLayout.Header.RequiredFlags);
        return pads;
    }

    /// <summary>The padding of a window of side <paramref name="window"/>: top and left at +48 and +52, bottom and right at
    /// +80 and +84 (format 1.13, records of 88 bytes or more; otherwise equal to top and left), each below the window, and
    /// different sides only in a file that declares uneven padding.</summary>
    private WindowPadding Pads(int window, string why)
    {
        int top = Side(L.Padding, "top", window, why), left = Side(L.Padding + sizeof(uint), "left", window, why);
        var pads = _hasPaddingEnds
            ? new WindowPadding(top, left, Side(L.PaddingBottom, "bottom", window, why), Side(L.PaddingRight, "right", window, why))
            : new WindowPadding(top, left, top, left);
        if (!pads.IsEven && (_requiredFlags & RequiredFeatures.UnevenPadding) == 0)
            throw new ModelFormatException($"{Name}: it pads its sides differently ({pads}; top and left at +{L.Padding}, bottom and right at +{L.PaddingBottom} since 1.13), but the header's required features (offset {FileLayout.Header.RequiredFlags}) lack 0x{RequiredFeatures.UnevenPadding:X8}, which every file with uneven padding must set so that readers older than 1.13 ask for an upgrade. HINT: the file was written by a faulty writer; export the model again.", FileLayout.Header.RequiredFlags);
        return pads;
    }

    /// <summary>One side's padding, 0 to <paramref name="window"/> − 1.</summary>
    private int Side(int field, string side, int window, string why)
    {
        uint value = _file.U32(At + field);
        if (value >= window)
            throw new ModelFormatException($"{Name}: its padding {side} (at +{field}) is {value}; expected 0 to {window - 1} for a {Kind} layer{why}. {CopyAgain}", At + field);
        return (int)value;
    }

    /// <summary>A record of 88 bytes or more (format 1.13) holds zeros where the kinds without a window would have the
    /// bottom and right padding.</summary>
    private void NoPaddingEnds()
    {
        if (!_hasPaddingEnds) return;
        Expect(L.PaddingBottom, "padding bottom", 0, $"0: {AKind} has no window");
        Expect(L.PaddingRight, "padding right", 0, $"0: {AKind} has no window");
    }

    /// <summary>The two factors of a factorized layer (slots 0 and 1), which must agree on the rank the record states.</summary>
    private (PackedMatrix First, PackedMatrix Second) Factors(LoadedWeights memory, TensorEntry[] tensors)
    {
        PackedMatrix first = Matrix(memory, tensors, FileLayout.Slot.Weights, "first factor");
        PackedMatrix second = Matrix(memory, tensors, FileLayout.Slot.SecondFactor, "second factor");
        if (second.Rows != first.Columns)
            throw new ModelFormatException($"{Name}: the factors disagree on the rank: A is {first.Rows}×{first.Columns}, B is {second.Rows}×{second.Columns}; B needs {first.Columns} rows. {CopyAgain}", TensorField(FileLayout.Slot.SecondFactor));
        NoTensor(tensors, 3);
        Expect(L.Rank, "rank", (uint)first.Columns, "the factors' inner dimension");
        return (first, second);
    }

    /// <summary>The kernel, stride and padding of a convolution record (each a square pair), and no pool size.</summary>
    private ConvolutionGeometry ConvWindow()
    {
        int kernel = Square(L.Kernel, "kernel", 1, ConvolutionGeometry.MaxWindow);
        int stride = Square(L.Stride, "stride", 1, ConvolutionGeometry.MaxWindow);
        WindowPadding pads = Pads(kernel, $" (less than the {kernel}×{kernel} kernel)");
        // A Conv2d or FactorizedConv2d layer's input quantization lies where the pool height would (InputQuantizationOf).
        if (Kind == LayerKind.DepthwiseConv2d) Expect(L.Pool, "pool height", 0, $"0: a {Kind} layer has a kernel, not a pool size");
        Expect(L.Pool + 4, "pool width", 0, $"0: a {Kind} layer has a kernel, not a pool size");
        return new ConvolutionGeometry(kernel, stride, pads);
    }

    /// <summary>A (height, width) pair of u32 at <paramref name="field"/>: height in [min, max], width equal to it
    /// (format 1.1 windows are square).</summary>
    private int Square(int field, string name, int min, int max, string why = "")
    {
        uint height = _file.U32(At + field), width = _file.U32(At + field + sizeof(uint));
        if (height < min || height > max)
            throw new ModelFormatException($"{Name}: its {name} height (at +{field}) is {height}; expected {min} to {max} for a {Kind} layer{why}. {CopyAgain}", At + field);
        if (width != height)
            throw new ModelFormatException($"{Name}: its {name} is {height}×{width} (height at +{field}, width at +{field + sizeof(uint)}); format {FormatConstants.MajorVersion}.{FormatConstants.MinorVersion} {Kind} layers are square, so the width must equal the height. {Upgrade(_fileMinor)}", At + field + sizeof(uint));
        return (int)height;
    }

    /// <summary>c_in = rows / (k·k) of a convolution's (first) weight matrix; the rows must divide exactly.</summary>
    private int InputChannels(PackedMatrix weights, ConvolutionGeometry geometry, string role)
    {
        int window = geometry.KernelSize * geometry.KernelSize;
        if (weights.Rows % window != 0)
            throw new ModelFormatException($"{Name}: its {role} matrix has {weights.Rows} rows, which is not a multiple of {geometry.KernelSize}·{geometry.KernelSize} = {window}; a {geometry.KernelSize}×{geometry.KernelSize} convolution's {role} has (k·k·c_in) rows. {CopyAgain}", TensorField(FileLayout.Slot.Weights));
        return weights.Rows / window;
    }

    private void NoWeights(TensorEntry[] tensors)
    {
        for (int slot = 0; slot < L.TensorSlots; slot++) NoTensor(tensors, slot);
        Expect(L.Activation, "activation", 0, $"0: a {Kind} layer has no fused activation");
        Expect(L.Method, "factorization method", 0, $"0: a {Kind} layer has no weights");
        Expect(L.Rank, "rank", 0, $"0: a {Kind} layer has no weights");
    }

    private Layer BuildElementwise(TensorEntry[] tensors)
    {
        NoWindow();
        NoWeights(tensors);
        return Kind switch
        {
            LayerKind.Relu => new ReluLayer(),
            LayerKind.Tanh => new TanhLayer(),
            LayerKind.Relu6 => new Relu6Layer(),
            LayerKind.Sigmoid => new SigmoidLayer(),
            LayerKind.HardSwish => new HardSwishLayer(),
            LayerKind.Silu => new SiluLayer(),
            LayerKind.Softmax => new SoftmaxLayer(),
            LayerKind.Flatten => new FlattenLayer(),
            // Every kind the file may name has a case above: one added to LayerKind without its case must not load as another.
            _ => throw new System.Diagnostics.UnreachableException($"The reader has no case for layer kind {Kind}."),
        };
    }

    private PackedMatrix Matrix(LoadedWeights memory, TensorEntry[] tensors, int slot, string role)
    {
        TensorEntry tensor = Tensor(tensors, slot, role)
            ?? throw new ModelFormatException($"{Name} is {Kind} but has no {role} tensor (slot {slot} is -1). {CopyAgain}", TensorField(slot));
        if (tensor.Layout == TensorLayout.RowMajor) CheckRowMajorMatrix(memory, tensor, slot, role);
        if (tensor.ElementType == ElementType.Int8 && (_requiredFlags & RequiredFeatures.Int8Weights) == 0)
            throw new ModelFormatException($"{Name}: its {role} is a {tensor.Describe()} matrix, but the header's required features (offset {FileLayout.Header.RequiredFlags}) lack 0x{RequiredFeatures.Int8Weights:X8}, which every file with an int8 weight must set so that readers older than 1.3 ask for an upgrade. HINT: the file was written by a faulty writer; export the model again (elr quantize or ModelWriter).", FileLayout.Header.RequiredFlags);
        return memory.Matrix(tensor);
    }

    /// <summary>A weight stored row-major (since 1.2) is a K×N matrix the reader packs at load: rank 2, a
    /// packed size the reader can allocate within the model's packing budget, and the required-feature bit that makes older readers ask for
    /// an upgrade rather than call the file damaged. Its K and N are checked like a panel-16 matrix's, by
    /// the layer and the shape chain; its byte length (K·N·4) by the tensor table.</summary>
    private void CheckRowMajorMatrix(LoadedWeights memory, TensorEntry tensor, int slot, string role)
    {
        if (tensor.Dims.Length != 2)
            throw new ModelFormatException($"{Name}: its {role} is a {tensor.Describe()} tensor; a weight is a matrix of 2 dimensions (K rows × N columns), panel-16 or row-major. {CopyAgain}", TensorField(slot));
        if ((_requiredFlags & RequiredFeatures.RowMajorWeights) == 0)
            throw new ModelFormatException($"{Name}: its {role} is a {tensor.Describe()} matrix, but the header's required features (offset {FileLayout.Header.RequiredFlags}) lack 0x{RequiredFeatures.RowMajorWeights:X8}, which every file with a row-major weight must set so that readers older than 1.2 ask for an upgrade instead of reporting damage. HINT: the file was written by a faulty writer; export the model again (elr compress, elr train, elr quantize or ModelWriter).", FileLayout.Header.RequiredFlags);
        long packedBytes = LoadedWeights.PackedBytesOf(tensor);
        if (packedBytes > PackingLimits.MaxMatrixBytes)
            throw new ModelFormatException($"{Name}: its {role}, a {tensor.Describe()} matrix, takes {packedBytes} bytes once packed into panels at load; this reader packs at most {PackingLimits.MaxMatrixBytes} bytes per matrix. {CopyAgain}", TensorField(slot));
        if (!memory.IsPacked(tensor) && memory.PackedBytes + packedBytes > memory.PackingBudget)
            throw new ModelFormatException($"{Name}: packing its {role}, a {tensor.Describe()} matrix, would bring the panels packed at load to {memory.PackedBytes + packedBytes} bytes, over this reader's budget of {memory.PackingBudget} ({PackingLimits.BudgetRule}); ModelWriter writes no such file. {CopyAgain}", TensorField(slot));
    }

    private ReadOnlyMemory<float> Bias(LoadedWeights memory, TensorEntry[] tensors, int outputs)
    {
        TensorEntry? tensor = Tensor(tensors, FileLayout.Slot.Bias, "bias");
        if (tensor is null) return ReadOnlyMemory<float>.Empty;
        // An int8 tensor is always a matrix (TensorEntry), so the vector check refuses it here too.
        if (tensor.Layout != TensorLayout.RowMajor || tensor.Dims.Length != 1 || tensor.Dims[0] != outputs)
            throw new ModelFormatException($"{Name}: its bias is a {tensor.Describe()} tensor; expected a row-major vector of {outputs} (one per output). {CopyAgain}", TensorField(FileLayout.Slot.Bias));
        return memory.Vector(tensor);
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
