using System.Numerics.Tensors;

namespace EdgeLowRank.Compressor.Factorization;

/// <summary>Argument checks shared by the factorization entry points.</summary>
internal static class MatrixShape
{
    /// <summary>Throws unless a buffer of <paramref name="length"/> holds exactly a rows×columns matrix.</summary>
    public static void Require(int length, int rows, int columns, string parameterName)
    {
        if (rows < 0 || columns < 0 || (long)rows * columns != length)
        {
            throw new ArgumentException(
                $"Expected a row-major {rows}×{columns} matrix ({(long)rows * columns} elements) but the buffer holds {length}; pass the layer's real shape.",
                parameterName);
        }
    }

    /// <summary>Checks the shape and widens a row-major float matrix to double, the precision the factorizations work in.</summary>
    public static double[] ToDouble(ReadOnlySpan<float> rowMajor, int rows, int columns, string parameterName)
    {
        Require(rowMajor.Length, rows, columns, parameterName);
        var data = new double[rowMajor.Length];
        TensorPrimitives.ConvertChecked<float, double>(rowMajor, data);
        return data;
    }
}
