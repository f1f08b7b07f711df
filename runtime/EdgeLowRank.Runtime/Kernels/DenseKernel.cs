using System.Diagnostics;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>
/// The dense (fully connected) operation over a batch: Y[m, n] = act(bias[n] + Σ_k X[m, k]·W(k, n)),
/// with W in the panel layout of <see cref="PackedMatrix"/>. A single sample runs a memory-bound GEMV
/// that streams each panel once; a batch runs a register-blocked GEMM micro-kernel that streams each
/// panel once for up to six samples (eight with Vector512). Bias and activation are fused into the store. Allocates nothing.
/// </summary>
internal static class DenseKernel
{
    /// <summary>The smallest batch that runs the GEMM micro-kernel rather than one GEMV per row. Measured
    /// here on 784→300→100→10: at batches 2 and 3 the GEMM's 2- and 3-row blocks already beat a GEMV
    /// per row (23 vs 25 µs and 26 vs 36 µs with Vector256; about 2x with Vector128), because the
    /// weights are streamed once instead of once per row.</summary>
    internal const int GemmMinBatch = 2;

    /// <summary>Computes one dense layer for a batch.</summary>
    /// <param name="x">X: <paramref name="batch"/>×<paramref name="inputs"/>, row-major, contiguous.</param>
    /// <param name="batch">M, the number of samples (0 does nothing).</param>
    /// <param name="packedWeights">W packed as <see cref="PackedMatrix.Data"/>
    /// (<see cref="PackedMatrix.PackedLength"/>(<paramref name="inputs"/>, <paramref name="outputs"/>) floats).</param>
    /// <param name="inputs">K, the number of inputs (at least 1).</param>
    /// <param name="outputs">N, the number of outputs (at least 1).</param>
    /// <param name="bias">One float per output, or empty for no bias.</param>
    /// <param name="activation">The activation fused into the store.</param>
    /// <param name="y">Y: <paramref name="batch"/>×<paramref name="outputs"/>, row-major, contiguous; must not overlap <paramref name="x"/>.</param>
    /// <param name="path">The instruction width; <see cref="KernelPath.Auto"/> picks <see cref="KernelPaths.Best"/>.</param>
    /// <exception cref="ArgumentException">A length or dimension disagrees with the others, or <paramref name="y"/> overlaps <paramref name="x"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="activation"/> or <paramref name="path"/> is not a defined value.</exception>
    /// <exception cref="NotSupportedException">The requested path is not hardware-accelerated here.</exception>
    public static void Run(ReadOnlySpan<float> x, int batch, ReadOnlySpan<float> packedWeights, int inputs, int outputs,
        ReadOnlySpan<float> bias, Activation activation, Span<float> y, KernelPath path = KernelPath.Auto)
    {
        Validate(x, batch, inputs, outputs, bias, activation, y);
        long packed = PackedMatrix.PackedLength(inputs, outputs);
        if (packedWeights.Length != packed)
            throw new ArgumentException(
                $"The packed weights hold {packedWeights.Length} floats; a {inputs}×{outputs} matrix packed in panels of "
                + $"{PackedMatrix.PanelWidth} holds {packed}. Pack it with PackedMatrix.PackInto.", nameof(packedWeights));
        RunValidated(x, batch, PanelWeights.Float32(packedWeights), inputs, outputs, bias, activation, y, KernelPaths.Resolve(path));
    }

    /// <summary>Computes one dense layer for a batch with the weights of <paramref name="weights"/>, f32 or int8 (widened to
    /// f32 in registers as the kernel reads them; the column scales multiply the sums). Allocates nothing.</summary>
    /// <param name="x">X: <paramref name="batch"/>×K, row-major, contiguous.</param>
    /// <param name="batch">M, the number of samples (0 does nothing).</param>
    /// <param name="weights">W, K×N.</param>
    /// <param name="bias">One float per output, or empty for no bias.</param>
    /// <param name="activation">The activation fused into the store.</param>
    /// <param name="y">Y: <paramref name="batch"/>×N, row-major, contiguous; must not overlap <paramref name="x"/>.</param>
    /// <param name="path">The instruction width; <see cref="KernelPath.Auto"/> picks <see cref="KernelPaths.Best"/>.</param>
    /// <exception cref="ArgumentException">A length or dimension disagrees with the others, or <paramref name="y"/> overlaps <paramref name="x"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="activation"/> or <paramref name="path"/> is not a defined value.</exception>
    /// <exception cref="NotSupportedException">The requested path is not hardware-accelerated here.</exception>
    public static void Run(ReadOnlySpan<float> x, int batch, PackedMatrix weights, ReadOnlySpan<float> bias, Activation activation,
        Span<float> y, KernelPath path = KernelPath.Auto)
    {
        ArgumentNullException.ThrowIfNull(weights);
        Validate(x, batch, weights.Rows, weights.Columns, bias, activation, y);
        RunValidated(x, batch, PanelWeights.Of(weights), weights.Rows, weights.Columns, bias, activation, y, KernelPaths.Resolve(path));
    }

