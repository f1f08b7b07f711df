using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>
/// The scalar reference of <see cref="IntegerDenseKernel"/>'s products, the definition element by element: for rows
/// quantized by <see cref="DynamicQuantization.Reference"/>, y(m, n) = act((float)(Σ_k (q(m, k) − z(m))·w(k, n)) · (s(m)·s_w(n)) + b(n)),
/// the sum exact in int32, read from the matrix's own panel-16 bytes (not its <see cref="IntegerPanels"/>, so the
/// rearrangement is checked too). The SIMD paths give the same bits.
/// </summary>
internal static class IntegerDenseReference
{
    /// <summary>The outputs of the columns <paramref name="share"/> holds, from rows quantized by the reference quantizer.</summary>
    public static void Run(QuantizedRows rows, int batch, PackedMatrix weights, ReadOnlySpan<float> bias, FusedActivation activation,
        Span<float> y, PanelShare share)
    {
        int inputs = weights.Rows, outputs = weights.Columns;
        ReadOnlySpan<sbyte> q = weights.Quantized.Span;
        ReadOnlySpan<float> scales = weights.Scales.Span;
        for (int m = 0; m < batch; m++)
        {
            ReadOnlySpan<ushort> row = rows.Row(m);
            int zeroPoint = rows.ZeroPoints[m];
            float scale = rows.Scales[m];
            for (int n = 0; n < outputs; n++)
            {
                if (!share.Holds(n, outputs)) continue;
                int sum = 0;
                for (int k = 0; k < inputs; k++)
                    sum += (row[k] - zeroPoint) * q[(n / PackedMatrix.PanelWidth * inputs + k) * PackedMatrix.PanelWidth + n % PackedMatrix.PanelWidth];
                float b = bias.IsEmpty ? 0f : bias[n];
                y[m * outputs + n] = activation.Apply(sum * (scale * scales[n]) + b);
            }
        }
    }
}
