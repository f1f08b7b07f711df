using System.Numerics;
using System.Runtime.InteropServices;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>A function of one float computed <see cref="Vector{T}"/> lanes at a time, for <see cref="VectorMap{TFunction}"/>.
/// Implemented by structs, so the map is compiled once per function with it inlined; a struct's fields carry the function's
/// parameters (a hard sigmoid's slope and offset).</summary>
internal interface IVectorFunction
{
    /// <summary>f applied to every lane.</summary>
    Vector<float> Apply(Vector<float> x);
}

/// <summary>
/// y[i] = f(x[i]) over a span, every element through the same vector code: the tail goes through a vector padded with
/// zeros, not through scalar code (which rounds differently, so a sample's result would depend on the batch around it)
/// nor through an overlapping last vector (which would apply f twice when running in place).
/// </summary>
internal static class VectorMap<TFunction> where TFunction : struct, IVectorFunction
{
    /// <summary>Maps <paramref name="x"/> into <paramref name="y"/>, which may be <paramref name="x"/> itself, through
    /// <paramref name="function"/> (by default the struct's default value, for a function without parameters).</summary>
    /// <exception cref="ArgumentException"><paramref name="y"/> is shorter than <paramref name="x"/>.</exception>
    public static void Run(ReadOnlySpan<float> x, Span<float> y, TFunction function = default)
    {
        if (y.Length < x.Length) throw new ArgumentException($"Y holds {y.Length} floats; X has {x.Length}.", nameof(y));
        int lanes = Vector<float>.Count, i = 0;
        ref float source = ref MemoryMarshal.GetReference(x);
        ref float target = ref MemoryMarshal.GetReference(y);
        for (; i <= x.Length - lanes; i += lanes)
            function.Apply(Vector.LoadUnsafe(ref source, (nuint)i)).StoreUnsafe(ref target, (nuint)i);
        if (i == x.Length) return;
        Span<float> tail = stackalloc float[lanes];
        tail.Clear();
        x[i..].CopyTo(tail);
        ref float padded = ref MemoryMarshal.GetReference(tail);
        function.Apply(Vector.LoadUnsafe(ref padded)).StoreUnsafe(ref padded);
        tail[..(x.Length - i)].CopyTo(y[i..]);
    }
}
