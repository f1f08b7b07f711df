using System.Numerics.Tensors;

namespace EdgeLowRank.Compressor.Factorization;

/// <summary>
/// An orthonormal basis grown vector by vector, in order: the Q of a QR factorization of the selected
/// columns (or rows) built incrementally, so every prefix of the selection has its basis.
/// Classical Gram–Schmidt applied twice ("twice is enough": Giraud, Langou &amp; Rozložník 2005) keeps
/// the basis orthonormal to working precision; a vector whose remainder is negligible against its
/// own norm adds no direction (the selection is linearly dependent), which is how the pseudo-inverses
/// C⁺ and R⁺ of rank-deficient selections stay well defined.
/// </summary>
/// <remarks>
/// Blocked (BCGS2, Barlow &amp; Smoktunowicz 2013): a block of vectors is first projected off the basis held before it
/// by two pairs of matrix products, then each vector off the block's earlier ones, twice; a vector that has mostly
/// cancelled by then is projected off the whole basis once more, so the block projection's rounding residue does not
/// survive its normalization. The flops are those of vector-at-a-time Gram–Schmidt, but most run at matrix-product
/// speed instead of streaming the whole basis through memory twice per vector: that per-vector form took about a
/// third of the CUR C step on LeNet-300-100's first layer.
/// </remarks>
internal sealed class OrthonormalBasis
{
    private const double DependenceThreshold = 1e-10;
    private const int BlockSize = 32;
    /// <summary>Below this share of its norm left after the block's own passes, a vector is projected off the whole basis once more.</summary>
    private const double CancellationRatio = 1e-3;
    private readonly int length;
    private readonly double[] rows;
    // Scratch for one block's projection: the block transposed, its coefficients on the held basis, and those transposed.
    private readonly double[] blockTransposed;
    private readonly double[] coefficients;
    private readonly double[] coefficientsTransposed;

    public OrthonormalBasis(int length, int capacity)
    {
        this.length = length;
        rows = new double[length * capacity];
        blockTransposed = new double[length * BlockSize];
        coefficients = new double[capacity * BlockSize];
        coefficientsTransposed = new double[BlockSize * capacity];
    }

    /// <summary>How many orthonormal vectors the basis holds.</summary>
    public int Count { get; private set; }

    /// <summary>The basis vectors as rows: Count × length, row-major (the basis' own storage, not a copy).</summary>
    public ReadOnlyMemory<double> Rows => rows.AsMemory(0, Count * length);

    /// <summary>
    /// Adds, in order, the directions of the <paramref name="count"/> rows of <paramref name="vectors"/> not yet spanned,
    /// skipping negligible ones, and records <see cref="Count"/> after each in <paramref name="countAfter"/>.
    /// </summary>
    public void AddRange(ReadOnlySpan<double> vectors, int count, Span<int> countAfter)
    {
        Span<double> originalNorms = stackalloc double[BlockSize];
        for (int start = 0; start < count; start += BlockSize)
        {
            int size = Math.Min(BlockSize, count - start);
            int held = Count;
            Span<double> block = rows.AsSpan(held * length, size * length);
            vectors.Slice(start * length, size * length).CopyTo(block);
            for (int i = 0; i < size; i++)
            {
                originalNorms[i] = TensorPrimitives.Norm<double>(block.Slice(i * length, length));
            }
            if (held > 0)
            {
                ProjectOffHeld(block, size, held);
                ProjectOffHeld(block, size, held);
            }
            for (int i = 0; i < size; i++)
            {
                // Accepted vectors are compacted to the front of the block, so vector i moves to row Count.
                Span<double> next = rows.AsSpan(Count * length, length);
                if (Count != held + i)
                {
                    block.Slice(i * length, length).CopyTo(next);
                }
                if (OrthogonalizeAgainst(next, held, originalNorms[i]))
                {
                    Count++;
                }
                countAfter[start + i] = Count;
            }
            rows.AsSpan(Count * length, (held + size - Count) * length).Clear();
        }
    }

    /// <summary>block −= (block·Qᵀ)·Q for the first <paramref name="held"/> basis vectors Q: one pass of block classical Gram–Schmidt.</summary>
    private void ProjectOffHeld(Span<double> block, int size, int held)
    {
        ReadOnlySpan<double> basis = rows.AsSpan(0, held * length);
        // Q·blockᵀ (held × size): only the block is transposed, not the basis.
        DenseKernels.Transpose(block, size, length, blockTransposed);
        Span<double> blockCoefficients = coefficients.AsSpan(0, held * size);
        DenseKernels.Multiply(basis, blockTransposed.AsSpan(0, length * size), blockCoefficients, held, length, size);
        DenseKernels.Transpose(blockCoefficients, held, size, coefficientsTransposed);
        DenseKernels.MultiplySubtract(coefficientsTransposed.AsSpan(0, size * held), basis, block, size, held, length);
    }

    /// <summary>
    /// Removes from <paramref name="next"/> its components along basis vectors <paramref name="from"/>..Count−1 (twice) and
    /// normalizes it; false, with <paramref name="next"/> cleared, when what remains is negligible against <paramref name="originalNorm"/>.
    /// </summary>
    private bool OrthogonalizeAgainst(Span<double> next, int from, double originalNorm)
    {
        if (originalNorm == 0)
        {
            next.Clear();
            return false;
        }
        double projectedNorm = TensorPrimitives.Norm<double>(next);
        ProjectOff(next, from);
        ProjectOff(next, from);
        double norm = TensorPrimitives.Norm<double>(next);
        if (from > 0 && norm < CancellationRatio * projectedNorm)
        {
            // The block projection left a residue of about ε·projectedNorm along vectors 0..from−1, which these passes do
            // not touch; once most of the vector has cancelled, that residue is no longer small against what remains
            // (a vector nearly in the span of earlier blocks and this one). One pass against the whole basis removes it.
            ProjectOff(next, 0);
            norm = TensorPrimitives.Norm<double>(next);
        }
        if (norm <= DependenceThreshold * originalNorm)
        {
            next.Clear();
            return false;
        }
        TensorPrimitives.Multiply<double>(next, 1 / norm, next);
        return true;
    }

    /// <summary>One classical Gram–Schmidt pass: <paramref name="next"/> −= Σ (qᵢ·next) qᵢ over basis vectors <paramref name="from"/>..Count−1.</summary>
    private void ProjectOff(Span<double> next, int from)
    {
        int earlier = Count - from;
        Span<double> projections = earlier <= 64 ? stackalloc double[earlier] : new double[earlier];
        for (int i = 0; i < earlier; i++)
        {
            projections[i] = TensorPrimitives.Dot<double>(rows.AsSpan((from + i) * length, length), next);
        }
        for (int i = 0; i < earlier; i++)
        {
            DenseKernels.AddScaled(next, -projections[i], rows.AsSpan((from + i) * length, length));
        }
    }
}
