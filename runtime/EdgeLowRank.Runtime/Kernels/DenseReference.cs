namespace EdgeLowRank.Runtime.Kernels;

/// <summary>
/// The plain scalar dense operation: the oracle every SIMD path is tested against, and the
/// <see cref="KernelPath.Scalar"/> path. It reads the packed layout element by element, exactly as
/// the definition says (an int8 element times its column's scale), and is deliberately not optimized.
/// </summary>
internal static class DenseReference
{
    /// <summary>The same contract as <see cref="DenseKernel.Run(ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, int, ReadOnlySpan{float}, Layers.Activation, Span{float}, KernelPath)"/>, with row m's input k at
    /// <paramref name="x"/>[<paramref name="rows"/>.Offset(m, k)], read run by run, for the output columns of
    /// <paramref name="share"/>; arguments are already validated.</summary>
    public static void Run(ReadOnlySpan<float> x, int batch, InputRows rows, PanelWeights weights, int inputs, int outputs,
        ReadOnlySpan<float> bias, FusedActivation activation, Span<float> y, PanelShare share)
    {
        for (int m = 0; m < batch; m++)
        {
            int rowStart = rows.RowStart(m);
            for (int n = 0; n < outputs; n++)
            {
                if (!share.Holds(n, outputs)) continue;
                float sum = 0;
                for (int run = 0, k = 0; run < rows.Segments; run++)
                    for (int j = 0; j < rows.SegmentLength; j++, k++)
                        sum += x[rowStart + run * rows.SegmentStride + j] * weights.Element(k, n, inputs);
                if (!bias.IsEmpty) sum += bias[n];
                y[m * outputs + n] = activation.Apply(sum);
            }
        }
    }
}
