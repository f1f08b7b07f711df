using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>Sixteen signed bytes sign-extended to sixteen ints with the portable vector API: what the 128-bit panel rows run
/// on arm64 (SXTL and SXTL2), and what the 256- and 512-bit ones use where their x64 instruction (vpmovsxbd) is missing,
/// which is where they run in software, in the kernel tests on arm64. Functions of their own so that the tests check them on
/// every machine, x64 included, where the panel rows take the x64 instructions instead.</summary>
internal static class PortableWidening
{
    /// <summary>Bytes 0–3, 4–7, 8–11 and 12–15 of <paramref name="bytes"/> as four vectors of four ints.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector128<int> A, Vector128<int> B, Vector128<int> C, Vector128<int> D) To128(Vector128<sbyte> bytes)
    {
        (Vector128<short> low, Vector128<short> high) = Vector128.Widen(bytes);
        (Vector128<int> a, Vector128<int> b) = Vector128.Widen(low);
        (Vector128<int> c, Vector128<int> d) = Vector128.Widen(high);
        return (a, b, c, d);
    }

    /// <summary>Bytes 0–7 and 8–15 of <paramref name="bytes"/> as two vectors of eight ints.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector256<int> Low, Vector256<int> High) To256(Vector128<sbyte> bytes)
    {
        (Vector128<short> first, Vector128<short> second) = Vector128.Widen(bytes);
        return Vector256.Widen(Vector256.Create(first, second));
    }
}
