using EdgeLowRank.Compressor.Factorization;
using MathNet.Numerics.LinearAlgebra;

namespace EdgeLowRank.Compressor.Tests.Factorization;

public class OrthonormalBasisTests
{
    /// <summary>
    /// Grown over more vectors than one block, with dependent ones (repeats, combinations, a zero vector) placed inside
    /// and across blocks: the basis is orthonormal, its size after each vector is the rank of the prefix, and it spans
    /// every prefix (each vector is reproduced by its projection onto the basis held right after it).
    /// </summary>
    [Theory]
    [InlineData(80, 1)]
    [InlineData(50, 2)]
    public void SpansEveryPrefixWithOrthonormalRowsOfTheRightCount(int length, int seed)
    {
        Matrix<double> vectors = WithDependentRows(TestMatrices.Uniform(70, length, seed));
        int count = vectors.RowCount;
        var basis = new OrthonormalBasis(length, count);
        var countAfter = new int[count];

        basis.AddRange(vectors.ToRowMajorArray(), count, countAfter);

        Matrix<double> q = Matrix<double>.Build.DenseOfRowMajor(basis.Count, length, basis.Rows.ToArray());
        Assert.True((q * q.Transpose() - Matrix<double>.Build.DenseIdentity(basis.Count)).InfinityNorm() < 1e-12, "rows not orthonormal");
        for (int p = 0; p < count; p++)
        {
            Assert.Equal(vectors.SubMatrix(0, p + 1, 0, length).Rank(), countAfter[p]);
            Matrix<double> held = q.SubMatrix(0, countAfter[p], 0, length);
            Vector<double> vector = vectors.Row(p);
            Assert.True((vector - held.Transpose() * (held * vector)).L2Norm() < 1e-10 * Math.Max(vector.L2Norm(), 1), $"vector {p} outside the span held after it");
        }
    }

    /// <summary>
    /// Vectors whose singular values fall from 1 to 1e-8: each is nearly in the span of the others, so one pass of
    /// Gram–Schmidt would leave rows far from orthogonal (loss ∝ ε·κ²); the second pass keeps them orthonormal.
    /// </summary>
    [Fact]
    public void StaysOrthonormalOnNearlyDependentVectors()
    {
        const int count = 70, length = 90;
        double[] spectrum = Enumerable.Range(0, count).Select(i => Math.Pow(1e-8, i / (count - 1.0))).ToArray();
        Matrix<double> vectors = TestMatrices.WithSpectrum(count, length, spectrum, seed: 7);
        var basis = new OrthonormalBasis(length, count);

        basis.AddRange(vectors.ToRowMajorArray(), count, new int[count]);

        Assert.Equal(count, basis.Count);
        Matrix<double> q = Matrix<double>.Build.DenseOfRowMajor(count, length, basis.Rows.ToArray());
        double loss = (q * q.Transpose() - Matrix<double>.Build.DenseIdentity(count)).InfinityNorm();
        Assert.True(loss < 1e-10, $"rows not orthonormal: ‖QQᵀ − I‖∞ = {loss:E2}");
    }

    /// <summary>
    /// A vector within 1e-9 of the span of a vector of an earlier block and one of its own: after the block projection
    /// and the passes within its block almost nothing is left, so the block projection's rounding residue along the
    /// earlier block would dominate the normalized direction unless it is projected off once more.
    /// </summary>
    [Fact]
    public void StaysOrthonormalWhenAVectorCancelsAgainstTwoBlocks()
    {
        const int length = 80;
        Matrix<double> independent = TestMatrices.Uniform(60, length, seed: 3);
        Vector<double> offset = TestMatrices.Uniform(1, length, seed: 4).Row(0);
        var rows = Enumerable.Range(0, independent.RowCount).Select(independent.Row).ToList();
        rows[45] = rows[3] + rows[35] + 1e-9 * offset / offset.L2Norm();
        var basis = new OrthonormalBasis(length, rows.Count);

        basis.AddRange(Matrix<double>.Build.DenseOfRowVectors(rows).ToRowMajorArray(), rows.Count, new int[rows.Count]);

        Assert.Equal(rows.Count, basis.Count);
        Matrix<double> q = Matrix<double>.Build.DenseOfRowMajor(basis.Count, length, basis.Rows.ToArray());
        double loss = (q * q.Transpose() - Matrix<double>.Build.DenseIdentity(basis.Count)).InfinityNorm();
        Assert.True(loss < 1e-10, $"rows not orthonormal: ‖QQᵀ − I‖∞ = {loss:E2}");
    }

    /// <summary>Inserts a zero row, a repeat and a combination of earlier rows, in the first block and past it.</summary>
    private static Matrix<double> WithDependentRows(Matrix<double> independent)
    {
        var rows = Enumerable.Range(0, independent.RowCount).Select(independent.Row).ToList();
        rows.Insert(5, rows[2].Clone());
        rows.Insert(12, Vector<double>.Build.Dense(independent.ColumnCount));
        rows.Insert(40, rows[3] - 2 * rows[30]);
        rows.Insert(64, rows[63] + rows[10]);
        return Matrix<double>.Build.DenseOfRowVectors(rows);
    }
}
