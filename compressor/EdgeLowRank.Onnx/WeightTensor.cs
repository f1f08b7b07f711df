using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Onnx;

/// <summary>
/// A weight tensor as the graph holds it: f32 values, or int8 values with scales along one axis (a DequantizeLinear of an
/// initializer, ONNX's weight-only quantization). Row-major in ONNX's own dimension order.
/// </summary>
internal sealed record WeightTensor(long[] Dims, float[]? Floats, sbyte[]? Int8, float[]? Scales, int ScaleAxis)
{
    public string Shape => string.Join("×", Dims);

    /// <summary>The runtime matrix, <paramref name="rows"/> × <paramref name="columns"/>: the values put in the runtime's
    /// row-major order by <paramref name="floats"/> or <paramref name="bytes"/>. An int8 tensor's scales must lie along
    /// <paramref name="columnAxis"/>, the ONNX axis that holds the matrix's columns (one scale per column), or be one scale.</summary>
    public PackedMatrix ToMatrix(int rows, int columns, int columnAxis, Func<float[], float[]> floats, Func<sbyte[], sbyte[]> bytes, string where)
    {
        if (Floats is not null) return PackedMatrix.FromRowMajor(floats(Floats), rows, columns);
        float[] scales = Scales!.Length == 1 ? Enumerable.Repeat(Scales[0], columns).ToArray()
            : ScaleAxis == columnAxis && Scales.Length == columns ? Scales
            : throw new OnnxImportException($"{where}: the weights are dequantized with {Scales.Length} scales along axis {ScaleAxis}; "
                + $"the runtime keeps one scale per output (axis {columnAxis}, {columns} scales) or one for all.");
        if (PackedMatrix.IndexOfInvalidScale(scales) is int bad and >= 0)
            throw new OnnxImportException($"{where}: the dequantization scale {bad} is {scales[bad]}; expected a finite value ≥ 0 whose 128 multiple is finite.");
        return PackedMatrix.FromRowMajor(bytes(Int8!), scales, rows, columns);
    }

    /// <summary>The f32 values (a bias, a batch normalization's vectors); int8 ones are refused.</summary>
    public float[] RequireFloats(string where, string role) =>
        Floats ?? throw new OnnxImportException($"{where}: the {role} is int8; only weight matrices may be quantized.");

    /// <summary>This tensor as a bias of <paramref name="count"/> values: shaped (n) or (1, n) after a matrix, (c, 1, 1) or (1, c, 1, 1)
    /// added to an image, so that ONNX's broadcasting puts value j on output j.</summary>
    public ReadOnlyMemory<float> ToBias(int count, bool image, NodeAttributes a)
    {
        float[] values = RequireFloats(a.Where, "bias");
        long[] d = Dims;
        // Shaped so that broadcasting adds value j to output j and keeps the output's rank (batch × n, or N×C×H×W).
        bool fits = image ? FitsChannels(d, count) : d.Length is 1 or 2 && d[^1] == count && d[..^1].All(x => x == 1);
        string shape = d.Length == 0 ? "a scalar" : Shape;
        a.Require(fits && values.Length == count, $"the bias is {shape}; expected {count} values, one per output, shaped {(image ? "(c, 1, 1) or (1, c, 1, 1)" : "(n) or (1, n)")}.");
        return values;
    }

    /// <summary>Whether a tensor of <paramref name="dims"/> holds one value per channel of an N×C×H×W image, shaped (c, 1, 1) or
    /// (1, c, 1, 1) so that broadcasting puts value j on channel j and keeps the image's rank.</summary>
    public static bool FitsChannels(long[] dims, int count) =>
        dims.Length is 3 or 4 && dims[^3] == count && dims[^2] == 1 && dims[^1] == 1 && dims[..^3].All(x => x == 1);

    /// <summary>A row-major <paramref name="rows"/> × <paramref name="columns"/> matrix transposed.</summary>
    public static T[] Transposed<T>(T[] values, int rows, int columns)
    {
        var result = new T[values.Length];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++)
                result[j * rows + i] = values[i * columns + j];
        return result;
    }
}
