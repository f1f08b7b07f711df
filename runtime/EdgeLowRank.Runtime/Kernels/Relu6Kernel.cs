using System.Numerics;
using System.Runtime.CompilerServices;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>ReLU6, min(max(x, 0), 6): MobileNet's activation (PyTorch's <c>ReLU6</c>, ONNX's <c>Clip(x, 0, 6)</c>), kept within
/// the range an 8-bit activation can hold. <see cref="Run"/> maps <see cref="Vector{T}"/> lanes at a time; <see cref="Reference"/>
/// is the scalar oracle and the <see cref="KernelPath.Scalar"/> path. A max and a min round nothing, so both give the same bits.</summary>
internal static class Relu6Kernel
{
    /// <summary>y[i] = min(max(x[i], 0), 6) for every element (NaN stays NaN); <paramref name="y"/> may be <paramref name="x"/> itself.</summary>
    /// <exception cref="ArgumentException"><paramref name="y"/> is shorter than <paramref name="x"/>.</exception>
    public static void Run(ReadOnlySpan<float> x, Span<float> y) => VectorMap<Vector<float>, WideLanes, Relu6>.Run(x, y);

    /// <summary>The same, one element at a time: MathF.Max and MathF.Min keep a NaN and make max(−0, 0) +0, as Vector.Max and
    /// Vector.Min do.</summary>
    internal static void Reference(ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++) y[i] = MathF.Min(MathF.Max(x[i], 0f), 6f);
    }

    private readonly struct Relu6 : IVectorFunction<Vector<float>>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector<float> Apply(Vector<float> x) => Vector.Min(Vector.Max(x, Vector<float>.Zero), new Vector<float>(6f));
    }
}
