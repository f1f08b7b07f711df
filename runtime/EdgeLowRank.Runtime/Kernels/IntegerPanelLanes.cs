using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>One vector width's integer product of quantized rows and a panel of <see cref="IntegerPanels"/>, reading each
/// level as a <typeparamref name="TLevel"/>: the 16-bit values <see cref="QuantizedRows.Values"/> (widened for a multiply-add
/// of pairs, they load four in a 64-bit lane), or their bytes, <see cref="QuantizedRows.Bytes"/> (a dot product of four bytes).</summary>
internal interface IIntegerPanelLanes<TLevel> where TLevel : unmanaged
{
    /// <summary>Row <paramref name="m"/>'s 16 outputs of one panel into <paramref name="outputs"/>: the sums of
    /// <paramref name="groups"/> groups of 64 weight bytes at <paramref name="panel"/> against the row's values four at a
    /// time (four levels a group) at <paramref name="row"/>. The sums are exact: every width gives
    /// the same integers, and <see cref="IntegerOutputs"/> the same floats from them.</summary>
    static abstract void Row(ref sbyte panel, ref TLevel row, int groups, in IntegerOutputs outputs, int m);

    /// <summary>How many rows <see cref="Tile"/> multiplies at once: each 64-byte group is loaded and widened once for all of them.</summary>
    static abstract int TileRows { get; }

    /// <summary><see cref="Row"/> for rows <paramref name="m"/> to <paramref name="m"/> + <see cref="TileRows"/> − 1, their
    /// values <paramref name="stride"/> apart.</summary>
    static abstract void Tile(ref sbyte panel, ref TLevel rows, int stride, int groups, in IntegerOutputs outputs, int m);

    /// <summary>What the sums take from every level: they are Σ_k (q(k) − LevelOffset)·w(k, c), 0 but for arm64's signed dot
    /// product, whose bytes hold q − 128; the outputs correct them with (z − LevelOffset)·Σ_k w(k, c).</summary>
    static abstract int LevelOffset { get; }

    /// <summary>Whether this CPU has the instructions the lanes call by name (a width without them has no software stand-in).</summary>
    static abstract bool IsSupported { get; }
}

