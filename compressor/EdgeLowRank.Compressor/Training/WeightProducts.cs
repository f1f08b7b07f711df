using System.Diagnostics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Training;

/// <summary>
/// The three matrix products of a layer whose weight W is stored output-major (outputs × inputs),
/// all run by the runtime's packed GEMM (<see cref="DenseKernel"/>), so training and inference share
/// one kernel:
/// <list type="bullet">
/// <item>forward Y = X·Wᵀ + b: W packed as the inputs × outputs matrix the kernel reads;</item>
/// <item>input gradient dX = dY·W: W packed as the outputs × inputs matrix;</item>
/// <item>weight gradient dW = dYᵀ·X: dY transposed into rows, X packed as the right-hand matrix.
/// A long X (a convolution's patches: batch × pixels rows) is cut into blocks of
/// <see cref="BlockRows"/> rows so each packed panel stays in cache; the blocks' partial products
/// are added in block order, so the sum does not depend on the thread count.</item>
/// </list>
/// A shard replica (<see cref="WeightProducts(WeightProducts)"/>) shares its primary's packed weights:
/// the trainer packs them once per step (<see cref="PackWeights"/>, panels split between the threads)
/// and every shard of the batch reads them.
/// </summary>
internal sealed class WeightProducts
{
    /// <summary>Rows of X per weight-gradient block: a 16-column panel of 512 rows is 32 KB.</summary>
    internal const int BlockRows = 512;

    private const int Width = PackedMatrix.PanelWidth;

    private readonly int _inputs;
    private readonly int _outputs;
    private readonly float[] _packedForward;
    private readonly float[] _packedBackward;
    private readonly bool _sharesPacking;
    private float[][] _transposedGradient = [];
    private float[][] _packedInput = [];
    private float[][] _partials = [];
    private float[] _blockProduct = [];
    private int _blockRows;

    public WeightProducts(int inputs, int outputs)
    {
        _inputs = inputs;
        _outputs = outputs;
        _packedForward = new float[PackedMatrix.PackedLength(inputs, outputs)];
        _packedBackward = new float[PackedMatrix.PackedLength(outputs, inputs)];
    }

    /// <summary>A replica for one shard of a batch: its own scratch, the primary's packed weights
    /// (which it never packs itself: <see cref="PackWeights"/> on the primary does).</summary>
    public WeightProducts(WeightProducts primary)
    {
        _inputs = primary._inputs;
        _outputs = primary._outputs;
        _packedForward = primary._packedForward;
        _packedBackward = primary._packedBackward;
        _sharesPacking = true;
    }

    /// <summary>Sizes the weight-gradient scratch for up to <paramref name="maxRows"/> rows of X.</summary>
    public void Reserve(int maxRows)
    {
        _blockRows = Math.Min(maxRows, BlockRows);
        _transposedGradient = [];
        _packedInput = [];
        _blockProduct = [];
        int blocks = (maxRows + BlockRows - 1) / BlockRows;
        _partials = blocks <= 1 || _sharesPacking ? [] : Enumerable.Range(0, blocks).Select(_ => new float[_outputs * _inputs]).ToArray();
    }

    /// <summary>Packs W for the forward pass and, if <paramref name="backward"/>, for the input gradient,
    /// the panels split between the threads. The result is the same as <see cref="PackedMatrix.PackInto"/>'s.</summary>
    public void PackWeights(float[] weight, bool backward, ComputeThreads threads)
    {
        int forwardPanels = PackedMatrix.PanelsFor(_outputs), backwardPanels = backward ? PackedMatrix.PanelsFor(_inputs) : 0;
        threads.ForItems(forwardPanels + backwardPanels, (_, item) =>
        {
            if (item < forwardPanels) PackTransposedPanel(weight, _inputs, _outputs, item, _packedForward);
            else PackPanel(weight, _outputs, _inputs, item - forwardPanels, _packedBackward);
        });
    }

    /// <summary>Y[rows × outputs] = X[rows × inputs]·Wᵀ + b.</summary>
    public void Forward(float[] x, int rows, float[] weight, float[]? bias, float[] y, ComputeThreads threads)
    {
        if (!_sharesPacking) PackedMatrix.PackInto(weight, _inputs, _outputs, transposed: true, _packedForward);
        Multiply(x, rows, _packedForward, _inputs, _outputs, bias, y, threads);
    }

