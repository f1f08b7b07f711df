using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>Sixteen signed bytes sign-extended to sixteen ints with the portable vector API: what the 256- and 512-bit
/// panel rows use where their x64 instruction (vpmovsxbd) is missing, which is where they run in software, in the
/// kernel tests on arm64. A function of its own so that the tests check it on every machine.</summary>
internal static class PortableWidening
{
    /// <summary>Bytes 0–7 and 8–15 of <paramref name="bytes"/> as two vectors of eight ints.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector256<int> Low, Vector256<int> High) To256(Vector128<sbyte> bytes)
    {
        (Vector128<short> first, Vector128<short> second) = Vector128.Widen(bytes);
        return Vector256.Widen(Vector256.Create(first, second));
    }
}
