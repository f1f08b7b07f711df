using System.Numerics.Tensors;

namespace EdgeLowRank.Compressor.Factorization;

/// <summary>
/// Nested Q-DEIM: for each block boundary b in turn, column-pivoted QR (greedy largest residual) on the candidates'
/// coordinates in the top b vectors, the pivots of the earlier blocks taken first, then new pivots up to b. The
/// residuals are exact projections onto the complement of the span of the pivots' coordinates (each pivot's direction
/// by modified Gram–Schmidt, the rows updated a panel at a time). At the first boundary this is plain Q-DEIM.
/// </summary>
/// <remarks>
/// Blocked as LAPACK's xGEQP3 blocks pivoted QR: the residual rows are brought up to date once per panel of directions
/// by two matrix products instead of once per direction by a pass that reads and writes them all. Between updates the
/// norms stay exact because a new direction is orthogonal to the panel's earlier ones, so a candidate's coefficient on
/// it is the same for its stale row as for its current one. The earlier blocks' pivots are known in advance, so a
/// panel of them needs no per-direction pass at all (its coefficients are one product); each new pivot costs one
/// read-only pass over the rows. The flops are about those of the unblocked form, 4·length·Σ bᵢ² (the products also
/// update rows already picked, which the unblocked form skipped: up to twice its re-application work when nearly every
/// candidate is a pivot), most of them now in matrix products: re-applying the earlier pivots one direction at a time
/// was most of the selection's time in the CUR C step on LeNet-300-100's first layer. The pivots are the unblocked
/// form's; only rounding differs.
/// </remarks>
internal static class NestedPivotedQr
{
    /// <summary>Directions per residual update: more saves passes over the rows, but lengthens each pivot's orthogonalization within its panel.</summary>
    private const int PanelWidth = 32;

    /// <summary>Downdated norms lose absolute accuracy ~ε; below this a candidate's norm is recomputed before it is trusted.</summary>
    private const double DowndateTrustFloor = 1e-8;

    /// <summary>
    /// The first <paramref name="count"/> indices of the nested order of <paramref name="vectorRows"/> (row t = the t-th
    /// vector, of <paramref name="length"/> entries); <paramref name="limit"/> fixes the block boundaries.
    /// </summary>
    public static int[] Compute(double[] vectorRows, int length, int count, int limit)
    {
        if (count == 0)
        {
            return [];
        }
        var order = new List<int>(count);
        // The blocks run one after another, so one workspace, sized for the deepest, serves them all.
        var block = new Block(length, SelectionBlocks.FirstAtLeast(count, limit));
        foreach (int depth in SelectionBlocks.Boundaries(limit))
        {
            if (order.Count >= count)
            {
                break;
            }
            block.Start(vectorRows, depth);
            block.Extend(order, Math.Min(depth, count));
        }
        return order.ToArray();
    }

    /// <summary>
    /// One block boundary at a time: the candidates' residual coordinates in the top <c>depth</c> vectors and their squared
    /// norms. Its arrays are sized for the deepest block and each block uses their leading part (rows of stride <c>depth</c>).
    /// </summary>
    private sealed class Block
    {
        private readonly int length;
        private readonly double[] residual;
        private readonly double[] squaredNorms;
        private readonly bool[] picked;
        // The panel: directions not yet applied to `residual` (rows), and, for new pivots, every candidate's coefficient on each.
        private readonly double[] directions;
        private readonly double[] coefficientRows;
        // Scratch for a panel's update: its coefficients (length × panel) and directions transposed.
        private readonly double[] panelCoefficients;
        private readonly double[] panelTransposed;
        private int depth;
        private int panelSize;

        public Block(int length, int deepest)
        {
            this.length = length;
            residual = new double[deepest * length];
            squaredNorms = new double[length];
            picked = new bool[length];
            int widest = Math.Min(PanelWidth, deepest);
            directions = new double[widest * deepest];
            coefficientRows = new double[widest * length];
            panelCoefficients = new double[length * widest];
            panelTransposed = new double[deepest * widest];
        }

        /// <summary>Starts the block of the top <paramref name="depth"/> vectors, nothing picked yet.</summary>
        public void Start(double[] vectorRows, int depth)
        {
            this.depth = depth;
            // Row j = the coordinates of candidate j in the top `depth` vectors.
            DenseKernels.Transpose(vectorRows.AsSpan(0, depth * length), depth, length, residual);
            RecomputeNorms();
            Array.Clear(picked);
            panelSize = 0;
        }

        /// <summary>Directions per panel in this block: a block has at most <c>depth</c> pivots, so its panels need no more room than that.</summary>
        private int BlockPanelWidth => Math.Min(PanelWidth, depth);

