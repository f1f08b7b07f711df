namespace EdgeLowRank.Onnx;

/// <summary>An int64 tensor computed from constants: its dimensions and its values in row-major order.</summary>
internal sealed record IntTensor(long[] Dims, long[] Values);

/// <summary>
/// The operators <see cref="ConstantFolding"/> evaluates, on int64 tensors of any rank, as ONNX defines them (negative axes
/// and indices count from the end; a Slice's bounds are clamped, and a negative step walks backwards).
/// </summary>
internal static class IntTensorOps
{
    /// <summary>Concat along <paramref name="axis"/>: the other dimensions must agree.</summary>
    public static IntTensor Concat(IntTensor[] parts, long axis, NodeAttributes a)
    {
        long[] first = parts[0].Dims;
        int k = Axis(axis, first.Length, a);
        a.Require(parts.All(p => p.Dims.Length == first.Length && p.Dims.Where((d, i) => i != k).SequenceEqual(first.Where((d, i) => i != k))),
            $"it joins tensors of dimensions {string.Join(", ", parts.Select(p => $"({string.Join(", ", p.Dims)})"))} along axis {axis}; the other dimensions must agree.");
        long outer = first.Take(k).Aggregate(1L, (n, d) => n * d);
        var values = new List<long>();
        for (long o = 0; o < outer; o++)
            foreach (IntTensor p in parts)
            {
                int chunk = (int)(p.Values.Length / outer);
                values.AddRange(p.Values.Skip((int)o * chunk).Take(chunk));
            }
        long[] dims = (long[])first.Clone();
        dims[k] = parts.Sum(p => p.Dims[k]);
        return new IntTensor(dims, values.ToArray());
    }

    /// <summary>Slice: <paramref name="starts"/> to <paramref name="ends"/> of <paramref name="axes"/> (every axis in order
    /// when null) by <paramref name="steps"/> (1 when null).</summary>
    public static IntTensor Slice(IntTensor data, long[]? starts, long[]? ends, long[]? axes, long[]? steps, NodeAttributes a)
    {
        int rank = data.Dims.Length;
        a.Require(starts is not null && ends is not null && starts.Length == ends.Length, "its starts and ends must be given, as many of each.");
        axes ??= Enumerable.Range(0, starts!.Length).Select(i => (long)i).ToArray();
        steps ??= Enumerable.Repeat(1L, starts!.Length).ToArray();
        a.Require(axes.Length == starts!.Length && steps.Length == starts.Length && steps.All(s => s != 0),
            $"it has {starts.Length} starts, {axes.Length} axes and {steps.Length} steps (none 0); ONNX takes one of each per axis sliced.");
        long[] begin = new long[rank], step = Enumerable.Repeat(1L, rank).ToArray(), dims = (long[])data.Dims.Clone();
        for (int i = 0; i < axes.Length; i++)
        {
            int k = Axis(axes[i], rank, a);
            long size = data.Dims[k], s = steps[i];
            long Bound(long b, long low, long high) => Math.Clamp(b < 0 ? b + size : b, low, high);
            long start = s > 0 ? Bound(starts[i], 0, size) : Bound(starts[i], 0, size - 1);
            long end = s > 0 ? Bound(ends![i], 0, size) : Bound(ends![i], -1, size - 1);
            (begin[k], step[k], dims[k]) = (start, s, Math.Max(0, (end - start + s - Math.Sign(s)) / s));
        }
        a.Require(dims.All(d => d > 0), $"the slice of ({string.Join(", ", data.Dims)}) is empty; a computed parameter has values.");
        long[] inStrides = Strides(data.Dims);
        return Gathered(data.Values, dims, Enumerable.Range(0, rank).Sum(d => begin[d] * inStrides[d]), inStrides.Select((st, d) => st * step[d]).ToArray());
    }

    /// <summary>Transpose by <paramref name="perm"/> (the axes reversed when null).</summary>
    public static IntTensor Transpose(IntTensor x, long[]? perm, NodeAttributes a)
    {
        int rank = x.Dims.Length;
        perm ??= Enumerable.Range(0, rank).Reverse().Select(i => (long)i).ToArray();
        a.Require(perm.Order().SequenceEqual(Enumerable.Range(0, rank).Select(i => (long)i)),
            $"its perm ({string.Join(", ", perm)}) is no order of its input's {rank} axes.");
        long[] inStrides = Strides(x.Dims);
        return Gathered(x.Values, perm.Select(p => x.Dims[p]).ToArray(), 0, perm.Select(p => inStrides[p]).ToArray());
    }

