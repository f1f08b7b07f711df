using System.Numerics;
using System.Runtime.CompilerServices;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>Arithmetic the element-wise vector kernels share.</summary>
internal static class VectorMath
{
    /// <summary>a·b + c, fused where the CPU has FMA (arm64, x86-64-v3 and up: one rounding, one instruction), a multiply
    /// and an add elsewhere.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> MultiplyAdd(Vector<float> a, Vector<float> b, Vector<float> c) => Vector.MultiplyAddEstimate(a, b, c);
}
