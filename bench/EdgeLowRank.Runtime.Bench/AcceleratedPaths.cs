using EdgeLowRank.Runtime.Kernels;

namespace EdgeLowRank.Runtime.Bench;

/// <summary>The kernel paths a benchmark times on this CPU: a width without hardware support runs in software, and timing
/// it would only time that emulation (a trial found the dense-layer and integer benchmarks timing Vector512 regardless).</summary>
public static class AcceleratedPaths
{
    /// <summary>The scalar reference and every accelerated width.</summary>
    public static IEnumerable<KernelPath> WithScalar =>
        new[] { KernelPath.Scalar, KernelPath.Vector128, KernelPath.Vector256, KernelPath.Vector512 }.Where(KernelPaths.IsSupported);

    /// <summary>Every accelerated width, for kernels that have no scalar path of their own to time.</summary>
    public static IEnumerable<KernelPath> Vectors => WithScalar.Where(p => p != KernelPath.Scalar);
}
