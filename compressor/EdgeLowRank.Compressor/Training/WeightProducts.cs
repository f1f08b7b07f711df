using System.Numerics.Tensors;
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
/// </summary>
internal sealed class WeightProducts
{
    /// <summary>Rows of X per weight-gradient block: a 16-column panel of 512 rows is 32 KB.</summary>
    internal const int BlockRows = 512;

    private readonly int _inputs;
    private readonly int _outputs;
    private readonly float[] _packedForward;
    private readonly float[] _packedBackward;
    private float[][] _transposedGradient = [];
    private float[][] _packedInput = [];
    private float[][] _partials = [];
    private int _blockRows;

    public WeightProducts(int inputs, int outputs)
    {
        _inputs = inputs;
        _outputs = outputs;
        _packedForward = new float[PackedMatrix.PackedLength(inputs, outputs)];
        _packedBackward = new float[PackedMatrix.PackedLength(outputs, inputs)];
    }

    /// <summary>Sizes the weight-gradient scratch for up to <paramref name="maxRows"/> rows of X.</summary>
    public void Reserve(int maxRows)
    {
        _blockRows = Math.Min(maxRows, BlockRows);
        _transposedGradient = [];
        _packedInput = [];
        int blocks = (maxRows + BlockRows - 1) / BlockRows;
        _partials = blocks <= 1 ? [] : Enumerable.Range(0, blocks).Select(_ => new float[_outputs * _inputs]).ToArray();
    }

    /// <summary>Y[rows × outputs] = X[rows × inputs]·Wᵀ + b.</summary>
    public void Forward(float[] x, int rows, float[] weight, float[]? bias, float[] y, ComputeThreads threads)
    {
        PackedMatrix.PackInto(weight, _inputs, _outputs, transposed: true, _packedForward);
        Multiply(x, rows, _packedForward, _inputs, _outputs, bias, y, threads);
    }

    /// <summary>dX[rows × inputs] = dY[rows × outputs]·W.</summary>
    public void InputGradient(float[] outputGradient, int rows, float[] weight, float[] inputGradient, ComputeThreads threads)
    {
        PackedMatrix.PackInto(weight, _outputs, _inputs, transposed: false, _packedBackward);
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

        threads.ForItems(blocks, (worker, block) =>
        {
            int start = block * BlockRows;
            int count = Math.Min(BlockRows, rows - start);
            PrepareBlock(x, outputGradient, start, count, worker);
            DenseKernel.Run(_transposedGradient[worker].AsSpan(0, _outputs * count), _outputs,
                _packedInput[worker].AsSpan(0, (int)PackedMatrix.PackedLength(count, _inputs)), count, _inputs,
                ReadOnlySpan<float>.Empty, Activation.None, _partials[block]);
        });
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
        Span<float> transposed = _transposedGradient[worker].AsSpan(0, _outputs * count);
        ReadOnlySpan<float> gradient = outputGradient.AsSpan(start * _outputs, count * _outputs);
        for (int r = 0; r < count; r++)
        {
            ReadOnlySpan<float> row = gradient.Slice(r * _outputs, _outputs);
            for (int o = 0; o < row.Length; o++) transposed[o * count + r] = row[o];
        }
        PackedMatrix.PackInto(x.AsSpan(start * _inputs, count * _inputs), count, _inputs, transposed: false,
            _packedInput[worker].AsSpan(0, (int)PackedMatrix.PackedLength(count, _inputs)));
    }
}
