using System.Reflection;
using EdgeLowRank.Runtime.Kernels;
using Xunit.Sdk;

namespace EdgeLowRank.Runtime.Tests.Kernels;

/// <summary>Supplies one SIMD path to a theory. A width this machine does not accelerate (Vector512 on most CPUs,
/// Vector256 on arm64) is not skipped: <see cref="DenseCase"/> runs it in software, the same kernel code on .NET's
/// software vectors, so its blocking, tails and epilogues are checked on every machine, CI's included.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class SimdPathDataAttribute(KernelPath path) : DataAttribute
{
    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[path]];
}
