using System.Numerics;
using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Execution;

/// <summary>
/// Runs a pass's large kernels split across a worker team, as ONNX Runtime's intra-op threads do: how one image uses more
/// than one thread. A matrix product is split by output panels (<see cref="PanelShare"/>), each thread streaming only its
/// share of the weights, or, when it has more rows than output columns (a convolution's pixels), by rows, each thread
/// streaming only its share of the inputs and outputs (<see cref="ProductSplitFor"/>). A depthwise convolution is split by output rows, an element-wise map by runs of elements, a
/// <see cref="RangeKernel"/> (an Add, a ChannelScale, a pooling) by runs of its units. Each part computes its outputs exactly as one
/// thread would, so the outputs are bit for bit the caller's alone. A kernel too small to pay for waking a worker runs on
/// the caller. The caller must hold the team (<see cref="WorkerTeam.TryAcquire"/>) for as long as it uses this runner;
/// one run at a time, so the kernel being split can live in fields.
/// </summary>
internal sealed unsafe class SplitKernelRunner : KernelRunner
{
    private readonly WorkerTeam _team;
    private readonly Action<int, int> _runProductPart, _runDepthwisePart, _runRangePart, _runIntegerPart;
    private readonly RangeKernel _mapRange, _productRows;

    // The kernel being split: set before the team runs it, read by the parts while the caller waits, its spans pinned meanwhile.
    private float* _x, _a, _y;
    private int _xLength, _aLength, _yLength, _batch, _units, _alignment;
    private bool _integerByRows;
    private InputRows _rows;
    private PackedMatrix? _weights;
    private DepthwiseStage? _depthwise;
    private FusedActivation _activation;
    private ElementMap? _map;
    private RangeKernel? _range;

    private readonly SplitThresholds _thresholds;

    /// <summary>A runner on <paramref name="path"/> that splits kernels across <paramref name="team"/>, in parts of at least
    /// <paramref name="thresholds"/>' work.</summary>
    public SplitKernelRunner(KernelPath path, WorkerTeam team, SplitThresholds thresholds) : base(path)
    {
        _team = team;
        _thresholds = thresholds;
        _runProductPart = RunProductPart;
        _runDepthwisePart = RunDepthwisePart;
        _runRangePart = RunRangePart;
        _runIntegerPart = RunIntegerPart;
        _mapRange = (_, x, _, y, start, end) => _map!(x[start..end], y[start..end]);
        _productRows = (path, x, bias, y, start, end) => ProductRows.Run(path, x, _batch, _rows, _weights!, bias, _activation, y, start, end);
    }

    /// <summary>How a product of <paramref name="rows"/> × <paramref name="inputs"/> by <paramref name="inputs"/> ×
    /// <paramref name="outputs"/>, its rows in groups of <paramref name="groupRows"/> (<see cref="InputRows"/>), is split on
    /// <paramref name="threads"/> threads: one part a thread and <see cref="SplitThresholds.KernelMultiplyAccumulatesPerPart"/> each
    /// (of <paramref name="thresholds"/>, the default's when null). With more
    /// rows than output columns, by rows (<see cref="ProductRows"/>): each part then reads its share of the larger operand, X,
    /// and all of W, where a split by panels reads all of X and its share of W. Else by output panels, two a part
    /// (<see cref="PanelShare.MostParts"/>). One part: the product runs alone. (EfficientNet-B0 on two threads, each step's
    /// fastest of 4,800 runs: its convolutions to 16–40 channels, which panels left on one thread, ran 1.6–2.0× faster by
    /// rows, those to 80–144 1.1–1.2×, and only the one of 112×112×16 to 96 slower, 331 against 257–309 µs; bench/RESULTS.md,
    /// "One image's joins, poolings and narrow convolutions on two threads".)</summary>
    internal static (int Parts, bool ByRows) ProductSplitFor(int threads, int rows, int groupRows, int inputs, int outputs, SplitThresholds? thresholds = null)
    {
        thresholds ??= SplitThresholds.Default;
        long multiplyAccumulates = (long)rows * inputs * outputs;
        if (rows > outputs)
        {
            ProductRows.Units(rows, groupRows, out int units, out int alignment);
            int parts = Parts(threads, multiplyAccumulates, units / alignment, thresholds);
            if (parts > 1) return (parts, true);
        }
        return (Parts(threads, multiplyAccumulates, PanelShare.MostParts(outputs), thresholds), false);
    }

