using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>
/// One row of a weight panel (<see cref="PackedMatrix.PanelWidth"/> = 16 floats) held in registers.
/// The dense kernels are written once against this interface and instantiated per width, so the
/// width is passed in as a type: the JIT (and NativeAOT) compile a separate copy per struct type
/// argument and inline these members, leaving plain vector instructions.
/// </summary>
/// <typeparam name="TSelf">The implementing struct.</typeparam>
internal interface IPanelRow<TSelf> where TSelf : struct, IPanelRow<TSelf>
{
    /// <summary>How many batch rows one GEMM block holds: as many accumulator rows as the vector
    /// register file keeps without spilling, at most <see cref="GemmMicroKernel.MaxRows"/>.</summary>
    static abstract int BlockRows { get; }

    /// <summary>All sixteen lanes zero.</summary>
    static abstract TSelf Zero { get; }

    /// <summary>Loads sixteen floats starting at <paramref name="source"/>.</summary>
    static abstract TSelf Load(ref readonly float source);

    /// <summary>accumulator += a·row, lane by lane (fused where the CPU has FMA), field by field in place.</summary>
    /// <remarks>In place, not <c>accumulator = f(accumulator)</c>: when a whole struct is assigned, the JIT (.NET 10)
    /// writes FMAs into a temporary register and copies them back (vfmadd213ps + vmovaps): every second FMA of the
    /// 6-row AVX2 GEMM loop, every FMA of the AVX2 GEMV loop. Assigning each field leaves one vfmadd231ps each. AMD's cores
    /// eliminate such moves at rename, so it measured no faster there (bench/RESULTS.md); cores without move
    /// elimination would pay for them.</remarks>
    static abstract void MultiplyAdd(float a, in TSelf row, ref TSelf accumulator);

    /// <summary>left + right, lane by lane.</summary>
    static abstract TSelf Add(TSelf left, TSelf right);

    /// <summary>Loads sixteen signed bytes at <paramref name="source"/> as floats (exactly: every int8 is a float), for int8
    /// panels (<see cref="Int8Rows{TRow}"/>).</summary>
    static abstract TSelf LoadInt8(ref readonly sbyte source);

    /// <summary><paramref name="sum"/> × <paramref name="scales"/>, lane by lane: an int8 panel's column scales applied to a finished sum.</summary>
    static abstract TSelf Scale(TSelf sum, in TSelf scales);

    /// <summary>Stores act(sum + bias) to sixteen floats at <paramref name="destination"/>:
    /// the bias and the activation are fused into the store, so the output is written once.</summary>
    static abstract void Store(TSelf sum, ref readonly float bias, FusedActivation activation, ref float destination);
}

/// <summary>A panel row as two 256-bit vectors (AVX2/FMA on x64).</summary>
internal struct PanelRow256 : IPanelRow<PanelRow256>
{
    private Vector256<float> _low;
    private Vector256<float> _high;

    private PanelRow256(Vector256<float> low, Vector256<float> high)
    {
        _low = low;
        _high = high;
    }

    /// <summary>6 rows: 12 accumulators + 2 panel vectors + 1 broadcast fit x64's 16 registers.</summary>
    public static int BlockRows => 6;

    public static PanelRow256 Zero
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => default;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PanelRow256 Load(ref readonly float source) => new(
        Vector256.LoadUnsafe(in source),
        Vector256.LoadUnsafe(in source, (nuint)Vector256<float>.Count));

