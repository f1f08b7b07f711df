using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>
/// The scalar reference of <see cref="IntegerDenseKernel"/>, the definition element by element: each row quantized by
/// <see cref="DynamicQuantization.Reference"/>, then y(m, n) = act((float)(Σ_k (q(m, k) − z(m))·w(k, n)) · (s(m)·s_w(n)) + b(n)),
/// the sum exact in int32, read from the matrix's own panel-16 bytes (not its <see cref="IntegerPanels"/>, so the
/// rearrangement is checked too). The SIMD paths give the same bits.
/// </summary>
internal static class IntegerDenseReference
{
    public static void Run(ReadOnlySpan<float> x, int batch, PackedMatrix weights, ReadOnlySpan<float> bias, FusedActivation activation,
        Span<float> y, QuantizedRows rows)
    {
        int inputs = weights.Rows, outputs = weights.Columns;
        ReadOnlySpan<sbyte> q = weights.Quantized.Span;
        ReadOnlySpan<float> scales = weights.Scales.Span;
        for (int m = 0; m < batch; m++)
        {
            Span<ushort> row = rows.Row(m);
            (float scale, int zeroPoint) = DynamicQuantization.Reference(x.Slice(m * inputs, inputs), row);
            for (int n = 0; n < outputs; n++)
            {
                int sum = 0;
                for (int k = 0; k < inputs; k++)
                    sum += (row[k] - zeroPoint) * q[(n / PackedMatrix.PanelWidth * inputs + k) * PackedMatrix.PanelWidth + n % PackedMatrix.PanelWidth];
                float b = bias.IsEmpty ? 0f : bias[n];
                y[m * outputs + n] = activation.Apply(sum * (scale * scales[n]) + b);
            }
        }
    }
}