    /// <summary>dX[rows × inputs] = dY[rows × outputs]·W.</summary>
    public void InputGradient(float[] outputGradient, int rows, float[] weight, float[] inputGradient, ComputeThreads threads)
    {
        if (!_sharesPacking) PackedMatrix.PackInto(weight, _outputs, _inputs, transposed: false, _packedBackward);
        Multiply(outputGradient, rows, _packedBackward, _outputs, _inputs, null, inputGradient, threads);
    }

    /// <summary>dW[outputs × inputs] = dY[rows × outputs]ᵀ·X[rows × inputs].</summary>
    public void WeightGradient(float[] x, float[] outputGradient, int rows, float[] weightGradient, ComputeThreads threads)
    {
        int blocks = (rows + BlockRows - 1) / BlockRows;
        EnsureWorkers(threads.Count);
        if (blocks == 1)
        {
            // One block: prepare it once, then split the outputs (the GEMM's rows) between the threads.
            PrepareBlock(x, outputGradient, 0, rows, worker: 0);
            float[] transposed = _transposedGradient[0];
            float[] packed = _packedInput[0];
            threads.ForRows(_outputs, (start, count) => DenseKernel.Run(
                transposed.AsSpan(start * rows, count * rows), count, packed.AsSpan(0, (int)PackedMatrix.PackedLength(rows, _inputs)),
                rows, _inputs, ReadOnlySpan<float>.Empty, Activation.None, weightGradient.AsSpan(start * _inputs, count * _inputs)));
            return;
        }

        if (threads.Count == 1)
        {
            // One thread: the same block products added in the same order as the partials below,
            // without a buffer per block.
            if (_blockProduct.Length == 0) _blockProduct = new float[_outputs * _inputs];
            BlockProduct(x, outputGradient, 0, rows, 0, weightGradient);
            for (int block = 1; block < blocks; block++)
            {
                BlockProduct(x, outputGradient, block, rows, 0, _blockProduct);
                TensorPrimitives.Add(weightGradient, _blockProduct, weightGradient);
            }
            return;
        }

        if (_partials.Length < blocks) _partials = Enumerable.Range(0, blocks).Select(_ => new float[_outputs * _inputs]).ToArray();
        threads.ForItems(blocks, (worker, block) => BlockProduct(x, outputGradient, block, rows, worker, _partials[block]));
        _partials[0].CopyTo(weightGradient, 0);
        for (int block = 1; block < blocks; block++)
            TensorPrimitives.Add(weightGradient, _partials[block], weightGradient);
    }

    /// <summary>db[o] = Σ_rows dY[row, o], summed in row order.</summary>
    public void BiasGradient(float[] outputGradient, int rows, float[] biasGradient)
    {
        Span<float> sum = biasGradient;
        sum.Clear();
        for (int r = 0; r < rows; r++)
            TensorPrimitives.Add(sum, outputGradient.AsSpan(r * _outputs, _outputs), sum);
    }

    /// <summary>Block <paramref name="block"/>'s product dYᵀ·X (outputs × inputs) into <paramref name="target"/>.</summary>
    private void BlockProduct(float[] x, float[] outputGradient, int block, int rows, int worker, float[] target)
    {
        int start = block * BlockRows;
        int count = Math.Min(BlockRows, rows - start);
        PrepareBlock(x, outputGradient, start, count, worker);
        DenseKernel.Run(_transposedGradient[worker].AsSpan(0, _outputs * count), _outputs,
            _packedInput[worker].AsSpan(0, (int)PackedMatrix.PackedLength(count, _inputs)), count, _inputs,
            ReadOnlySpan<float>.Empty, Activation.None, target.AsSpan(0, _outputs * _inputs));
    }

    /// <summary>Gives every worker its block scratch (once per thread count, not per step).</summary>
    private void EnsureWorkers(int workers)
    {
        if (_packedInput.Length >= workers) return;
        _transposedGradient = Enumerable.Range(0, workers).Select(_ => new float[_outputs * _blockRows]).ToArray();
        _packedInput = Enumerable.Range(0, workers).Select(_ => new float[PackedMatrix.PackedLength(_blockRows, _inputs)]).ToArray();
    }

