using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>A function of one float computed a <typeparamref name="TVector"/> of lanes at a time, for
/// <see cref="VectorMap{TVector, TLanes, TFunction}"/>. Implemented by structs, so the map is compiled once per function
/// with it inlined; a struct's fields carry the function's parameters (a hard sigmoid's slope and offset).</summary>
internal interface IVectorFunction<TVector>
{
    /// <summary>f applied to every lane.</summary>
    TVector Apply(TVector x);
}

/// <summary>
/// y[i] = f(x[i]) over a span, every element through the same vector code: the tail goes through a vector padded with
/// zeros, not through scalar code (which rounds differently, so a sample's result would depend on the batch around it)
/// nor through an overlapping last vector (which would apply f twice when running in place). <typeparamref name="TLanes"/>
/// picks the width: <see cref="WideLanes"/> (<see cref="Vector{T}"/>) everywhere, <see cref="Lanes512"/> where AVX-512 is
/// for the functions that compute enough per lane to gain from it (the exponential's).
/// </summary>
internal static class VectorMap<TVector, TLanes, TFunction>
    where TLanes : IVectorLanes<TVector>
    where TFunction : struct, IVectorFunction<TVector>
{
    /// <summary>Maps <paramref name="x"/> into <paramref name="y"/>, which may be <paramref name="x"/> itself, through
    /// <paramref name="function"/> (by default the struct's default value, for a function without parameters).</summary>
    /// <exception cref="ArgumentException"><paramref name="y"/> is shorter than <paramref name="x"/>.</exception>
    public static void Run(ReadOnlySpan<float> x, Span<float> y, TFunction function = default)
    {
        if (y.Length < x.Length) throw new ArgumentException($"Y holds {y.Length} floats; X has {x.Length}.", nameof(y));
        int lanes = TLanes.Count, i = 0;
        ref float source = ref MemoryMarshal.GetReference(x);
        ref float target = ref MemoryMarshal.GetReference(y);
        for (; i <= x.Length - lanes; i += lanes)
            TLanes.Store(function.Apply(TLanes.Load(ref source, (nuint)i)), ref target, (nuint)i);
        if (i == x.Length) return;
        Span<float> tail = stackalloc float[lanes];
        tail.Clear();
        x[i..].CopyTo(tail);
        ref float padded = ref MemoryMarshal.GetReference(tail);
        TLanes.Store(function.Apply(TLanes.Load(ref padded, 0)), ref padded, 0);
        tail[..(x.Length - i)].CopyTo(y[i..]);
    }
}

/// <summary>
/// A function the widest vectors pay for (the exponential's: SiLU, the sigmoid), mapped sixteen lanes at a time where
/// AVX-512 is (<see cref="Vector{T}"/> stays at eight there) and at <see cref="Vector{T}"/>'s width elsewhere. Both forms of
/// the function compute the same operations lane for lane, so the width changes no bit.
/// </summary>
internal static class WidestVectorMap<TFunction>
    where TFunction : struct, IVectorFunction<Vector<float>>, IVectorFunction<Vector512<float>>
{
    /// <summary>Maps <paramref name="x"/> into <paramref name="y"/> at the widest width the CPU accelerates.</summary>
    /// <exception cref="ArgumentException"><paramref name="y"/> is shorter than <paramref name="x"/>.</exception>
    public static void Run(ReadOnlySpan<float> x, Span<float> y)
    {
        if (Vector512.IsHardwareAccelerated) VectorMap<Vector512<float>, Lanes512, TFunction>.Run(x, y);
        else RunAtVectorWidth(x, y);
    }

    /// <summary>The same at <see cref="Vector{T}"/>'s width: <see cref="Run"/> where AVX-512 is not, and the width the tests
    /// compare the sixteen lanes with.</summary>
    public static void RunAtVectorWidth(ReadOnlySpan<float> x, Span<float> y) => VectorMap<Vector<float>, WideLanes, TFunction>.Run(x, y);
}
