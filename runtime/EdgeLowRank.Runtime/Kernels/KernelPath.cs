namespace EdgeLowRank.Runtime.Kernels;

/// <summary>Which instruction width a kernel runs with. Every path computes the same result
/// (within rounding); choosing one explicitly is for tests, benchmarks and reports.</summary>
public enum KernelPath
{
    /// <summary>The widest hardware-accelerated path: <see cref="Vector512"/> where available, else
    /// <see cref="Vector256"/>, else <see cref="Vector128"/>, else <see cref="Scalar"/>. See <see cref="KernelPaths.Resolve"/>.</summary>
    Auto = 0,
    /// <summary>The plain scalar reference: the oracle the SIMD paths are tested against.</summary>
    Scalar = 1,
    /// <summary>128-bit vectors: AdvSimd on arm64 (the only width there), SSE/AVX on x64.</summary>
    Vector128 = 2,
    /// <summary>256-bit vectors: AVX2/FMA on x64.</summary>
    Vector256 = 3,
    /// <summary>512-bit vectors: AVX-512F on x64, where <see cref="System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated"/>
    /// (the JIT on an AVX-512 CPU). A NativeAOT binary published for x86-64-v3 has no AVX-512, so there
    /// <see cref="Auto"/> stays <see cref="Vector256"/>; arm64 has no 512-bit vectors.</summary>
    Vector512 = 4,
}