    /// <summary>How many parts a depthwise convolution of one image is split into: one a thread, an output row and
    /// <see cref="SplitThresholds.KernelMultiplyAccumulatesPerPart"/> each (the default's when <paramref name="thresholds"/> is null).</summary>
    internal static int DepthwisePartsFor(int threads, DepthwiseStage stage, SplitThresholds? thresholds = null) =>
        Parts(threads, stage.MultiplyAccumulates, stage.OutputRows, thresholds ?? SplitThresholds.Default);

    /// <summary>How many parts an element-wise map of <paramref name="length"/> elements is split into: one a thread and
    /// <see cref="SplitThresholds.ElementsPerPart"/> each (the default's when <paramref name="thresholds"/> is null).</summary>
    internal static int MapPartsFor(int threads, int length, SplitThresholds? thresholds = null) => RangePartsFor(threads, length, 1, MapAlignment, thresholds);

    /// <summary>How many parts a <see cref="RangeKernel"/> of <paramref name="units"/> units of <paramref name="unitFloats"/>
    /// floats is split into: one a thread, <see cref="SplitThresholds.ElementsPerPart"/> floats and <paramref name="alignment"/>
    /// units each (the default's when <paramref name="thresholds"/> is null).</summary>
    internal static int RangePartsFor(int threads, int units, int unitFloats, int alignment, SplitThresholds? thresholds = null) =>
        (int)Math.Clamp((long)units * unitFloats / (thresholds ?? SplitThresholds.Default).ElementsPerPart, 1, Math.Max(1, Math.Min(threads, units / alignment)));

    /// <summary>The fewest rows of <paramref name="rowFloats"/> floats that fill whole 16-float cache lines, the alignment of a
    /// <see cref="RangeKernel"/> over rows (pixels) whose parts must not write one line: 1 for 48 floats, 2 for 40, 16 for an odd count.</summary>
    internal static int RowAlignment(int rowFloats) => 16 / (int)BigInteger.GreatestCommonDivisor(rowFloats, 16);

    /// <summary>An element-wise map's boundaries: 16 floats, 64 bytes, a cache line.</summary>
    private const int MapAlignment = 16;

    /// <summary>One part a thread and <see cref="SplitThresholds.KernelMultiplyAccumulatesPerPart"/> each, at most <paramref name="mostParts"/>,
    /// and at least one: a product with too few rows for two parts of whole cache lines has none to give (11 rows of 10
    /// outputs, a batch's short last pass), which asked Math.Clamp for between 1 and 0 parts and failed the run.</summary>
    private static int Parts(int threads, long multiplyAccumulates, int mostParts, SplitThresholds thresholds) =>
        (int)Math.Clamp(multiplyAccumulates / thresholds.KernelMultiplyAccumulatesPerPart, 1, Math.Max(1, Math.Min(threads, mostParts)));

    public override void Multiply(ReadOnlySpan<float> x, int batch, in InputRows rows, PackedMatrix weights, ReadOnlySpan<float> bias,
        FusedActivation activation, Span<float> y)
    {
        (int parts, bool byRows) = ProductSplitFor(_team.Threads, batch, rows.GroupRows, weights.Rows, weights.Columns, _thresholds);
        if (parts == 1)
        {
            base.Multiply(x, batch, rows, weights, bias, activation, y);
            return;
        }
        (_batch, _rows, _weights, _activation) = (batch, rows, weights, activation);
        if (byRows)
        {
            ProductRows.Units(batch, rows.GroupRows, out int units, out int alignment);
            RunRanges(_productRows, x, bias, y, units, alignment, parts);
            return;
        }
        RunPinned(x, bias, y, _runProductPart, parts);
    }

    /// <summary>An integer product from rows quantized on the caller (a dense layer's samples, a convolution's windows), split
    /// as a float product of contiguous rows is (<see cref="ProductSplitFor"/>): by output panels, each part reading every
    /// quantized row, or, with more rows than output columns, by runs of 16 rows.</summary>
    public override void MultiplyQuantized(Span<float> quantized, int batch, PackedMatrix weights, ReadOnlySpan<float> bias,
        FusedActivation activation, Span<float> y)
    {
        (int parts, bool byRows) = ProductSplitFor(_team.Threads, batch, batch, weights.Rows, weights.Columns, _thresholds);
        if (parts == 1)
        {
            base.MultiplyQuantized(quantized, batch, weights, bias, activation, y);
            return;
        }
        (_batch, _weights, _activation, _integerByRows) = (batch, weights, activation, byRows);
        ProductRows.Units(batch, batch, out _units, out _alignment);
        RunPinned(quantized, bias, y, _runIntegerPart, parts); // the parts only read the quantized rows
    }

