using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;
using EdgeLowRank.Runtime.Tests.Format;
using EdgeLowRank.Runtime.Tests.Kernels;

namespace EdgeLowRank.Runtime.Tests.Execution;

/// <summary>A session on an int8 model computes what it computes on the f32 model of the int8 weights' values, on every path,
/// batch size and thread count, through dense, factorized and convolution layers (padded and strided ones too): bit for bit
/// on the scalar path, within 1e-5 of the largest output on the SIMD paths, which scale each panel's sums, not each weight.</summary>
public class Int8SessionTests
{
    public static TheoryData<string, KernelPath> Cases()
    {
        var cases = new TheoryData<string, KernelPath>();
        foreach (string name in Fixtures.Int8.Concat(["conv"]))
            foreach (KernelPath path in new[] { KernelPath.Scalar, KernelPath.Vector128, KernelPath.Vector256, KernelPath.Vector512 })
                if (KernelPaths.IsSupported(path)) cases.Add(name, path);
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Int8RunsEqualRunsOnTheirValues(string name, KernelPath path)
    {
        using Model int8 = name == "conv" ? ModelWeights.MapMatrices(Format.TestModels.Conv(), (_, m) => m.Quantize()) : ModelReader.Load(Fixtures.Model(name));
        using Model values = ModelWeights.MapMatrices(int8, (_, matrix) => Int8KernelTests.Widened(matrix));
        var random = new Random(name.Length);
        foreach (int threads in (int[])[1, 2])
        {
            var options = new SessionOptions { KernelPath = path, MaxBatchSize = 64, Threads = threads };
            using var fromInt8 = new InferenceSession(int8, options);
            using var fromValues = new InferenceSession(values, options);
            foreach (int batch in (int[])[1, 5, 64])
            {
                float[] input = Enumerable.Range(0, batch * fromInt8.InputLength).Select(_ => random.NextSingle()).ToArray();
                var expected = new float[batch * fromInt8.OutputLength];
                var actual = new float[expected.Length];
                fromValues.Run(input, expected, batch);
                fromInt8.Run(input, actual, batch);
                string what = $"{name}, {path}, {threads} thread(s), batch {batch}";
                if (path == KernelPath.Scalar)
                {
                    Assert.True(expected.AsSpan().SequenceEqual(actual), what);
                    continue;
                }
                float largest = expected.Max(MathF.Abs), error = expected.Zip(actual, (e, a) => MathF.Abs(e - a)).Max();
                Assert.True(error <= 1e-5f * largest, $"{what}: largest difference {error} against largest output {largest}");
            }
        }
    }

    [Theory]
    [InlineData("lenet300-factorized-int8")]
    [InlineData("lenet5-factorized-int8")]
    public void Int8NeedsNoMoreArenaThanF32(string name)
    {
        // The kernels widen int8 rows in registers: no f32 copy of a panel or matrix in the arena.
        using Model int8 = ModelReader.Load(Fixtures.Model(name));
        using Model values = ModelWeights.MapMatrices(int8, (_, matrix) => Int8KernelTests.Widened(matrix));
        Assert.Equal(InferenceSession.ArenaBytesFor(values, 64), InferenceSession.ArenaBytesFor(int8, 64));
    }
}
