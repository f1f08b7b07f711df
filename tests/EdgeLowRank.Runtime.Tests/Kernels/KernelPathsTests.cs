using System.Runtime.Intrinsics;
using EdgeLowRank.Runtime.Kernels;

namespace EdgeLowRank.Runtime.Tests.Kernels;

/// <summary>Which path Auto picks, and what an explicit request for the 512-bit path does.</summary>
public class KernelPathsTests
{
    [Fact]
    public void Auto_is_Vector512_exactly_where_512_bit_vectors_are_accelerated()
    {
        Assert.Equal(Vector512.IsHardwareAccelerated, KernelPaths.Best == KernelPath.Vector512);
        Assert.Equal(KernelPaths.Best, KernelPaths.Resolve(KernelPath.Auto));
    }

    [Fact]
    public void Vector512_resolves_to_itself_where_accelerated_and_is_refused_elsewhere()
    {
        if (Vector512.IsHardwareAccelerated)
            Assert.Equal(KernelPath.Vector512, KernelPaths.Resolve(KernelPath.Vector512));
        else
            Assert.Throws<NotSupportedException>(() => KernelPaths.Resolve(KernelPath.Vector512));
    }

    [Fact]
    public void Under_the_JIT_every_width_is_compiled_so_tests_run_the_unaccelerated_ones_in_software()
    {
        // NativeAOT leaves out the widths its instruction set lacks; the theories over every path (SimdPathData) would
        // then compare the scalar reference with itself on a CPU without AVX-512 (or on arm64, without 256 bits).
        Assert.True(KernelPaths.Vector512Compiled);
        Assert.True(KernelPaths.Vector256Compiled);
    }

    [Fact]
    public void The_values_are_never_renumbered()
    {
        Assert.Equal([0, 1, 2, 3, 4], Enum.GetValues<KernelPath>().Select(path => (int)path));
        Assert.Throws<ArgumentOutOfRangeException>(() => KernelPaths.Resolve((KernelPath)5));
    }
}