    /// <summary>The same operation without argument checks, for callers that validated the shapes once
    /// (the inference session, at load): its hot loop then pays no checks per layer and run.
    /// <paramref name="path"/> must already be resolved (not <see cref="KernelPath.Auto"/>).</summary>
    internal static void RunValidated(ReadOnlySpan<float> x, int batch, PanelWeights weights, int inputs, int outputs,
        ReadOnlySpan<float> bias, Activation activation, Span<float> y, KernelPath path) =>
        RunRows(x, batch, InputRows.Contiguous(batch, inputs), weights, inputs, outputs, bias, FusedActivation.Of(activation), y, path, PanelShare.Whole);

    /// <summary><see cref="RunValidated"/> with the rows of X where <paramref name="rows"/> says: how a convolution
    /// multiplies its windows in place (<see cref="ImplicitConvolution"/>). <paramref name="batch"/> is a multiple of its groups.
    /// Only the output panels of <paramref name="share"/> are computed: how a layer is split across threads.</summary>
    internal static void RunRows(ReadOnlySpan<float> x, int batch, in InputRows rows, PanelWeights weights, int inputs, int outputs,
        ReadOnlySpan<float> bias, FusedActivation activation, Span<float> y, KernelPath path, PanelShare share)
    {
        Debug.Assert(rows.Inputs == inputs && y.Length == batch * outputs && !x.Overlaps(y));
        Debug.Assert(weights.Length == PackedMatrix.PackedLength(inputs, outputs) && path != KernelPath.Auto);
        switch (path)
        {
            case KernelPath.Vector512 when KernelPaths.Vector512Compiled: Simd<PanelRow512>(x, batch, rows, weights, inputs, outputs, bias, activation, y, share); break;
            case KernelPath.Vector256 when KernelPaths.Vector256Compiled: Simd<PanelRow256>(x, batch, rows, weights, inputs, outputs, bias, activation, y, share); break;
            case KernelPath.Vector128: Simd<PanelRow128>(x, batch, rows, weights, inputs, outputs, bias, activation, y, share); break;
            default: DenseReference.Run(x, batch, rows, weights, inputs, outputs, bias, activation, y, share); break;
        }
    }

    /// <summary>The SIMD driver for the weights' element type.</summary>
    private static void Simd<TRow>(ReadOnlySpan<float> x, int batch, in InputRows rows, PanelWeights weights, int inputs, int outputs,
        ReadOnlySpan<float> bias, FusedActivation activation, Span<float> y, PanelShare share) where TRow : struct, IPanelRow<TRow>
    {
        if (weights.IsQuantized) DenseSimd<TRow, Int8Rows<TRow>>.Run(x, batch, rows, weights, inputs, outputs, bias, activation, y, share);
        else DenseSimd<TRow, Float32Rows<TRow>>.Run(x, batch, rows, weights, inputs, outputs, bias, activation, y, share);
    }

    /// <summary>The argument checks of a dense product's public entries (also <see cref="IntegerDenseKernel"/>'s).</summary>
    internal static void Validate(ReadOnlySpan<float> x, int batch, int inputs, int outputs,
        ReadOnlySpan<float> bias, Activation activation, Span<float> y)
    {
        if (batch < 0) throw new ArgumentOutOfRangeException(nameof(batch), batch, "The batch size cannot be negative.");
        if (inputs < 1 || outputs < 1)
            throw new ArgumentException($"A dense layer needs at least one input and one output, not {inputs}→{outputs}.");
        if (x.Length != (long)batch * inputs)
            throw new ArgumentException($"X holds {x.Length} floats; a batch of {batch} × {inputs} inputs needs {(long)batch * inputs}.", nameof(x));
        if (y.Length != (long)batch * outputs)
            throw new ArgumentException($"Y holds {y.Length} floats; a batch of {batch} × {outputs} outputs needs {(long)batch * outputs}.", nameof(y));
        if (!bias.IsEmpty && bias.Length != outputs)
            throw new ArgumentException($"The bias holds {bias.Length} floats; expected {outputs} (one per output) or none.", nameof(bias));
        if (activation is not (Activation.None or Activation.Relu))
            throw new ArgumentOutOfRangeException(nameof(activation), activation, "The dense kernel fuses None or Relu.");
        if (x.Overlaps(y))
            throw new ArgumentException("Y overlaps X; the kernel reads every input row for every panel, so it cannot run in place.", nameof(y));
    }
}
