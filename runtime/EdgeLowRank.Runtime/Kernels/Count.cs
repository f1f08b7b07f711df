namespace EdgeLowRank.Runtime.Kernels;

/// <summary>
/// A small number known at compile time, passed as a type argument so that one kernel source is compiled once per
/// value with the unused registers and branches removed: the height of a GEMM block (<see cref="GemmMicroKernel"/>,
/// the full block of 6 or 8 rows and every shorter tail) and the vectors of a narrow panel row
/// (<see cref="PanelRow128Prefix{TVectors}"/>).
/// </summary>
internal interface ICount
{
    /// <summary>The number.</summary>
    static abstract int Value { get; }
}

internal readonly struct One : ICount { public static int Value => 1; }
internal readonly struct Two : ICount { public static int Value => 2; }
internal readonly struct Three : ICount { public static int Value => 3; }
internal readonly struct Four : ICount { public static int Value => 4; }
internal readonly struct Five : ICount { public static int Value => 5; }
internal readonly struct Six : ICount { public static int Value => 6; }
internal readonly struct Seven : ICount { public static int Value => 7; }
internal readonly struct Eight : ICount { public static int Value => 8; }
