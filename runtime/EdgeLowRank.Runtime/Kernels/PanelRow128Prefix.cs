using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>
/// The first <typeparamref name="TVectors"/> 128-bit vectors of a panel row: how the narrow widths run a partial last
/// panel, whose columns past 4·<typeparamref name="TVectors"/> are zero padding. A full <see cref="PanelRow128"/> would
/// spend four vectors of multiply–adds on LeNet-5's 4-column tail (20 channels) where one holds the results, and a
/// <see cref="PanelRow256"/> two. It multiplies and stores only its own vectors; the packed panel keeps its 16-element
/// rows (64 bytes f32, 16 int8), so the loads step over the padding: f32 loads only its own vectors, int8 its row's 16 bytes.
/// </summary>
/// <typeparam name="TVectors">How many vectors: 1 to 3.</typeparam>
internal struct PanelRow128Prefix<TVectors> : IPanelRow<PanelRow128Prefix<TVectors>> where TVectors : struct, ICount
{
    private Vector128<float> _v0;
    private Vector128<float> _v1;
    private Vector128<float> _v2;

    /// <summary>6 rows where there are 32 vector registers, as <see cref="PanelRow128"/>; with 16 (an x86-64-v3 build),
    /// as many of 6 as keep the accumulators (rows × vectors) within 8, where <see cref="PanelRow128"/>'s 2-row blocks
    /// measured fastest. That bound is carried over, not measured for these narrower rows.</summary>
    public static int BlockRows => AdvSimd.IsSupported || Avx512F.VL.IsSupported ? 6 : Math.Min(6, 8 / TVectors.Value);

    public static PanelRow128Prefix<TVectors> Zero
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => default;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PanelRow128Prefix<TVectors> Load(ref readonly float source)
    {
        PanelRow128Prefix<TVectors> row = default;
        row._v0 = Vector128.LoadUnsafe(in source);
        if (TVectors.Value > 1) row._v1 = Vector128.LoadUnsafe(in source, 4);
        if (TVectors.Value > 2) row._v2 = Vector128.LoadUnsafe(in source, 8);
        return row;
    }

    /// <summary>The row's bytes widened as <see cref="PanelRow128.LoadInt8"/> does, only its own vectors (the bytes past them
    /// are padding): on x64 only their quarters are loaded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PanelRow128Prefix<TVectors> LoadInt8(ref readonly sbyte source)
    {
        PanelRow128Prefix<TVectors> row = default;
        if (Sse41.IsSupported)
        {
            row._v0 = Vector128.ConvertToSingle(PanelRow128.Quarter(in source, 0));
            if (TVectors.Value > 1) row._v1 = Vector128.ConvertToSingle(PanelRow128.Quarter(in source, 1));
            if (TVectors.Value > 2) row._v2 = Vector128.ConvertToSingle(PanelRow128.Quarter(in source, 2));
            return row;
        }
        (Vector128<int> a, Vector128<int> b, Vector128<int> c, _) = PortableWidening.To128(Vector128.LoadUnsafe(in source));
        row._v0 = Vector128.ConvertToSingle(a);
        if (TVectors.Value > 1) row._v1 = Vector128.ConvertToSingle(b);
        if (TVectors.Value > 2) row._v2 = Vector128.ConvertToSingle(c);
        return row;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PanelRow128Prefix<TVectors> Scale(PanelRow128Prefix<TVectors> sum, in PanelRow128Prefix<TVectors> scales)
    {
        sum._v0 *= scales._v0;
        if (TVectors.Value > 1) sum._v1 *= scales._v1;
        if (TVectors.Value > 2) sum._v2 *= scales._v2;
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyAdd(float a, in PanelRow128Prefix<TVectors> row, ref PanelRow128Prefix<TVectors> accumulator)
    {
        var broadcast = Vector128.Create(a);
        accumulator._v0 = Vector128.MultiplyAddEstimate(broadcast, row._v0, accumulator._v0);
        if (TVectors.Value > 1) accumulator._v1 = Vector128.MultiplyAddEstimate(broadcast, row._v1, accumulator._v1);
        if (TVectors.Value > 2) accumulator._v2 = Vector128.MultiplyAddEstimate(broadcast, row._v2, accumulator._v2);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PanelRow128Prefix<TVectors> Add(PanelRow128Prefix<TVectors> left, PanelRow128Prefix<TVectors> right)
    {
        left._v0 += right._v0;
        if (TVectors.Value > 1) left._v1 += right._v1;
        if (TVectors.Value > 2) left._v2 += right._v2;
        return left;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(PanelRow128Prefix<TVectors> sum, ref readonly float bias, FusedActivation activation, ref float destination)
    {
        StoreVector(sum._v0, in bias, activation, ref destination);
        if (TVectors.Value > 1) StoreVector(sum._v1, in Unsafe.Add(ref Unsafe.AsRef(in bias), 4), activation, ref Unsafe.Add(ref destination, 4));
        if (TVectors.Value > 2) StoreVector(sum._v2, in Unsafe.Add(ref Unsafe.AsRef(in bias), 8), activation, ref Unsafe.Add(ref destination, 8));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreVector(Vector128<float> sum, ref readonly float bias, FusedActivation activation, ref float destination)
    {
        var value = sum + Vector128.LoadUnsafe(in bias);
        if (activation.Clamps) value = Vector128.Max(value, Vector128<float>.Zero);
        if (activation.Caps) value = Vector128.Min(value, Vector128.Create(activation.Ceiling));
        if (activation.HardSwishes) value = HardSwishKernel.Of(value);
        value.StoreUnsafe(ref destination);
    }
}