    /// <summary>Unsqueeze: axes of size 1 inserted at <paramref name="axes"/> of the output.</summary>
    public static IntTensor Unsqueeze(IntTensor x, long[]? axes, NodeAttributes a)
    {
        a.Require(axes is { Length: > 0 }, "its axes are missing.");
        int rank = x.Dims.Length + axes!.Length;
        var inserted = axes.Select(k => Axis(k, rank, a)).ToHashSet();
        a.Require(inserted.Count == axes.Length, $"its axes ({string.Join(", ", axes)}) repeat an axis.");
        var rest = new Queue<long>(x.Dims);
        return x with { Dims = Enumerable.Range(0, rank).Select(i => inserted.Contains(i) ? 1 : rest.Dequeue()).ToArray() };
    }

    /// <summary>Squeeze: the axes of size 1 at <paramref name="axes"/> (every one when null) removed.</summary>
    public static IntTensor Squeeze(IntTensor x, long[]? axes, NodeAttributes a)
    {
        int rank = x.Dims.Length;
        var removed = axes?.Select(k => Axis(k, rank, a)).ToHashSet() ?? Enumerable.Range(0, rank).Where(i => x.Dims[i] == 1).ToHashSet();
        a.Require(removed.All(i => x.Dims[i] == 1), $"it squeezes an axis of ({string.Join(", ", x.Dims)}) that is not of size 1.");
        return x with { Dims = x.Dims.Where((_, i) => !removed.Contains(i)).ToArray() };
    }

    /// <summary>Gather: the entries of <paramref name="data"/> along <paramref name="axis"/> at <paramref name="indices"/>.</summary>
    public static IntTensor Gather(IntTensor data, IntTensor indices, long axis, NodeAttributes a)
    {
        int k = Axis(axis, data.Dims.Length, a);
        long size = data.Dims[k];
        long outer = data.Dims.Take(k).Aggregate(1L, (n, d) => n * d), inner = data.Dims.Skip(k + 1).Aggregate(1L, (n, d) => n * d);
        a.Require(indices.Values.All(i => i >= -size && i < size), $"an index ({string.Join(", ", indices.Values)}) is outside the {size} entries of axis {axis}.");
        // The one operator here whose output can outgrow its inputs: a damaged file must not allocate without bound.
        a.Require((double)outer * indices.Values.Length * inner <= 1 << 20, $"it gathers {(double)outer * indices.Values.Length * inner:G3} values; a computed parameter holds at most {1 << 20}.");
        var values = new List<long>();
        for (long o = 0; o < outer; o++)
            foreach (long i in indices.Values)
                values.AddRange(data.Values.Skip((int)((o * size + (i < 0 ? i + size : i)) * inner)).Take((int)inner));
        return new IntTensor([.. data.Dims.Take(k), .. indices.Dims, .. data.Dims.Skip(k + 1)], values.ToArray());
    }

    /// <summary>The values at <paramref name="start"/> + Σ index·<paramref name="strides"/> for every index of <paramref name="dims"/>, in order.</summary>
    private static IntTensor Gathered(long[] source, long[] dims, long start, long[] strides)
    {
        long count = dims.Aggregate(1L, (n, d) => n * d);
        var values = new long[count];
        var index = new long[dims.Length];
        for (long n = 0; n < count; n++)
        {
            long offset = start;
            for (int d = 0; d < dims.Length; d++) offset += index[d] * strides[d];
            values[n] = source[offset];
            for (int d = dims.Length - 1; d >= 0 && ++index[d] == dims[d]; d--) index[d] = 0;
        }
        return new IntTensor(dims, values);
    }

    private static long[] Strides(long[] dims)
    {
        var strides = new long[dims.Length];
        long n = 1;
        for (int d = dims.Length - 1; d >= 0; d--) (strides[d], n) = (n, n * dims[d]);
        return strides;
    }

    private static int Axis(long axis, int rank, NodeAttributes a)
    {
        long k = axis < 0 ? axis + rank : axis;
        a.Require(k >= 0 && k < rank, $"the axis {axis} is outside the {rank} axes of its input.");
        return (int)k;
    }
}
