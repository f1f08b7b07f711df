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
internal sealed class OrthonormalBasis
{
    private const double DependenceThreshold = 1e-10;
    private readonly int length;
    private readonly double[] rows;
    private readonly double[] coefficients;

    public OrthonormalBasis(int length, int capacity)
    {
        this.length = length;
        rows = new double[length * capacity];
        coefficients = new double[capacity];
    }

    /// <summary>How many orthonormal vectors the basis holds.</summary>
    public int Count { get; private set; }

    /// <summary>The basis vectors as rows: Count × length, row-major.</summary>
    public ReadOnlySpan<double> Rows => rows.AsSpan(0, Count * length);

    /// <summary>Adds the direction of <paramref name="vector"/> not yet spanned, if it is not negligible.</summary>
    public void Add(ReadOnlySpan<double> vector)
    {
        Span<double> next = rows.AsSpan(Count * length, length);
        vector.CopyTo(next);
        double originalNorm = TensorPrimitives.Norm<double>(next);
        if (originalNorm == 0)
        {
            return;
        }
        for (int pass = 0; pass < 2; pass++)
        {
            for (int i = 0; i < Count; i++)
            {
                coefficients[i] = TensorPrimitives.Dot<double>(rows.AsSpan(i * length, length), next);
            }
            for (int i = 0; i < Count; i++)
            {
                DenseKernels.AddScaled(next, -coefficients[i], rows.AsSpan(i * length, length));
            }
        }
        double norm = TensorPrimitives.Norm<double>(next);
        if (norm <= DependenceThreshold * originalNorm)
        {
            next.Clear();
            return;
        }
        TensorPrimitives.Multiply<double>(next, 1 / norm, next);
        Count++;
    }
}
