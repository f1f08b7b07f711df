using System.Diagnostics;
using System.Numerics.Tensors;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>Softmax over each row of a batch: y = exp(x − max x) / Σ exp(x − max x). The vectorized
/// path runs on TensorPrimitives; <see cref="Reference"/> is the scalar oracle and the <see cref="KernelPath.Scalar"/> path.</summary>
internal static class SoftmaxKernel
{
    /// <summary>Computes the softmax of every row; <paramref name="y"/> may be <paramref name="x"/> itself (in place).</summary>
    /// <param name="x">A <paramref name="batch"/>×<paramref name="length"/> row-major matrix.</param>
    /// <param name="batch">The number of rows (0 does nothing).</param>
    /// <param name="length">The number of elements per row (at least 1).</param>
    /// <param name="y">The result, same size as <paramref name="x"/>: the same span or one that does not overlap it.</param>
    /// <exception cref="ArgumentException">A size disagrees, or <paramref name="y"/> partly overlaps <paramref name="x"/>.</exception>
    internal static void Run(ReadOnlySpan<float> x, int batch, int length, Span<float> y)
    {
        if (batch < 0) throw new ArgumentOutOfRangeException(nameof(batch), batch, "The batch size cannot be negative.");
        if (length < 1) throw new ArgumentOutOfRangeException(nameof(length), length, "A softmax row needs at least one element.");
        if (x.Length != (long)batch * length)
            throw new ArgumentException($"X holds {x.Length} floats; {batch} rows of {length} need {(long)batch * length}.", nameof(x));
        if (y.Length != x.Length)
            throw new ArgumentException($"Y holds {y.Length} floats; it must match X ({x.Length}).", nameof(y));
        if (x.Overlaps(y, out int offset) && offset != 0)
            throw new ArgumentException("Y partly overlaps X; pass the same span to run in place, or a separate one.", nameof(y));
        RunValidated(x, batch, length, y);
    }

    /// <summary>The same without argument checks, for the inference session, whose memory plan fixed the
    /// sizes and the in-place choice at load: its per-run loop pays no checks.</summary>
    internal static void RunValidated(ReadOnlySpan<float> x, int batch, int length, Span<float> y)
    {
        Debug.Assert(length >= 1 && x.Length == batch * length && y.Length == x.Length);
        for (int m = 0; m < batch; m++)
        {
            ReadOnlySpan<float> row = x.Slice(m * length, length);
            Span<float> result = y.Slice(m * length, length);
            // Subtracting the maximum keeps every exponent ≤ 0: no overflow for large logits,
            // and the largest term is exactly 1, so the sum never underflows to 0.
            TensorPrimitives.Subtract(row, TensorPrimitives.Max(row), result);
            TensorPrimitives.Exp(result, result);
            TensorPrimitives.Divide(result, TensorPrimitives.Sum(result), result);
        }
    }

    /// <summary>The scalar oracle, with the contract of <see cref="RunValidated"/> (in place allowed):
    /// the same max-subtracted form, one element at a time.</summary>
    internal static void Reference(ReadOnlySpan<float> x, int batch, int length, Span<float> y)
    {
        Debug.Assert(length >= 1 && x.Length == batch * length && y.Length == x.Length);
        for (int m = 0; m < batch; m++)
        {
            ReadOnlySpan<float> row = x.Slice(m * length, length);
            Span<float> result = y.Slice(m * length, length);
            float max = row[0];
            for (int i = 1; i < length; i++) max = MathF.Max(max, row[i]);
            float sum = 0f;
            for (int i = 0; i < length; i++)
            {
                result[i] = MathF.Exp(row[i] - max);
                sum += result[i];
            }
            for (int i = 0; i < length; i++) result[i] /= sum;
        }
    }
}