        /// <summary>Takes the pivots already in <paramref name="order"/> again, then appends new ones until it holds <paramref name="target"/>.</summary>
        public void Extend(List<int> order, int target)
        {
            // Each earlier pivot is orthogonalized against the ones before it, so their span is projected out exactly, not
            // their raw directions one after another (docs/ALGORITHM.md, the C step). They are known in advance, so each
            // panel's coefficients are one product.
            foreach (int earlier in order)
            {
                picked[earlier] = true;
                AddDirection(earlier);
                if (panelSize == BlockPanelWidth)
                {
                    ApplyPanel(coefficientsKnown: false);
                }
            }
            ApplyPanel(coefficientsKnown: false);
            while (order.Count < target)
            {
                int best = SelectionOrder.ArgMaxUnpicked(squaredNorms, picked);
                if (squaredNorms[best] < DowndateTrustFloor)
                {
                    ApplyPanel(coefficientsKnown: true);
                    RecomputeNorms();
                    best = SelectionOrder.ArgMaxUnpicked(squaredNorms, picked);
                }
                if (squaredNorms[best] <= SelectionOrder.NegligibleSquaredResidual)
                {
                    // The vectors are exhausted (W has lower rank): any remaining index is as good.
                    best = Array.IndexOf(picked, false);
                }
                picked[best] = true;
                order.Add(best);
                if (AddDirection(best))
                {
                    DowndateNorms();
                }
                if (panelSize == BlockPanelWidth)
                {
                    ApplyPanel(coefficientsKnown: true);
                }
            }
        }

        /// <summary>
        /// The pivot's current residual (its stale row with the panel's directions removed, modified Gram–Schmidt),
        /// normalized, as the panel's next direction; false when it is negligible.
        /// </summary>
        private bool AddDirection(int pivot)
        {
            Span<double> next = directions.AsSpan(panelSize * depth, depth);
            residual.AsSpan(pivot * depth, depth).CopyTo(next);
            for (int s = 0; s < panelSize; s++)
            {
                ReadOnlySpan<double> earlier = directions.AsSpan(s * depth, depth);
                DenseKernels.AddScaled(next, -TensorPrimitives.Dot(next, earlier), earlier);
            }
            double squaredNorm = TensorPrimitives.SumOfSquares<double>(next);
            if (squaredNorm <= SelectionOrder.NegligibleSquaredResidual)
            {
                return false;
            }
            TensorPrimitives.Multiply<double>(next, 1 / Math.Sqrt(squaredNorm), next);
            panelSize++;
            return true;
        }

        /// <summary>Every unpicked candidate's coefficient on the newest direction (one read of the stale rows) and its norm downdated.</summary>
        private void DowndateNorms()
        {
            int t = panelSize - 1;
            ReadOnlySpan<double> direction = directions.AsSpan(t * depth, depth);
            Span<double> coefficients = coefficientRows.AsSpan(t * length, length);
            for (int j = 0; j < length; j++)
            {
                if (picked[j])
                {
                    // Its row is never read again in this block.
                    coefficients[j] = 0;
                    continue;
                }
                double coefficient = TensorPrimitives.Dot<double>(residual.AsSpan(j * depth, depth), direction);
                coefficients[j] = coefficient;
                squaredNorms[j] = Math.Max(squaredNorms[j] - coefficient * coefficient, 0);
            }
        }

        /// <summary>
        /// Removes the panel's directions from every row: residual −= K·D with K (length × panel) the coefficients, by
        /// products. Without <paramref name="coefficientsKnown"/> (the earlier pivots) K = residual·Dᵀ is computed here and
        /// the norms downdated from it.
        /// </summary>
        private void ApplyPanel(bool coefficientsKnown)
        {
            if (panelSize == 0)
            {
                return;
            }
            ReadOnlySpan<double> panel = directions.AsSpan(0, panelSize * depth);
            Span<double> coefficients = panelCoefficients.AsSpan(0, length * panelSize);
            if (coefficientsKnown)
            {
                DenseKernels.Transpose(coefficientRows.AsSpan(0, panelSize * length), panelSize, length, coefficients);
            }
            else
            {
                DenseKernels.Transpose(panel, panelSize, depth, panelTransposed);
                DenseKernels.Multiply(residual.AsSpan(0, length * depth), panelTransposed.AsSpan(0, depth * panelSize), coefficients, length, depth, panelSize);
                for (int j = 0; j < length; j++)
                {
                    for (int s = 0; s < panelSize && !picked[j]; s++)
                    {
                        double coefficient = coefficients[j * panelSize + s];
                        squaredNorms[j] = Math.Max(squaredNorms[j] - coefficient * coefficient, 0);
                    }
                }
            }
            DenseKernels.MultiplySubtract(coefficients, panel, residual.AsSpan(0, length * depth), length, panelSize, depth);
            panelSize = 0;
        }

        private void RecomputeNorms()
        {
            for (int j = 0; j < length; j++)
            {
                squaredNorms[j] = TensorPrimitives.SumOfSquares<double>(residual.AsSpan(j * depth, depth));
            }
        }
    }
}