    public override void Depthwise(DepthwiseStage stage, ReadOnlySpan<float> image, FusedActivation activation, Span<float> output)
    {
        int parts = DepthwisePartsFor(_team.Threads, stage, _thresholds);
        if (parts == 1)
        {
            base.Depthwise(stage, image, activation, output);
            return;
        }
        (_depthwise, _activation) = (stage, activation);
        RunPinned(image, ReadOnlySpan<float>.Empty, output, _runDepthwisePart, parts);
    }

    public override void Map(ElementMap fast, ElementMap reference, ReadOnlySpan<float> x, Span<float> y)
    {
        _map = Path == KernelPath.Scalar ? reference : fast;
        Ranges(_mapRange, x, ReadOnlySpan<float>.Empty, y, x.Length, 1, MapAlignment);
    }

    public override void Ranges(RangeKernel kernel, ReadOnlySpan<float> x, ReadOnlySpan<float> a, Span<float> y, int units, int unitFloats, int alignment) =>
        RunRanges(kernel, x, a, y, units, alignment, RangePartsFor(_team.Threads, units, unitFloats, alignment, _thresholds));

    /// <summary><paramref name="kernel"/> over <paramref name="units"/> units in <paramref name="parts"/> ranges.</summary>
    private void RunRanges(RangeKernel kernel, ReadOnlySpan<float> x, ReadOnlySpan<float> a, Span<float> y, int units, int alignment, int parts)
    {
        if (parts == 1)
        {
            kernel(Path, x, a, y, 0, units);
            return;
        }
        (_range, _units, _alignment) = (kernel, units, alignment);
        RunPinned(x, a, y, _runRangePart, parts);
    }

    /// <summary>Runs <paramref name="part"/> on the team in <paramref name="parts"/> parts, with <paramref name="x"/>,
    /// <paramref name="a"/> and <paramref name="y"/> pinned in the fields the parts read (<see cref="X"/>, <see cref="A"/>,
    /// <see cref="Y"/>) while the caller waits.</summary>
    private void RunPinned(ReadOnlySpan<float> x, ReadOnlySpan<float> a, Span<float> y, Action<int, int> part, int parts)
    {
        fixed (float* px = x)
        fixed (float* pa = a)
        fixed (float* py = y)
        {
            _x = px;
            _a = pa;
            _y = py;
            (_xLength, _aLength, _yLength) = (x.Length, a.Length, y.Length);
            _team.Run(parts, part);
        }
    }

    private ReadOnlySpan<float> X => new(_x, _xLength);

    private ReadOnlySpan<float> A => new(_a, _aLength);

    private Span<float> Y => new(_y, _yLength);

    /// <summary>Units from part × units / parts up to the next part's, each boundary rounded down to a multiple of the
    /// alignment. Each unit's outputs depend on its inputs alone, so any cut gives the same bits.</summary>
    private (int Start, int End) Units(int part, int parts) =>
        (Boundary(part, parts), part + 1 == parts ? _units : Boundary(part + 1, parts));

    private int Boundary(int part, int parts) => (int)((long)part * _units / parts) / _alignment * _alignment;

    private void RunRangePart(int part, int parts)
    {
        (int start, int end) = Units(part, parts);
        _range!(Path, X, A, Y, start, end);
    }

    private void RunProductPart(int part, int parts) =>
        DenseKernel.RunRows(X, _batch, _rows, PanelWeights.Of(_weights!), _weights!.Rows, _weights.Columns, A, _activation, Y, Path,
            new PanelShare(part, parts));

    /// <summary>A part of <see cref="MultiplyQuantized"/>: its panels, or its runs of rows (<see cref="Units"/>) through every
    /// panel. The quantized rows were pinned as X; they are only read.</summary>
    private void RunIntegerPart(int part, int parts)
    {
        QuantizedRows rows = IntegerDenseKernel.QuantizedRowsIn(new Span<float>(_x, _xLength), _batch, _weights!.Rows);
        if (!_integerByRows)
        {
            IntegerDenseKernel.Multiply(rows, _batch, _weights, A, _activation, Y, Path, new PanelShare(part, parts));
            return;
        }
        (int start, int end) = Units(part, parts);
        IntegerDenseKernel.Multiply(rows.Slice(start, end - start), end - start, _weights, A, _activation,
            Y.Slice(start * _weights.Columns, (end - start) * _weights.Columns), Path, PanelShare.Whole);
    }

    /// <summary>Output rows from part × rows / parts up to the next part's.</summary>
    private void RunDepthwisePart(int part, int parts)
    {
        int rows = _depthwise!.OutputRows;
        DepthwiseRows(_depthwise, X, _activation, Y, part * rows / parts, (part + 1) * rows / parts);
    }
}
