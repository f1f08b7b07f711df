using EdgeLowRank.Compressor.Factorization;
using MathNet.Numerics.LinearAlgebra;

namespace EdgeLowRank.Compressor.Tests.Factorization;

public class SelectionOrderTests
{
    /// <summary>
    /// Nested Q-DEIM is column-pivoted QR at each block boundary b, with the pivots of the earlier blocks taken first: every
    /// candidate's residual is its coordinates in the top b vectors minus their projection onto the span of the pivots'
    /// coordinates. Checked against that definition done plainly (the projection rebuilt from MathNet's QR at every pick).
    /// The earlier pivots must be re-applied as an exact projection: removing each one's raw direction in turn is not one
    /// once there are two or more, and picked other indices from the third block on. The largest case spans several panels
    /// of the blocked update, both of earlier pivots and of new ones.
    /// </summary>
    [Theory]
    [InlineData(60, 20, 1)]
    [InlineData(60, 20, 2)]
    [InlineData(45, 30, 3)]
    [InlineData(120, 40, 4)]
    [InlineData(200, 150, 5)]
    public void NestedQDeimIsPivotedQrWithTheEarlierPivotsFirst(int length, int limit, int seed)
    {
        // Orthonormal vectors as rows, as the selection receives singular vectors.
        Matrix<double> q = TestMatrices.Uniform(length, limit, seed).QR().Q.SubMatrix(0, length, 0, limit);
        double[] vectorRows = q.Transpose().ToRowMajorArray();

        int[] order = SelectionOrder.Compute(CurSelection.QDeim, vectorRows, length, limit, limit, seed);

        Assert.Equal(PivotedQrByDefinition(q, limit), order);
    }

    /// <summary>
    /// Singular vectors of a matrix of lower rank than the selection needs: only the first 50 of 60 carry a direction
    /// (the rest are zero here). The first 50 pivots are pivoted QR's; then every residual is negligible, and each
    /// remaining pick is the first index not yet chosen. The exhaustion comes in the middle of a panel of new pivots,
    /// where the norms are recomputed from rows brought up to date first.
    /// </summary>
    [Fact]
    public void PicksTheFirstFreeIndicesOnceTheVectorsAreExhausted()
    {
        const int length = 90, limit = 60, rank = 50;
        Matrix<double> q = TestMatrices.Uniform(length, rank, seed: 6).QR().Q.SubMatrix(0, length, 0, rank);
        Matrix<double> padded = Matrix<double>.Build.Dense(length, limit);
        padded.SetSubMatrix(0, 0, q);

        int[] order = SelectionOrder.Compute(CurSelection.QDeim, padded.Transpose().ToRowMajorArray(), length, limit, limit, seed: 1);

        int[] pivots = PivotedQrByDefinition(padded, limit, rank);
        Assert.Equal(pivots, order[..rank]);
        int[] free = Enumerable.Range(0, length).Except(pivots).Take(limit - rank).ToArray();
        Assert.Equal(free, order[rank..]);
    }

    /// <summary>The first <paramref name="picks"/> indices (all <paramref name="limit"/> when omitted) of nested pivoted QR.</summary>
    private static int[] PivotedQrByDefinition(Matrix<double> vectors, int limit, int picks = int.MaxValue)
    {
        var order = new List<int>();
        foreach (int depth in SelectionBlocks.Boundaries(limit))
        {
            // Row j: candidate j's coordinates in the top `depth` vectors.
            Matrix<double> coordinates = vectors.SubMatrix(0, vectors.RowCount, 0, depth);
            while (order.Count < Math.Min(depth, picks))
            {
                Matrix<double> residual = coordinates;
                if (order.Count > 0)
                {
                    Matrix<double> span = Matrix<double>.Build.DenseOfRowVectors(order.Select(coordinates.Row)).Transpose();
                    Matrix<double> basis = span.QR(MathNet.Numerics.LinearAlgebra.Factorization.QRMethod.Thin).Q;
                    residual = coordinates - coordinates * basis * basis.Transpose();
                }
                (int Index, double Norm)[] ranked = Enumerable.Range(0, vectors.RowCount).Where(j => !order.Contains(j))
                    .Select(j => (j, residual.Row(j).L2Norm())).OrderByDescending(c => c.Item2).ToArray();
                // A near-tie could go either way with another summation order (vector width): the cases avoid them.
                Assert.True(ranked[0].Norm - ranked[1].Norm > 1e-9, $"candidates {ranked[0].Index} and {ranked[1].Index} nearly tie at depth {depth}");
                order.Add(ranked[0].Index);
            }
        }
        return order.ToArray();
    }
}
