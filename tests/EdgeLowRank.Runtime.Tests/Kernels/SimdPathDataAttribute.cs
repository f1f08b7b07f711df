using System.Reflection;
using EdgeLowRank.Runtime.Kernels;
using Xunit.Sdk;

namespace EdgeLowRank.Runtime.Tests.Kernels;

/// <summary>Supplies one SIMD path to a theory, and skips it (with the reason shown in the test
/// report) when this machine does not accelerate that width, e.g. Vector256 on arm64.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class SimdPathDataAttribute : DataAttribute
{
    private readonly KernelPath _path;

    public SimdPathDataAttribute(KernelPath path)
    {
        _path = path;
        if (!KernelPaths.IsSupported(path))
            Skip = $"{path} is not hardware-accelerated on this machine (best: {KernelPaths.Best}).";
    }

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[_path]];
}
