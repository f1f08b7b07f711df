using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>Loads and stores of one vector type, so one loop serves several widths (<see cref="PoolLoop{TVector, TLanes, TPooling}"/>).</summary>
internal interface IVectorLanes<TVector>
{
    /// <summary>Floats per vector.</summary>
    static abstract int Count { get; }

    /// <summary>The vector at <paramref name="source"/> + <paramref name="offset"/> floats (no bounds check).</summary>
    static abstract TVector Load(ref float source, nuint offset);

    /// <summary>Writes <paramref name="value"/> at <paramref name="target"/> + <paramref name="offset"/> floats (no bounds check).</summary>
    static abstract void Store(TVector value, ref float target, nuint offset);
}

/// <summary><see cref="Vector{T}"/>: the widest width up to 256 bits the CPU accelerates (4 lanes on arm64, 8 with AVX2).</summary>
internal readonly struct WideLanes : IVectorLanes<Vector<float>>
{
    public static int Count => Vector<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Load(ref float source, nuint offset) => Vector.LoadUnsafe(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector<float> value, ref float target, nuint offset) => value.StoreUnsafe(ref target, offset);
}

/// <summary><see cref="Vector512{T}"/>: sixteen lanes where AVX-512 is (Vector{T} stays at 256 bits there), half the loads
/// and combinations of <see cref="WideLanes"/> per pixel for the 64 to 256 channels of SqueezeNet's max poolings.</summary>
internal readonly struct Lanes512 : IVectorLanes<Vector512<float>>
{
    public static int Count => Vector512<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(ref float source, nuint offset) => Vector512.LoadUnsafe(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> value, ref float target, nuint offset) => value.StoreUnsafe(ref target, offset);
}

/// <summary><see cref="Vector128{T}"/>: four lanes, for rows too narrow for <see cref="WideLanes"/> on x64.</summary>
internal readonly struct NarrowLanes : IVectorLanes<Vector128<float>>
{
    public static int Count => Vector128<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load(ref float source, nuint offset) => Vector128.LoadUnsafe(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<float> value, ref float target, nuint offset) => value.StoreUnsafe(ref target, offset);
}