    private static void Multiply(float[] x, int rows, float[] packed, int inputs, int outputs, float[]? bias, float[] y, ComputeThreads threads) =>
        threads.ForRows(rows, (start, count) => DenseKernel.Run(
            x.AsSpan(start * inputs, count * inputs), count, packed, inputs, outputs,
            bias, Activation.None, y.AsSpan(start * outputs, count * outputs)));

    /// <summary>Transposes dY's rows [start, start + count) into outputs × count and packs X's rows as a count × inputs matrix.</summary>
    private void PrepareBlock(float[] x, float[] outputGradient, int start, int count, int worker)
    {
        Transpose(outputGradient.AsSpan(start * _outputs, count * _outputs), count, _outputs, _transposedGradient[worker].AsSpan(0, _outputs * count));
        Span<float> packed = _packedInput[worker].AsSpan(0, (int)PackedMatrix.PackedLength(count, _inputs));
        for (int panel = 0; panel < PackedMatrix.PanelsFor(_inputs); panel++)
            PackPanel(x.AsSpan(start * _inputs, count * _inputs), count, _inputs, panel, packed);
    }

    /// <summary>destination (columns × rows) = sourceᵀ, in 8×8 tiles so both sides stay in a few cache lines.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Transpose(ReadOnlySpan<float> source, int rows, int columns, Span<float> destination)
    {
        const int Tile = 8;
        for (int r0 = 0; r0 < rows; r0 += Tile)
        {
            int r1 = Math.Min(rows, r0 + Tile);
            for (int c0 = 0; c0 < columns; c0 += Tile)
            {
                int c1 = Math.Min(columns, c0 + Tile);
                for (int r = r0; r < r1; r++)
                {
                    ReadOnlySpan<float> row = source.Slice(r * columns, columns);
                    for (int c = c0; c < c1; c++) destination[c * rows + r] = row[c];
                }
            }
        }
    }

    /// <summary>Panel <paramref name="panel"/> of the row-major rows × columns matrix <paramref name="source"/>,
    /// in <see cref="PackedMatrix"/>'s layout (zero padding included).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void PackPanel(ReadOnlySpan<float> source, int rows, int columns, int panel, Span<float> destination)
    {
        int n0 = panel * Width, width = Math.Min(Width, columns - n0);
        Debug.Assert(source.Length >= rows * columns && destination.Length >= (panel + 1) * rows * Width);
        Span<float> target = destination.Slice(panel * rows * Width, rows * Width);
        if (width == Width && Vector256.IsHardwareAccelerated)
        {
            // Two vector moves per row: a span copy per 64 bytes costs more in calls than in bytes
            // (packing the patches of a LeNet-5 shard was 10% of its step).
            ref float from = ref Unsafe.Add(ref MemoryMarshal.GetReference(source), n0);
            ref float to = ref MemoryMarshal.GetReference(target);
            for (int k = 0; k < rows; k++)
            {
                nuint s = (nuint)k * (nuint)columns, d = (nuint)(k * Width);
                Vector256.LoadUnsafe(ref from, s).StoreUnsafe(ref to, d);
                Vector256.LoadUnsafe(ref from, s + 8).StoreUnsafe(ref to, d + 8);
            }
            return;
        }
        if (width == Width)
        {
            for (int k = 0; k < rows; k++) source.Slice(k * columns + n0, Width).CopyTo(target.Slice(k * Width, Width));
            return;
        }
        target.Clear();
        for (int k = 0; k < rows; k++)
        {
            ReadOnlySpan<float> from = source.Slice(k * columns + n0, width);
            Span<float> row = target.Slice(k * Width, width);
            for (int j = 0; j < from.Length; j++) row[j] = from[j];
        }
    }

    /// <summary>Panel <paramref name="panel"/> of the rows × columns matrix whose transpose (columns × rows,
    /// output-major) is <paramref name="source"/>: each of the panel's columns is one contiguous source row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void PackTransposedPanel(ReadOnlySpan<float> source, int rows, int columns, int panel, Span<float> destination)
    {
        int n0 = panel * Width, width = Math.Min(Width, columns - n0);
        Span<float> target = destination.Slice(panel * rows * Width, rows * Width);
        if (width < Width) target.Clear();
        for (int j = 0; j < width; j++)
        {
            ReadOnlySpan<float> column = source.Slice((n0 + j) * rows, rows);
            for (int k = 0; k < rows; k++) target[k * Width + j] = column[k];
        }
    }
}
