using System.Numerics;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>What a pooling kernel computes over a window: the values are combined pairwise in window order, then the
/// result is finished once. Implemented by structs, so <see cref="PoolKernel{TPooling}"/> is compiled once per pooling
/// with the operations inlined.</summary>
internal interface IWindowPooling
{
    /// <summary>The pooling's name, for messages.</summary>
    static abstract string Name { get; }

    /// <summary>Combines the running value with the next window element.</summary>
    static abstract float Combine(float running, float next);

    /// <summary>The same, one lane per channel.</summary>
    static abstract Vector<float> Combine(Vector<float> running, Vector<float> next);

    /// <summary>The pooled value from the combination of a window's <paramref name="area"/> elements.</summary>
    static abstract float Finish(float combined, int area);

    /// <summary>The same, one lane per channel.</summary>
    static abstract Vector<float> Finish(Vector<float> combined, int area);
}

/// <summary>The maximum of the window; the vector and scalar paths agree bit for bit on finite values.</summary>
internal readonly struct MaxPooling : IWindowPooling
{
    public static string Name => "Max pooling";

    public static float Combine(float running, float next) => MathF.Max(running, next);

    public static Vector<float> Combine(Vector<float> running, Vector<float> next) => Vector.Max(running, next);

    public static float Finish(float combined, int area) => combined;

    public static Vector<float> Finish(Vector<float> combined, int area) => combined;
}

/// <summary>The mean of the window: the sum in window order, divided (not multiplied by a reciprocal) by the area, so
/// the vector and scalar paths round alike.</summary>
internal readonly struct AveragePooling : IWindowPooling
{
    public static string Name => "Average pooling";

    public static float Combine(float running, float next) => running + next;

    public static Vector<float> Combine(Vector<float> running, Vector<float> next) => running + next;

    public static float Finish(float combined, int area) => combined / area;

    public static Vector<float> Finish(Vector<float> combined, int area) => combined / new Vector<float>(area);
}
