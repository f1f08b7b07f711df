namespace EdgeLowRank.Runtime.Layers;

/// <summary>The shape of one sample flowing between layers (the batch dimension is not part of it).
/// Images are channels-last: (height, width, channels); vectors have one dimension.</summary>
public readonly record struct TensorShape
{
    /// <summary>The largest number of dimensions a shape may have.</summary>
    public const int MaxRank = 4;

    private readonly int[] _dims;

    /// <summary>Creates a shape; every dimension must be at least 1.</summary>
    public TensorShape(params int[] dims)
    {
        ArgumentNullException.ThrowIfNull(dims);
        if (dims.Length is 0 or > MaxRank)
            throw new ArgumentException($"A shape has 1 to {MaxRank} dimensions, not {dims.Length}.", nameof(dims));
        long count = 1;
        foreach (int d in dims)
        {
            if (d < 1) throw new ArgumentException($"Dimension {d} is not positive.", nameof(dims));
            count *= d;
            if (count > int.MaxValue) throw new ArgumentException("The shape holds more than 2^31-1 elements.", nameof(dims));
        }
        _dims = (int[])dims.Clone();
        ElementCount = (int)count;
    }

    /// <summary>The dimensions, outermost first.</summary>
    public ReadOnlySpan<int> Dimensions => _dims;

    /// <summary>The number of dimensions.</summary>
    public int Rank => _dims.Length;

    /// <summary>The product of the dimensions.</summary>
    public int ElementCount { get; }

    /// <summary>Dimension <paramref name="i"/>.</summary>
    public int this[int i] => _dims[i];

    /// <summary>Structural equality (the array is compared element by element).</summary>
    public bool Equals(TensorShape other) => _dims.AsSpan().SequenceEqual(other._dims);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (int d in _dims) hash.Add(d);
        return hash.ToHashCode();
    }

    /// <summary>For example "28×28×1".</summary>
    public override string ToString() => string.Join('×', _dims);
}
