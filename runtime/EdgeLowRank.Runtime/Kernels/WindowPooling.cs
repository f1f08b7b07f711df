using System.Numerics;
using System.Runtime.Intrinsics;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>What a pooling computes over a window, for values of type <typeparamref name="TValue"/> (a float, or a vector
/// of one lane per channel): the values are combined pairwise in window order, then the result is finished once.</summary>
internal interface IWindowPooling<TValue>
{
    /// <summary>Combines the running value with the next window element.</summary>
    static abstract TValue Combine(TValue running, TValue next);

    /// <summary>The pooled value from the combination of a window's <paramref name="area"/> elements.</summary>
    static abstract TValue Finish(TValue combined, int area);
}

/// <summary>A pooling for every width <see cref="PoolKernel{TPooling}"/> runs: scalar, <see cref="Vector{T}"/>,
/// <see cref="Vector128{T}"/> and <see cref="Vector512{T}"/>. Implemented by structs, so each loop is compiled once per pooling with the operations
/// inlined.</summary>
internal interface IWindowPooling : IWindowPooling<float>, IWindowPooling<Vector<float>>, IWindowPooling<Vector128<float>>,
    IWindowPooling<Vector512<float>>
{
    /// <summary>The pooling's name, for messages.</summary>
    static abstract string Name { get; }
}

/// <summary>The maximum of the window; the vector and scalar paths agree bit for bit on finite values.</summary>
internal readonly struct MaxPooling : IWindowPooling
{
    public static string Name => "Max pooling";

    public static float Combine(float running, float next) => MathF.Max(running, next);

    public static Vector<float> Combine(Vector<float> running, Vector<float> next) => Vector.Max(running, next);

    public static Vector128<float> Combine(Vector128<float> running, Vector128<float> next) => Vector128.Max(running, next);

    public static Vector512<float> Combine(Vector512<float> running, Vector512<float> next) => Vector512.Max(running, next);

    public static float Finish(float combined, int area) => combined;

    public static Vector<float> Finish(Vector<float> combined, int area) => combined;

    public static Vector128<float> Finish(Vector128<float> combined, int area) => combined;

    public static Vector512<float> Finish(Vector512<float> combined, int area) => combined;
}

/// <summary>The mean of the window: the sum in window order, divided (not multiplied by a reciprocal) by the area, so
/// the vector and scalar paths round alike.</summary>
internal readonly struct AveragePooling : IWindowPooling
{
    public static string Name => "Average pooling";

    public static float Combine(float running, float next) => running + next;

    public static Vector<float> Combine(Vector<float> running, Vector<float> next) => running + next;

    public static Vector128<float> Combine(Vector128<float> running, Vector128<float> next) => running + next;

    public static Vector512<float> Combine(Vector512<float> running, Vector512<float> next) => running + next;

    public static float Finish(float combined, int area) => combined / area;

    public static Vector<float> Finish(Vector<float> combined, int area) => combined / new Vector<float>(area);

    public static Vector128<float> Finish(Vector128<float> combined, int area) => combined / Vector128.Create((float)area);

    public static Vector512<float> Finish(Vector512<float> combined, int area) => combined / Vector512.Create((float)area);
}
