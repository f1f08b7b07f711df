using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>Loads, stores and the arithmetic the image loops need, of one vector type, so one loop serves several widths
/// (<see cref="PoolLoop{TVector, TLanes, TPooling}"/>, <see cref="DepthwiseLoop{TVector, TLanes}"/>).</summary>
internal interface IVectorLanes<TVector>
{
    /// <summary>Floats per vector.</summary>
    static abstract int Count { get; }

    /// <summary>The vector at <paramref name="source"/> + <paramref name="offset"/> floats (no bounds check).</summary>
    static abstract TVector Load(ref float source, nuint offset);

    /// <summary>Writes <paramref name="value"/> at <paramref name="target"/> + <paramref name="offset"/> floats (no bounds check).</summary>
    static abstract void Store(TVector value, ref float target, nuint offset);

    /// <summary>Every lane 0.</summary>
    static abstract TVector Zero { get; }

    /// <summary>a·b + c lane by lane, fused where the CPU has FMA (<see cref="VectorMath.MultiplyAdd"/>).</summary>
    static abstract TVector MultiplyAdd(TVector a, TVector b, TVector c);

    /// <summary>max(x, 0) lane by lane (NaN stays NaN, as <see cref="MathF.Max(float, float)"/>).</summary>
    static abstract TVector Relu(TVector x);
}

/// <summary><see cref="Vector{T}"/>: the widest width up to 256 bits the CPU accelerates (4 lanes on arm64, 8 with AVX2).</summary>
internal readonly struct WideLanes : IVectorLanes<Vector<float>>
{
    public static int Count => Vector<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Load(ref float source, nuint offset) => Vector.LoadUnsafe(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector<float> value, ref float target, nuint offset) => value.StoreUnsafe(ref target, offset);

    public static Vector<float> Zero => Vector<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> MultiplyAdd(Vector<float> a, Vector<float> b, Vector<float> c) => VectorMath.MultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Relu(Vector<float> x) => Vector.Max(x, Vector<float>.Zero);
}

/// <summary><see cref="Vector128{T}"/>: four lanes, for rows too narrow for <see cref="WideLanes"/> on x64.</summary>
internal readonly struct NarrowLanes : IVectorLanes<Vector128<float>>
{
    public static int Count => Vector128<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load(ref float source, nuint offset) => Vector128.LoadUnsafe(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<float> value, ref float target, nuint offset) => value.StoreUnsafe(ref target, offset);

    public static Vector128<float> Zero => Vector128<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) => Vector128.MultiplyAddEstimate(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Relu(Vector128<float> x) => Vector128.Max(x, Vector128<float>.Zero);
}

/// <summary>One float: the vector loops run lane by lane, for images too narrow for <see cref="NarrowLanes"/> (one to
/// three channels), keeping the loops' clipped windows and unchecked addressing.</summary>
internal readonly struct SingleLane : IVectorLanes<float>
{
    public static int Count => 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Load(ref float source, nuint offset) => Unsafe.Add(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float value, ref float target, nuint offset) => Unsafe.Add(ref target, offset) = value;

    public static float Zero => 0f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MultiplyAdd(float a, float b, float c) => float.MultiplyAddEstimate(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Relu(float x) => MathF.Max(x, 0f);
}
