namespace EdgeLowRank.Compressor.Training;

/// <summary>
/// One trainable tensor viewed as a row-major <see cref="Rows"/>×<see cref="Columns"/> matrix, with
/// the gradient of the last backward pass beside it. Weight matrices are stored output-major
/// (outputs × fan-in, as PyTorch stores them), which is the m×n matrix W_l the compression step
/// factorizes: it may read and overwrite <see cref="Value"/> in place between steps.
/// </summary>
public sealed class Parameter
{
    /// <summary>Creates a zero-filled parameter.</summary>
    /// <param name="name">A name for reports, e.g. "fc1.weight".</param>
    /// <param name="rows">Rows of the matrix view (outputs for a weight).</param>
    /// <param name="columns">Columns of the matrix view (fan-in for a weight; 1 for a bias).</param>
    /// <param name="decays">Whether weight decay applies (weights yes, biases no).</param>
    public Parameter(string name, int rows, int columns, bool decays)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        Name = name;
        Rows = rows;
        Columns = columns;
        Decays = decays;
        Value = new float[checked(rows * columns)];
        Gradient = new float[Value.Length];
    }

    /// <summary>A shard's view of <paramref name="shared"/>: the same <see cref="Value"/> array, its own gradient.</summary>
    internal Parameter(Parameter shared)
    {
        Name = shared.Name;
        Rows = shared.Rows;
        Columns = shared.Columns;
        Decays = shared.Decays;
        Value = shared.Value;
        Gradient = new float[Value.Length];
    }

    /// <summary>A name for reports, e.g. "fc1.weight".</summary>
    public string Name { get; }

    /// <summary>Rows of the matrix view.</summary>
    public int Rows { get; }

    /// <summary>Columns of the matrix view.</summary>
    public int Columns { get; }

    /// <summary>Whether the optimizer's weight decay applies to this parameter.</summary>
    public bool Decays { get; }

    /// <summary>The values, row-major. Changing them between steps is allowed (the layers repack every step).</summary>
    public float[] Value { get; }

    /// <summary>d(loss)/d(value) of the last backward pass, same layout as <see cref="Value"/>.</summary>
    public float[] Gradient { get; }

    /// <summary>The number of values.</summary>
    public int Length => Value.Length;
}