    /// <summary>On AVX2, each half is 8 bytes sign-extended straight to 8 ints (vpmovsxbd) and converted; elsewhere (software
    /// vectors in the tests) the portable widening, to the same values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PanelRow256 LoadInt8(ref readonly sbyte source)
    {
        Vector256<int> low, high;
        if (Avx2.IsSupported)
        {
            // Each half an 8-byte load sign-extended by one vpmovsxbd, rather than a 16-byte load and a shift.
            ref byte row = ref Unsafe.As<sbyte, byte>(ref Unsafe.AsRef(in source));
            low = Avx2.ConvertToVector256Int32(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<long>(ref row)).AsSByte());
            high = Avx2.ConvertToVector256Int32(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<long>(ref Unsafe.Add(ref row, 8))).AsSByte());
        }
        else
        {
            (low, high) = PortableWidening.To256(Vector128.LoadUnsafe(in source));
        }
        return new(Vector256.ConvertToSingle(low), Vector256.ConvertToSingle(high));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PanelRow256 Scale(PanelRow256 sum, in PanelRow256 scales) => new(sum._low * scales._low, sum._high * scales._high);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyAdd(float a, in PanelRow256 row, ref PanelRow256 accumulator)
    {
        var broadcast = Vector256.Create(a);
        // MultiplyAddEstimate is one FMA where the CPU has it, and a multiply and an add
        // (not a slow software fused operation) where it does not, e.g. an x86-64-v2 AOT build.
        accumulator._low = Vector256.MultiplyAddEstimate(broadcast, row._low, accumulator._low);
        accumulator._high = Vector256.MultiplyAddEstimate(broadcast, row._high, accumulator._high);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PanelRow256 Add(PanelRow256 left, PanelRow256 right) =>
        new(left._low + right._low, left._high + right._high);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(PanelRow256 sum, ref readonly float bias, FusedActivation activation, ref float destination)
    {
        var low = sum._low + Vector256.LoadUnsafe(in bias);
        var high = sum._high + Vector256.LoadUnsafe(in bias, (nuint)Vector256<float>.Count);
        if (activation.Clamps)
        {
            low = Vector256.Max(low, Vector256<float>.Zero);
            high = Vector256.Max(high, Vector256<float>.Zero);
            if (activation.Caps)
            {
                var ceiling = Vector256.Create(activation.Ceiling);
                low = Vector256.Min(low, ceiling);
                high = Vector256.Min(high, ceiling);
            }
        }
        else if (activation.HardSwishes)
        {
            low = HardSwishKernel.Of(low);
            high = HardSwishKernel.Of(high);
        }
        low.StoreUnsafe(ref destination);
        high.StoreUnsafe(ref destination, (nuint)Vector256<float>.Count);
    }
}

/// <summary>A panel row as four 128-bit vectors (AdvSimd on arm64, SSE/AVX on x64).</summary>
internal struct PanelRow128 : IPanelRow<PanelRow128>
{
    private Vector128<float> _v0;
    private Vector128<float> _v1;
    private Vector128<float> _v2;
    private Vector128<float> _v3;

    private PanelRow128(Vector128<float> v0, Vector128<float> v1, Vector128<float> v2, Vector128<float> v3)
    {
        _v0 = v0;
        _v1 = v1;
        _v2 = v2;
        _v3 = v3;
    }

    /// <summary>6 rows (24 accumulators) where there are 32 vector registers: arm64, and x64 with
    /// AVX-512's EVEX encoding. With 16 (an x86-64-v3 NativeAOT build) six rows spill accumulators
    /// inside the loop; measured at batch 64 on 784→300→100→10: 2 rows 670 µs, 3 rows 1,320 µs, 6 rows 975 µs.</summary>
    public static int BlockRows => AdvSimd.IsSupported || Avx512F.VL.IsSupported ? 6 : 2;

    public static PanelRow128 Zero
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => default;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PanelRow128 Load(ref readonly float source) => new(
        Vector128.LoadUnsafe(in source),
        Vector128.LoadUnsafe(in source, 4),
        Vector128.LoadUnsafe(in source, 8),
        Vector128.LoadUnsafe(in source, 12));

