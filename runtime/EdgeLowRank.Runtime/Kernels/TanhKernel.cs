using System.Numerics;
using System.Runtime.CompilerServices;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>
/// The stand-alone tanh (format 1.4), <see cref="Vector{T}"/> lanes at a time through <see cref="VectorMap{TVector, TLanes, TFunction}"/>.
/// Not TensorPrimitives.Tanh: its vector path gives tanh(0) = −5.96e-8 (−2⁻²⁴) and is 18 units in the last place off at
/// 0.028, while its scalar tail gives other values, so a sample's result would depend on the batch. Here tanh is odd bit
/// for bit, tanh(±0) = ±0, and every result is within 2 units in the last place of the float64 value (SquashKernelTests checks
/// it on [−3, 3] and at ±0, 1e-30, 1e-7 and around the series limit; beyond, it is ±1 or the float next to it). <see cref="Reference"/>, MathF.Tanh, is the scalar oracle and the
/// <see cref="KernelPath.Scalar"/> path.
/// </summary>
internal static class TanhKernel
{
    /// <summary>y[i] = tanh(x[i]) for every element; <paramref name="y"/> may be <paramref name="x"/> itself.</summary>
    /// <exception cref="ArgumentException"><paramref name="y"/> is shorter than <paramref name="x"/>.</exception>
    public static void Run(ReadOnlySpan<float> x, Span<float> y) => VectorMap<Vector<float>, WideLanes, Tanh>.Run(x, y);

    /// <summary>The scalar oracle: MathF.Tanh, one element at a time.</summary>
    internal static void Reference(ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++) y[i] = MathF.Tanh(x[i]);
    }

    /// <summary>tanh of |x|, given x's sign at the end, so the function is odd exactly.</summary>
    private readonly struct Tanh : IVectorFunction<Vector<float>>
    {
        /// <summary>Below this |x|, the odd Taylor series through x¹⁷ (under half a unit in the last place of error there);
        /// above, 1 − 2 / (e^{2|x|} + 1), whose cancellation costs less than a bit from here on.</summary>
        private const float SeriesLimit = 0.625f;

        [MethodImpl(MethodImplOptions.AggressiveInlining)] // into VectorMap's loop: a call per vector costs as much as the work
        public Vector<float> Apply(Vector<float> x)
        {
            Vector<float> a = Vector.Abs(x);
            Vector<float> square = a * a;
            // tanh a = a + a·s·p(s), s = a², with the Taylor coefficients 2^{2n}(2^{2n}−1)B_{2n}/(2n)!, by Horner.
            var p = new Vector<float>(0.000590027440945586f);
            p = VectorMath.MultiplyAdd(p, square, new Vector<float>(-0.0014558343870513183f));
            p = VectorMath.MultiplyAdd(p, square, new Vector<float>(0.003592128036572481f));
            p = VectorMath.MultiplyAdd(p, square, new Vector<float>(-0.008863235529902197f));
            p = VectorMath.MultiplyAdd(p, square, new Vector<float>(0.021869488536155203f));
            p = VectorMath.MultiplyAdd(p, square, new Vector<float>(-0.05396825396825397f));
            p = VectorMath.MultiplyAdd(p, square, new Vector<float>(0.13333333333333333f));
            p = VectorMath.MultiplyAdd(p, square, new Vector<float>(-0.3333333333333333f));
            Vector<float> series = VectorMath.MultiplyAdd(a * square, p, a);
            // Beyond a ≈ 9.01, 1 − 2/(e^{2a} + 1) rounds to 1 in single precision: the argument is capped at 44 (a = 22),
            // well past that and within the exp kernel's range; NaN stays NaN.
            Vector<float> twice = Vector.Min(a + a, new Vector<float>(44f));
            Vector<float> large = Vector<float>.One - new Vector<float>(2f) / (VectorExp.Exp(twice) + Vector<float>.One);
            Vector<float> magnitude = Vector.ConditionalSelect(Vector.LessThan(a, new Vector<float>(SeriesLimit)), series, large);
            return Vector.ConditionalSelect(new Vector<float>(-0f), x, magnitude); // x's sign bit, the magnitude's others
        }
    }
}
