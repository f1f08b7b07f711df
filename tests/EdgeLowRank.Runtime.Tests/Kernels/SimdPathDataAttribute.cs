using System.Reflection;
using EdgeLowRank.Runtime.Kernels;
using Xunit.Sdk;

namespace EdgeLowRank.Runtime.Tests.Kernels;

/// <summary>Supplies one SIMD path to a theory. A width this machine does not accelerate (Vector512 on most CPUs,
/// Vector256 on arm64) is not skipped: <see cref="DenseCase"/> runs it in software, the same kernel code on .NET's
/// software vectors, so its blocking, tails and epilogues are checked on every machine, CI's included. What stays
/// machine-bound is the row block a width picks by CPU (<c>PanelRow.BlockRows</c>: Vector128 uses 6-row blocks only with
/// AdvSimd or AVX-512VL, 2 otherwise); <see cref="SixRowVector128Tests"/> runs arm64's 6-row Vector128 block on any CPU.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class SimdPathDataAttribute(KernelPath path) : DataAttribute
{
    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[path]];
}
