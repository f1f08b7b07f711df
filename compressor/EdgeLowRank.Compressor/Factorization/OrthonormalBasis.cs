using System.Numerics.Tensors;

namespace EdgeLowRank.Compressor.Factorization;

/// <summary>
/// An orthonormal basis grown one vector at a time: the Q of a QR factorization of the selected
/// columns (or rows) built incrementally, so every prefix of the selection has its basis for free.
/// Classical Gram–Schmidt applied twice ("twice is enough": Giraud, Langou &amp; Rozložník 2005) keeps
/// the basis orthonormal to working precision; a vector whose remainder is negligible against its
/// own norm adds no direction (the selection is linearly dependent), which is how the pseudo-inverses
/// C⁺ and R⁺ of rank-deficient selections stay well defined.
/// </summary>
/// <remarks>
/// Blocked (BCGS2, Barlow &amp; Smoktunowicz 2013): a block of vectors is first projected off the basis held before it
/// by two pairs of matrix products, then each vector off the block's earlier ones as above. The flops are those of
/// vector-at-a-time Gram–Schmidt, but most run at matrix-product speed instead of streaming the whole basis through
/// memory twice per vector; CUR's bases of LeNet-300-100's first layer took about a quarter of its C step that way.
/// </remarks>
internal sealed class OrthonormalBasis
{
    private const double DependenceThreshold = 1e-10;
    private const int BlockSize = 32;
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

    /// <summary>The basis vectors as rows: Count × length, row-major.</summary>
    public ReadOnlySpan<double> Rows => rows.AsSpan(0, Count * length);

    /// <summary>
    /// Adds, in order, the directions of the <paramref name="count"/> rows of <paramref name="vectors"/> not yet spanned,
    /// skipping negligible ones, and records <see cref="Count"/> after each in <paramref name="countAfter"/>.
    /// </summary>
    public void AddRange(ReadOnlySpan<double> vectors, int count, Span<int> countAfter)
    {
        var originalNorms = new double[BlockSize];
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
        int earlier = Count - from;
        Span<double> projections = stackalloc double[earlier];
        for (int pass = 0; pass < 2; pass++)
        {
            for (int i = 0; i < earlier; i++)
            {
                projections[i] = TensorPrimitives.Dot<double>(rows.AsSpan((from + i) * length, length), next);
            }
            for (int i = 0; i < earlier; i++)
            {
                DenseKernels.AddScaled(next, -projections[i], rows.AsSpan((from + i) * length, length));
            }
        }
        double norm = TensorPrimitives.Norm<double>(next);
        if (norm <= DependenceThreshold * originalNorm)
        {
            next.Clear();
            return false;
        }
        TensorPrimitives.Multiply<double>(next, 1 / norm, next);
        return true;
    }
}