/// <summary>
/// 512 bits (AVX-512BW): a group's 64 bytes widen to two vectors of 32 16-bit weights (columns 0–7 and 8–15, four rows
/// each), each multiplied by the row's four values broadcast and summed in adjacent pairs (vpmaddwd): 64 products in two
/// instructions. Each column ends with two partial sums (rows 0–1 and 2–3 of every group), added once per panel.
/// </summary>
internal readonly struct IntegerLanes512 : IIntegerPanelLanes<ushort>
{
    public static int TileRows => 4;

    public static int LevelOffset => 0;

    public static bool IsSupported => Avx512BW.IsSupported;

    public static void Row(ref sbyte panel, ref ushort row, int groups, in IntegerOutputs outputs, int m)
    {
        Vector512<int> low = Vector512<int>.Zero, high = Vector512<int>.Zero;
        for (int g = 0; g < groups; g++)
        {
            Vector512<sbyte> w = Vector512.LoadUnsafe(ref panel, (nuint)(g * IntegerPanels.GroupBytes));
            Vector512<short> x = Quad(ref row, g);
            low += Avx512BW.MultiplyAddAdjacent(Vector512.WidenLower(w), x);
            high += Avx512BW.MultiplyAddAdjacent(Vector512.WidenUpper(w), x);
        }
        outputs.Store(Sums(low, high), m, 0);
    }

    public static void Tile(ref sbyte panel, ref ushort rows, int stride, int groups, in IntegerOutputs outputs, int m)
    {
        Vector512<int> low0 = default, high0 = default, low1 = default, high1 = default;
        Vector512<int> low2 = default, high2 = default, low3 = default, high3 = default;
        ref ushort row1 = ref Unsafe.Add(ref rows, stride), row2 = ref Unsafe.Add(ref rows, 2 * stride), row3 = ref Unsafe.Add(ref rows, 3 * stride);
        for (int g = 0; g < groups; g++)
        {
            Vector512<sbyte> w = Vector512.LoadUnsafe(ref panel, (nuint)(g * IntegerPanels.GroupBytes));
            Vector512<short> left = Vector512.WidenLower(w), right = Vector512.WidenUpper(w);
            Vector512<short> x = Quad(ref rows, g);
            low0 += Avx512BW.MultiplyAddAdjacent(left, x);
            high0 += Avx512BW.MultiplyAddAdjacent(right, x);
            x = Quad(ref row1, g);
            low1 += Avx512BW.MultiplyAddAdjacent(left, x);
            high1 += Avx512BW.MultiplyAddAdjacent(right, x);
            x = Quad(ref row2, g);
            low2 += Avx512BW.MultiplyAddAdjacent(left, x);
            high2 += Avx512BW.MultiplyAddAdjacent(right, x);
            x = Quad(ref row3, g);
            low3 += Avx512BW.MultiplyAddAdjacent(left, x);
            high3 += Avx512BW.MultiplyAddAdjacent(right, x);
        }
        // Every row's sums before any row is stored: an accumulator still live across a store's calls would be kept in
        // memory, and written there on every pass of the loop.
        Vector512<int> sums0 = Sums(low0, high0), sums1 = Sums(low1, high1), sums2 = Sums(low2, high2), sums3 = Sums(low3, high3);
        outputs.Store(sums0, m, 0);
        outputs.Store(sums1, m + 1, 0);
        outputs.Store(sums2, m + 2, 0);
        outputs.Store(sums3, m + 3, 0);
    }

    /// <summary>Group <paramref name="g"/>'s four values of a row, broadcast to every 64-bit lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<short> Quad(ref ushort row, int g) =>
        Vector512.Create(Unsafe.ReadUnaligned<long>(ref Unsafe.As<ushort, byte>(ref Unsafe.Add(ref row, g * IntegerPanels.GroupRows)))).AsInt16();

    /// <summary>Columns 0–7's pairs in <paramref name="low"/> and 8–15's in <paramref name="high"/>, each column's two
    /// partial sums added, in column order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<int> Sums(Vector512<int> low, Vector512<int> high)
    {
        Vector512<int> even = Avx512F.PermuteVar16x32x2(low, Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30), high);
        Vector512<int> odd = Avx512F.PermuteVar16x32x2(low, Vector512.Create(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31), high);
        return even + odd;
    }
}

