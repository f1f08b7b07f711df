namespace EdgeLowRank.Runtime.Kernels;

/// <summary>
/// A number of batch rows known at compile time. The GEMM micro-kernel takes its height as a type
/// argument so that one source serves the full block (6 or 8 rows, by width) and every M-tail: each
/// instantiation is compiled with the unused accumulators removed.
/// </summary>
internal interface IRowCount
{
    /// <summary>The number of rows.</summary>
    static abstract int Value { get; }
}

internal readonly struct OneRow : IRowCount { public static int Value => 1; }
internal readonly struct TwoRows : IRowCount { public static int Value => 2; }
internal readonly struct ThreeRows : IRowCount { public static int Value => 3; }
internal readonly struct FourRows : IRowCount { public static int Value => 4; }
internal readonly struct FiveRows : IRowCount { public static int Value => 5; }
internal readonly struct SixRows : IRowCount { public static int Value => 6; }
internal readonly struct SevenRows : IRowCount { public static int Value => 7; }
internal readonly struct EightRows : IRowCount { public static int Value => 8; }
