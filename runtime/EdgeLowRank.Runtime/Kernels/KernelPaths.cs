using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>What this CPU (and, under NativeAOT, the instruction set the binary was built for) can run.</summary>
public static class KernelPaths
{
    /// <summary>The path <see cref="KernelPath.Auto"/> stands for on this machine.</summary>
    public static KernelPath Best { get; } =
        Vector512.IsHardwareAccelerated ? KernelPath.Vector512
        : Vector256.IsHardwareAccelerated ? KernelPath.Vector256
        : Vector128.IsHardwareAccelerated ? KernelPath.Vector128
        : KernelPath.Scalar;

    /// <summary>Whether <paramref name="path"/> runs in hardware here. An unaccelerated vector width
    /// would still compute the right numbers, in software, many times slower than scalar code.</summary>
    public static bool IsSupported(KernelPath path) => path switch
    {
        KernelPath.Auto or KernelPath.Scalar => true,
        KernelPath.Vector128 => Vector128.IsHardwareAccelerated,
        KernelPath.Vector256 => Vector256.IsHardwareAccelerated,
        KernelPath.Vector512 => Vector512.IsHardwareAccelerated,
        _ => false,
    };

    /// <summary>Whether the 512-bit kernels are compiled into this program. Under NativeAOT both terms are constants, so
    /// a build whose instruction set lacks AVX-512 leaves them out: no request could reach them there (<see cref="Resolve"/>),
    /// and their generic instances were most of the 270 KB by which elr-run's default x64 build neared issue 2's 4 MB.
    /// Under the JIT they stay in whatever the CPU, so tests run the width in software on every machine.</summary>
    internal static bool Vector512Compiled => Vector512.IsHardwareAccelerated || RuntimeFeature.IsDynamicCodeSupported;

    /// <summary>Whether the 256-bit kernels are compiled into this program, as <see cref="Vector512Compiled"/> says for
    /// 512 bits: out of the default x64 build (x86-64-v2) and of every arm64 build, in under the JIT.</summary>
    internal static bool Vector256Compiled => Vector256.IsHardwareAccelerated || RuntimeFeature.IsDynamicCodeSupported;

    /// <summary>The concrete path to run for a request: <see cref="Best"/> for <see cref="KernelPath.Auto"/>,
    /// otherwise the request itself.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="path"/> is not a defined value.</exception>
    /// <exception cref="NotSupportedException">The requested width is not hardware-accelerated on this machine.</exception>
    internal static KernelPath Resolve(KernelPath path)
    {
        if (path is < KernelPath.Auto or > KernelPath.Vector512)
            throw new ArgumentOutOfRangeException(nameof(path), path, "Expected Auto, Scalar, Vector128, Vector256 or Vector512.");
        if (!IsSupported(path))
            throw new NotSupportedException(
                $"The {path} kernel path is not hardware-accelerated on this machine (best available: {Best}). "
                + "Use KernelPath.Auto, or check KernelPaths.IsSupported first; under NativeAOT, the instruction set is fixed at publish time (IlcInstructionSet).");
        return path == KernelPath.Auto ? Best : path;
    }
}
