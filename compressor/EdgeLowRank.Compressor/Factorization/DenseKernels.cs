using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EdgeLowRank.Compressor.Factorization;

/// <summary>
/// Row-major double-precision products used by the factorizations. MathNet's managed multiply took
/// about 100 ms for 300×784 · 784×300 here; a register-blocked kernel with <see cref="Vector{T}"/>
/// is several times faster, which is what keeps the SVD under its time budget.
/// </summary>
internal static class DenseKernels
{
    /// <summary>c (m×n) = a (m×k) · b (k×n), all row-major; c is overwritten.</summary>
    public static void Multiply(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c, int m, int k, int n) =>
        Product(a, b, c, m, k, n, subtract: false);

    /// <summary>
    /// c (m×n) −= a (m×k) · b (k×n), all row-major: a rank-k update in one pass over c, where a product into a buffer
    /// and a subtraction would read and write c's size twice more (the blocked Gram–Schmidt and pivoted QR updates).
    /// </summary>
    public static void MultiplySubtract(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c, int m, int k, int n) =>
        Product(a, b, c, m, k, n, subtract: true);

    /// <summary>The one kernel behind both: each finished tile of a·b is stored, or subtracted from what c holds.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Product(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c, int m, int k, int n, bool subtract)
    {
        // The loops below index through unchecked references: a span shorter than its dimensions (a workspace sliced
        // wrong) would read and write past its end without a word. Three comparisons per product.
        if (a.Length < m * k || b.Length < k * n || c.Length < m * n)
        {
            throw new ArgumentException($"Spans of {a.Length}, {b.Length} and {c.Length} cannot hold {m}×{k} · {k}×{n} = {m}×{n}.");
        }
        int width = Vector<double>.Count;
        int tile = 2 * width;
        int fullTiles = n - n % tile;
        ref double aRef = ref MemoryMarshal.GetReference(a);
        ref double bRef = ref MemoryMarshal.GetReference(b);
        ref double cRef = ref MemoryMarshal.GetReference(c);

        // Column tiles outermost: the k×tile panel of b stays in L2 while every row block of a
        // streams past it. Four rows × two vectors = eight accumulators held in registers.
        for (int j = 0; j < fullTiles; j += tile)
        {
            int i = 0;
            for (; i + 4 <= m; i += 4)
            {
                Vector<double> c00 = default, c01 = default, c10 = default, c11 = default;
                Vector<double> c20 = default, c21 = default, c30 = default, c31 = default;
                ref double a0 = ref Unsafe.Add(ref aRef, i * k);
                ref double a1 = ref Unsafe.Add(ref a0, k);
                ref double a2 = ref Unsafe.Add(ref a1, k);
                ref double a3 = ref Unsafe.Add(ref a2, k);
                for (int p = 0; p < k; p++)
                {
                    ref double bRow = ref Unsafe.Add(ref bRef, p * n + j);
                    var b0 = Vector.LoadUnsafe(ref bRow);
                    var b1 = Vector.LoadUnsafe(ref Unsafe.Add(ref bRow, width));
                    var s0 = new Vector<double>(Unsafe.Add(ref a0, p));
                    var s1 = new Vector<double>(Unsafe.Add(ref a1, p));
                    var s2 = new Vector<double>(Unsafe.Add(ref a2, p));
                    var s3 = new Vector<double>(Unsafe.Add(ref a3, p));
                    c00 = Vector.FusedMultiplyAdd(s0, b0, c00); c01 = Vector.FusedMultiplyAdd(s0, b1, c01);
                    c10 = Vector.FusedMultiplyAdd(s1, b0, c10); c11 = Vector.FusedMultiplyAdd(s1, b1, c11);
                    c20 = Vector.FusedMultiplyAdd(s2, b0, c20); c21 = Vector.FusedMultiplyAdd(s2, b1, c21);
                    c30 = Vector.FusedMultiplyAdd(s3, b0, c30); c31 = Vector.FusedMultiplyAdd(s3, b1, c31);
                }
                ref double cRow = ref Unsafe.Add(ref cRef, i * n + j);
                Store(c00, ref cRow, subtract); Store(c01, ref Unsafe.Add(ref cRow, width), subtract);
                Store(c10, ref Unsafe.Add(ref cRow, n), subtract); Store(c11, ref Unsafe.Add(ref cRow, n + width), subtract);
                Store(c20, ref Unsafe.Add(ref cRow, 2 * n), subtract); Store(c21, ref Unsafe.Add(ref cRow, 2 * n + width), subtract);
                Store(c30, ref Unsafe.Add(ref cRow, 3 * n), subtract); Store(c31, ref Unsafe.Add(ref cRow, 3 * n + width), subtract);
            }
            for (; i < m; i++)
            {
                Vector<double> c0 = default, c1 = default;
                for (int p = 0; p < k; p++)
                {
                    ref double bRow = ref Unsafe.Add(ref bRef, p * n + j);
                    var s = new Vector<double>(Unsafe.Add(ref aRef, i * k + p));
                    c0 = Vector.FusedMultiplyAdd(s, Vector.LoadUnsafe(ref bRow), c0);
                    c1 = Vector.FusedMultiplyAdd(s, Vector.LoadUnsafe(ref Unsafe.Add(ref bRow, width)), c1);
                }
                Store(c0, ref Unsafe.Add(ref cRef, i * n + j), subtract);
                Store(c1, ref Unsafe.Add(ref cRef, i * n + j + width), subtract);
            }
        }

        // The last n mod tile columns: plain loops, once, in the driver.
        for (int i = 0; i < m && fullTiles < n; i++)
        {
            for (int j = fullTiles; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                {
                    sum += a[i * k + p] * b[p * n + j];
                }
                c[i * n + j] = subtract ? c[i * n + j] - sum : sum;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector<double> tile, ref double destination, bool subtract) =>
        (subtract ? Vector.LoadUnsafe(ref destination) - tile : tile).StoreUnsafe(ref destination);

    /// <summary>Returns the n×m transpose of the row-major m×n matrix <paramref name="a"/>.</summary>
    public static double[] Transpose(ReadOnlySpan<double> a, int m, int n)
    {
        var t = new double[m * n];
        Transpose(a, m, n, t);
        return t;
    }

    /// <summary>Writes the n×m transpose of the row-major m×n matrix <paramref name="a"/> to the first m·n entries of <paramref name="t"/>.</summary>
    public static void Transpose(ReadOnlySpan<double> a, int m, int n, Span<double> t)
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                t[j * m + i] = a[i * n + j];
            }
        }
    }

    /// <summary>y += alpha · x (both of the same length).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddScaled(Span<double> y, double alpha, ReadOnlySpan<double> x)
    {
        int width = Vector<double>.Count;
        int i = 0;
        var scale = new Vector<double>(alpha);
        ref double yRef = ref MemoryMarshal.GetReference(y);
        ref double xRef = ref MemoryMarshal.GetReference(x);
        for (; i + width <= y.Length; i += width)
        {
            var sum = Vector.FusedMultiplyAdd(scale, Vector.LoadUnsafe(ref xRef, (nuint)i), Vector.LoadUnsafe(ref yRef, (nuint)i));
            sum.StoreUnsafe(ref yRef, (nuint)i);
        }
        for (; i < y.Length; i++)
        {
            y[i] += alpha * x[i];
        }
    }

    /// <summary>Replaces (x, y) by (c·x − s·y, s·x + c·y): a plane rotation of two rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Rotate(Span<double> x, Span<double> y, double c, double s)
    {
        int width = Vector<double>.Count;
        int i = 0;
        var vc = new Vector<double>(c);
        var vs = new Vector<double>(s);
        ref double xRef = ref MemoryMarshal.GetReference(x);
        ref double yRef = ref MemoryMarshal.GetReference(y);
        for (; i + width <= x.Length; i += width)
        {
            var xv = Vector.LoadUnsafe(ref xRef, (nuint)i);
            var yv = Vector.LoadUnsafe(ref yRef, (nuint)i);
            (vc * xv - vs * yv).StoreUnsafe(ref xRef, (nuint)i);
            Vector.FusedMultiplyAdd(vs, xv, vc * yv).StoreUnsafe(ref yRef, (nuint)i);
        }
        for (; i < x.Length; i++)
        {
            double xi = x[i];
            x[i] = c * xi - s * y[i];
            y[i] = s * xi + c * y[i];
        }
    }
}