/// <summary>256 bits (AVX2): as <see cref="IntegerLanes512"/> with four vectors of four columns; the pairs are added by a
/// horizontal add, whose 128-bit halves a 64-bit permutation puts back in column order.</summary>
internal readonly struct IntegerLanes256 : IIntegerPanelLanes<ushort>
{
    public static int TileRows => 2;

    public static int LevelOffset => 0;

    public static bool IsSupported => Avx2.IsSupported;

    public static void Row(ref sbyte panel, ref ushort row, int groups, in IntegerOutputs outputs, int m)
    {
        Vector256<int> a = Vector256<int>.Zero, b = Vector256<int>.Zero, c = Vector256<int>.Zero, d = Vector256<int>.Zero;
        for (int g = 0; g < groups; g++)
        {
            Vector256<sbyte> left = Vector256.LoadUnsafe(ref panel, (nuint)(g * IntegerPanels.GroupBytes));
            Vector256<sbyte> right = Vector256.LoadUnsafe(ref panel, (nuint)(g * IntegerPanels.GroupBytes + 32));
            Vector256<short> x = Quad(ref row, g);
            a += Avx2.MultiplyAddAdjacent(Vector256.WidenLower(left), x);
            b += Avx2.MultiplyAddAdjacent(Vector256.WidenUpper(left), x);
            c += Avx2.MultiplyAddAdjacent(Vector256.WidenLower(right), x);
            d += Avx2.MultiplyAddAdjacent(Vector256.WidenUpper(right), x);
        }
        outputs.Store(Pairs(a, b), Pairs(c, d), m, 0);
    }

    public static void Tile(ref sbyte panel, ref ushort rows, int stride, int groups, in IntegerOutputs outputs, int m)
    {
        Vector256<int> a0 = default, b0 = default, c0 = default, d0 = default, a1 = default, b1 = default, c1 = default, d1 = default;
        ref ushort row1 = ref Unsafe.Add(ref rows, stride);
        for (int g = 0; g < groups; g++)
        {
            Vector256<sbyte> left = Vector256.LoadUnsafe(ref panel, (nuint)(g * IntegerPanels.GroupBytes));
            Vector256<sbyte> right = Vector256.LoadUnsafe(ref panel, (nuint)(g * IntegerPanels.GroupBytes + 32));
            Vector256<short> w0 = Vector256.WidenLower(left), w1 = Vector256.WidenUpper(left), w2 = Vector256.WidenLower(right), w3 = Vector256.WidenUpper(right);
            Vector256<short> x = Quad(ref rows, g);
            a0 += Avx2.MultiplyAddAdjacent(w0, x);
            b0 += Avx2.MultiplyAddAdjacent(w1, x);
            c0 += Avx2.MultiplyAddAdjacent(w2, x);
            d0 += Avx2.MultiplyAddAdjacent(w3, x);
            x = Quad(ref row1, g);
            a1 += Avx2.MultiplyAddAdjacent(w0, x);
            b1 += Avx2.MultiplyAddAdjacent(w1, x);
            c1 += Avx2.MultiplyAddAdjacent(w2, x);
            d1 += Avx2.MultiplyAddAdjacent(w3, x);
        }
        // Both rows' sums before either is stored (see IntegerLanes512.Tile).
        Vector256<int> low0 = Pairs(a0, b0), high0 = Pairs(c0, d0), low1 = Pairs(a1, b1), high1 = Pairs(c1, d1);
        outputs.Store(low0, high0, m, 0);
        outputs.Store(low1, high1, m + 1, 0);
    }

    /// <summary>Group <paramref name="g"/>'s four values of a row, broadcast to every 64-bit lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<short> Quad(ref ushort row, int g) =>
        Vector256.Create(Unsafe.ReadUnaligned<long>(ref Unsafe.As<ushort, byte>(ref Unsafe.Add(ref row, g * IntegerPanels.GroupRows)))).AsInt16();

    /// <summary>The pairs of four columns in <paramref name="a"/> and of the next four in <paramref name="b"/> added, in
    /// column order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Pairs(Vector256<int> a, Vector256<int> b) =>
        Avx2.Permute4x64(Avx2.HorizontalAdd(a, b).AsInt64(), 0b11_01_10_00).AsInt32();
}

