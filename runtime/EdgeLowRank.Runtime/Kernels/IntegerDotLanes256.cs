using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>
/// 256 bits with x64's dot product of four bytes (AVX-VNNI's vpdpbusd: Intel since Alder Lake, AMD since Zen 5): each 32-bit
/// lane of a group's two 32-byte halves is one column's four rows, multiplied by the row's four levels broadcast (unsigned
/// bytes, as vpdpbusd takes them, so the levels go in as they are) and added to the lane's sum in the same instruction:
/// 32 products an instruction with no widening and no separate add, the sums already in column order. Where .NET has it
/// (AvxVnni), it replaces the multiply-add of pairs at 256 and 512 bits (<see cref="IntegerDenseKernel"/>).
/// </summary>
internal readonly struct IntegerDotLanes256 : IIntegerPanelLanes<byte>
{
    public static int TileRows => 4; // eight accumulators, two weight vectors and a row's levels: 11 of the 16 registers VEX names

    public static int LevelOffset => 0;

    public static bool IsSupported => AvxVnni.IsSupported;

    public static void Row(ref sbyte panel, ref byte row, int groups, in IntegerOutputs outputs, int m)
    {
        // Two groups a step into two pairs of sums: with one pair, each dot product waited for the one before (one sample
        // at a time, where nothing else hides the latency).
        Vector256<int> low = Vector256<int>.Zero, high = Vector256<int>.Zero, nextLow = Vector256<int>.Zero, nextHigh = Vector256<int>.Zero;
        int g = 0;
        for (; g + 1 < groups; g += 2)
        {
            Vector256<byte> x = Levels(ref row, g), next = Levels(ref row, g + 1);
            low = AvxVnni.MultiplyWideningAndAdd(low, x, Vector256.LoadUnsafe(ref panel, (nuint)(g * IntegerPanels.GroupBytes)));
            high = AvxVnni.MultiplyWideningAndAdd(high, x, Vector256.LoadUnsafe(ref panel, (nuint)(g * IntegerPanels.GroupBytes + 32)));
            nextLow = AvxVnni.MultiplyWideningAndAdd(nextLow, next, Vector256.LoadUnsafe(ref panel, (nuint)(g * IntegerPanels.GroupBytes + 64)));
            nextHigh = AvxVnni.MultiplyWideningAndAdd(nextHigh, next, Vector256.LoadUnsafe(ref panel, (nuint)(g * IntegerPanels.GroupBytes + 96)));
        }
        if (g < groups)
        {
            Vector256<byte> x = Levels(ref row, g);
            low = AvxVnni.MultiplyWideningAndAdd(low, x, Vector256.LoadUnsafe(ref panel, (nuint)(g * IntegerPanels.GroupBytes)));
            high = AvxVnni.MultiplyWideningAndAdd(high, x, Vector256.LoadUnsafe(ref panel, (nuint)(g * IntegerPanels.GroupBytes + 32)));
        }
        outputs.Store(low + nextLow, high + nextHigh, m, 0);
    }

    public static void Tile(ref sbyte panel, ref byte rows, int stride, int groups, in IntegerOutputs outputs, int m)
    {
        Vector256<int> low0 = default, high0 = default, low1 = default, high1 = default;
        Vector256<int> low2 = default, high2 = default, low3 = default, high3 = default;
        ref byte row1 = ref Unsafe.Add(ref rows, stride), row2 = ref Unsafe.Add(ref rows, 2 * stride), row3 = ref Unsafe.Add(ref rows, 3 * stride);
        for (int g = 0; g < groups; g++)
        {
            Vector256<sbyte> left = Vector256.LoadUnsafe(ref panel, (nuint)(g * IntegerPanels.GroupBytes));
            Vector256<sbyte> right = Vector256.LoadUnsafe(ref panel, (nuint)(g * IntegerPanels.GroupBytes + 32));
            Vector256<byte> x = Levels(ref rows, g);
            low0 = AvxVnni.MultiplyWideningAndAdd(low0, x, left);
            high0 = AvxVnni.MultiplyWideningAndAdd(high0, x, right);
            x = Levels(ref row1, g);
            low1 = AvxVnni.MultiplyWideningAndAdd(low1, x, left);
            high1 = AvxVnni.MultiplyWideningAndAdd(high1, x, right);
            x = Levels(ref row2, g);
            low2 = AvxVnni.MultiplyWideningAndAdd(low2, x, left);
            high2 = AvxVnni.MultiplyWideningAndAdd(high2, x, right);
            x = Levels(ref row3, g);
            low3 = AvxVnni.MultiplyWideningAndAdd(low3, x, left);
            high3 = AvxVnni.MultiplyWideningAndAdd(high3, x, right);
        }
        // Every row's outputs before any is written (IntegerOutputs.Values says why).
        var values0 = outputs.Values(low0, high0, m, 0);
        var values1 = outputs.Values(low1, high1, m + 1, 0);
        var values2 = outputs.Values(low2, high2, m + 2, 0);
        var values3 = outputs.Values(low3, high3, m + 3, 0);
        outputs.Store(values0, m);
        outputs.Store(values1, m + 1);
        outputs.Store(values2, m + 2);
        outputs.Store(values3, m + 3);
    }

    /// <summary>Group <paramref name="g"/>'s four levels of a row, in every 32-bit lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<byte> Levels(ref byte row, int g) =>
        Vector256.Create(Unsafe.ReadUnaligned<int>(ref Unsafe.Add(ref row, g * IntegerPanels.GroupRows))).AsByte();
}