    /// <summary>On x64 (SSE4.1), each 4 bytes loaded straight into one pmovsxbd; elsewhere 16 bytes widened to 2 × 8 shorts and
    /// 4 × 4 ints (on arm64 SXTL and SXTL2, no shuffles). Then converted (CVTDQ2PS, SCVTF).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PanelRow128 LoadInt8(ref readonly sbyte source)
    {
        Vector128<int> a, b, c, d;
        if (Sse41.IsSupported)
        {
            // x64's 128-bit widening of the upper halves takes a shuffle each (JIT, Vector128, LeNet-300-100 factorized int8 at
            // batch 1: 5.27 µs that way, 3.85 this way, f32 2.71).
            a = Quarter(in source, 0);
            b = Quarter(in source, 1);
            c = Quarter(in source, 2);
            d = Quarter(in source, 3);
        }
        else
        {
            (a, b, c, d) = PortableWidening.To128(Vector128.LoadUnsafe(in source));
        }
        return new(Vector128.ConvertToSingle(a), Vector128.ConvertToSingle(b), Vector128.ConvertToSingle(c), Vector128.ConvertToSingle(d));
    }

    /// <summary>Bytes 4q to 4q + 3 of a row, sign-extended to four ints by one pmovsxbd from memory (SSE4.1 only).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<int> Quarter(ref readonly sbyte row, int quarter) =>
        Sse41.ConvertToVector128Int32(Vector128.CreateScalarUnsafe(
            Unsafe.ReadUnaligned<int>(ref Unsafe.As<sbyte, byte>(ref Unsafe.Add(ref Unsafe.AsRef(in row), 4 * quarter)))).AsSByte());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PanelRow128 Scale(PanelRow128 sum, in PanelRow128 scales) =>
        new(sum._v0 * scales._v0, sum._v1 * scales._v1, sum._v2 * scales._v2, sum._v3 * scales._v3);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyAdd(float a, in PanelRow128 row, ref PanelRow128 accumulator)
    {
        var broadcast = Vector128.Create(a);
        accumulator._v0 = Vector128.MultiplyAddEstimate(broadcast, row._v0, accumulator._v0);
        accumulator._v1 = Vector128.MultiplyAddEstimate(broadcast, row._v1, accumulator._v1);
        accumulator._v2 = Vector128.MultiplyAddEstimate(broadcast, row._v2, accumulator._v2);
        accumulator._v3 = Vector128.MultiplyAddEstimate(broadcast, row._v3, accumulator._v3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PanelRow128 Add(PanelRow128 left, PanelRow128 right) =>
        new(left._v0 + right._v0, left._v1 + right._v1, left._v2 + right._v2, left._v3 + right._v3);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(PanelRow128 sum, ref readonly float bias, FusedActivation activation, ref float destination)
    {
        var v0 = sum._v0 + Vector128.LoadUnsafe(in bias);
        var v1 = sum._v1 + Vector128.LoadUnsafe(in bias, 4);
        var v2 = sum._v2 + Vector128.LoadUnsafe(in bias, 8);
        var v3 = sum._v3 + Vector128.LoadUnsafe(in bias, 12);
        if (activation.Clamps)
        {
            v0 = Vector128.Max(v0, Vector128<float>.Zero);
            v1 = Vector128.Max(v1, Vector128<float>.Zero);
            v2 = Vector128.Max(v2, Vector128<float>.Zero);
            v3 = Vector128.Max(v3, Vector128<float>.Zero);
            if (activation.Caps)
            {
                var ceiling = Vector128.Create(activation.Ceiling);
                v0 = Vector128.Min(v0, ceiling);
                v1 = Vector128.Min(v1, ceiling);
                v2 = Vector128.Min(v2, ceiling);
                v3 = Vector128.Min(v3, ceiling);
            }
        }
        else if (activation.HardSwishes)
        {
            v0 = HardSwishKernel.Of(v0);
            v1 = HardSwishKernel.Of(v1);
            v2 = HardSwishKernel.Of(v2);
            v3 = HardSwishKernel.Of(v3);
        }
        v0.StoreUnsafe(ref destination);
        v1.StoreUnsafe(ref destination, 4);
        v2.StoreUnsafe(ref destination, 8);
        v3.StoreUnsafe(ref destination, 12);
    }
}