/// <summary>
/// 128 bits: x64's pmaddwd, or on arm64 the same pairs from two widening multiplies (smull, smull2) added pairwise (addp);
/// eight vectors of two columns, each column's pairs added pairwise at the end. Where arm64 has the dot product (Armv8.2's
/// sdot: a Pi 5's Cortex-A76, in a binary published for it), a group is four of them, each summing four rows of four
/// columns straight from the bytes, against the row's levels less 128 (signed bytes, as sdot multiplies).
/// </summary>
internal readonly struct IntegerLanes128 : IIntegerPanelLanes<ushort>
{
    public static int TileRows => 1; // eight accumulators a row already: x64's SSE has sixteen registers

    public static int LevelOffset => Dp.IsSupported ? 128 : 0;

    public static bool IsSupported => Sse2.IsSupported || AdvSimd.Arm64.IsSupported;

    public static void Tile(ref sbyte panel, ref ushort rows, int stride, int groups, in IntegerOutputs outputs, int m) =>
        Row(ref panel, ref rows, groups, outputs, m);

    public static void Row(ref sbyte panel, ref ushort row, int groups, in IntegerOutputs outputs, int m)
    {
        if (Dp.IsSupported)
        {
            DotSums(ref panel, ref row, groups, outputs, m);
            return;
        }
        Vector128<int> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        for (int g = 0; g < groups; g++)
        {
            ref sbyte group = ref Unsafe.Add(ref panel, g * IntegerPanels.GroupBytes);
            Vector128<short> x = Vector128.Create(Unsafe.ReadUnaligned<long>(ref Unsafe.As<ushort, byte>(ref Unsafe.Add(ref row, g * IntegerPanels.GroupRows)))).AsInt16();
            Vector128<sbyte> w = Vector128.LoadUnsafe(ref group);
            a0 += Pairs(Vector128.WidenLower(w), x);
            a1 += Pairs(Vector128.WidenUpper(w), x);
            w = Vector128.LoadUnsafe(ref group, 16);
            a2 += Pairs(Vector128.WidenLower(w), x);
            a3 += Pairs(Vector128.WidenUpper(w), x);
            w = Vector128.LoadUnsafe(ref group, 32);
            a4 += Pairs(Vector128.WidenLower(w), x);
            a5 += Pairs(Vector128.WidenUpper(w), x);
            w = Vector128.LoadUnsafe(ref group, 48);
            a6 += Pairs(Vector128.WidenLower(w), x);
            a7 += Pairs(Vector128.WidenUpper(w), x);
        }
        outputs.Store(AddPairs(a0, a1), AddPairs(a2, a3), AddPairs(a4, a5), AddPairs(a6, a7), m, 0);
    }

    /// <summary>Σ_k (q(k) − 128)·w(k, c) by arm64's signed dot product: lane c of a group's 16-byte quarter is column c's
    /// four rows against the row's four levels, biased into signed bytes.</summary>
    private static void DotSums(ref sbyte panel, ref ushort row, int groups, in IntegerOutputs outputs, int m)
    {
        Vector128<int> a0 = default, a1 = default, a2 = default, a3 = default;
        for (int g = 0; g < groups; g++)
        {
            ref sbyte group = ref Unsafe.Add(ref panel, g * IntegerPanels.GroupBytes);
            Vector64<byte> levels = AdvSimd.ExtractNarrowingLower(Vector128.CreateScalar(
                Unsafe.ReadUnaligned<long>(ref Unsafe.As<ushort, byte>(ref Unsafe.Add(ref row, g * IntegerPanels.GroupRows)))).AsUInt16());
            Vector128<sbyte> x = AdvSimd.DuplicateSelectedScalarToVector128((levels ^ Vector64.Create((byte)0x80)).AsInt32(), 0).AsSByte();
            a0 = Dp.DotProduct(a0, Vector128.LoadUnsafe(ref group), x);
            a1 = Dp.DotProduct(a1, Vector128.LoadUnsafe(ref group, 16), x);
            a2 = Dp.DotProduct(a2, Vector128.LoadUnsafe(ref group, 32), x);
            a3 = Dp.DotProduct(a3, Vector128.LoadUnsafe(ref group, 48), x);
        }
        outputs.Store(a0, a1, a2, a3, m, 128);
    }

    /// <summary>w(2i)·x(2i) + w(2i+1)·x(2i+1) in 32-bit lane i.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Pairs(Vector128<short> w, Vector128<short> x)
    {
        if (Sse2.IsSupported) return Sse2.MultiplyAddAdjacent(w, x);
        if (AdvSimd.Arm64.IsSupported)
            return AdvSimd.Arm64.AddPairwise(AdvSimd.MultiplyWideningLower(w.GetLower(), x.GetLower()), AdvSimd.MultiplyWideningUpper(w, x));
        throw new PlatformNotSupportedException(); // the 128-bit path runs only where Vector128 is accelerated: x64 or arm64
    }

    /// <summary>[a0 + a1, a2 + a3, b0 + b1, b2 + b3]: two columns' pairs from each of two vectors, in column order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> AddPairs(Vector128<int> a, Vector128<int> b)
    {
        if (Ssse3.IsSupported) return Ssse3.HorizontalAdd(a, b);
        if (AdvSimd.Arm64.IsSupported) return AdvSimd.Arm64.AddPairwise(a, b);
        return Vector128.Create(a[0] + a[1], a[2] + a[3], b[0] + b[1], b[2] + b[3]);
    }
}
