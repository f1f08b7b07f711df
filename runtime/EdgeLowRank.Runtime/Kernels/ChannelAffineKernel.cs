using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>
/// A 1×1, stride-1, unpadded depthwise convolution, which is a per-channel affine map: y[p, c] = act(x[p, c]·w[c] + b[c])
/// over channels-last pixels (what <c>elr import-onnx</c> writes for a model's input normalization). Its window has one
/// tap, so the general depthwise loop's per-pixel window work, and below <see cref="Vector{T}.Count"/> channels the dense
/// convolution a session ran instead, whose 16-wide panels held one useful column for a one-channel image, cost many
/// times the one multiply-add an element needs. <see cref="Run"/> treats the pixels as one flat run of floats and moves
/// through it a <see cref="Vector{T}"/> at a time whatever the channel count (1, 3, 17...): element i is channel i mod c,
/// so the weights of the vector starting at element i are <see cref="Pattern"/>[i mod c ..], a table built once at load.
/// The tail shorter than a vector goes through a zero-padded copy, so every element takes the same vector operations and
/// no write leaves the caller's range (a session splits the pixels across threads). <see cref="Reference"/> is the scalar
/// oracle and the <see cref="KernelPath.Scalar"/> path: the bias plus the product, two roundings.
/// </summary>
internal static class ChannelAffineKernel
{
    /// <summary>Per-channel values repeated for <see cref="Run"/>: element j is <paramref name="perChannel"/>[j mod
    /// <paramref name="channels"/>] (0 when <paramref name="perChannel"/> is empty, a layer without bias), for j below
    /// channels + <see cref="Vector{T}.Count"/> − 1, so a vector starting at any channel reads its lanes' values side by side.</summary>
    public static float[] Pattern(ReadOnlySpan<float> perChannel, int channels)
    {
        var pattern = new float[channels + Vector<float>.Count - 1];
        if (!perChannel.IsEmpty)
            for (int j = 0; j < pattern.Length; j++)
                pattern[j] = perChannel[j % channels];
        return pattern;
    }

    /// <summary>y = act(x·w + b) for whole pixels of <paramref name="channels"/> channels, w and b as
    /// <see cref="Pattern"/>s. <paramref name="fused"/> rounds each output once, x·w + b as a fused multiply-add where the
    /// CPU has FMA (<see cref="VectorMath.MultiplyAdd"/>); otherwise the product and the sum round each. <paramref name="y"/>
    /// must not overlap <paramref name="x"/> unless it is <paramref name="x"/>.</summary>
    public static void Run(ReadOnlySpan<float> x, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, int channels, bool fused,
        FusedActivation activation, Span<float> y)
    {
        int lanes = Vector<float>.Count, length = x.Length;
        ref float source = ref MemoryMarshal.GetReference(x);
        ref float target = ref MemoryMarshal.GetReference(y);
        ref float scale = ref MemoryMarshal.GetReference(weights);
        ref float shift = ref MemoryMarshal.GetReference(bias);
        Vector<float> ceiling = new(activation.Ceiling);
        // The channel of a vector's first lane, which advances by lanes mod channels from one vector to the next.
        int phase = 0, advance = lanes % channels, i = 0;
        for (; i <= length - lanes; i += lanes)
        {
            Affine(Vector.LoadUnsafe(ref source, (nuint)i), ref scale, ref shift, phase, fused, activation, ceiling).StoreUnsafe(ref target, (nuint)i);
            phase += advance;
            if (phase >= channels) phase -= channels;
        }
        if (i == length) return;
        Span<float> tail = stackalloc float[lanes];
        tail.Clear();
        x[i..].CopyTo(tail);
        ref float padded = ref MemoryMarshal.GetReference(tail);
        Affine(Vector.LoadUnsafe(ref padded), ref scale, ref shift, phase, fused, activation, ceiling).StoreUnsafe(ref padded);
        tail[..(length - i)].CopyTo(y[i..length]);
    }

    /// <summary>One vector of outputs whose first lane is channel <paramref name="phase"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> Affine(Vector<float> x, ref float scale, ref float shift, int phase, bool fused, FusedActivation activation,
        Vector<float> ceiling)
    {
        Vector<float> w = Vector.LoadUnsafe(ref scale, (nuint)phase), b = Vector.LoadUnsafe(ref shift, (nuint)phase);
        return DepthwiseLoop.Activated(fused ? VectorMath.MultiplyAdd(x, w, b) : x * w + b, activation, ceiling);
    }

    /// <summary>The scalar oracle: y[i] = act(b[c] + x[i]·w[c]) with c = i mod <paramref name="channels"/>, the product and
    /// the sum each rounded, as <see cref="DepthwiseConvKernel.Reference"/> computes a one-tap window; <paramref name="bias"/>
    /// one per channel or empty.</summary>
    public static void Reference(ReadOnlySpan<float> x, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, int channels,
        FusedActivation activation, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            int c = i % channels;
            float sum = bias.IsEmpty ? 0f : bias[c];
            sum += x[i] * weights[c];
            y[i] = activation.Apply(sum);
        }
    }
}
