using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Tests.Format;

namespace EdgeLowRank.Runtime.Tests.Execution;

/// <summary>Every golden model in tests/fixtures, loaded by the session (memory-mapped) and run on every
/// kernel path at batch 1 and as one batch, reproduces the generator's float64 outputs.</summary>
public class GoldenSessionTests
{
    public static TheoryData<string, KernelPath> Cases()
    {
        var cases = new TheoryData<string, KernelPath>();
        foreach (string model in Directory.GetFiles(Fixtures.Folder, "*.elr").Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileNameWithoutExtension(model);
            if (!File.Exists(Path.Combine(Fixtures.Folder, name + ".expected.f32"))) continue;
            foreach (KernelPath path in new[] { KernelPath.Scalar, KernelPath.Vector128, KernelPath.Vector256, KernelPath.Vector512 })
                if (KernelPaths.IsSupported(path)) cases.Add(name, path); // a session refuses an unaccelerated width; the kernel tests run it in software

        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reproduces_the_expected_outputs(string name, KernelPath path)
    {
        using var session = InferenceSession.Load(Fixtures.Model(name), new SessionOptions { KernelPath = path, MaxBatchSize = 3 });
        float[] input = Fixtures.Floats(name + ".input.f32"), expected = Fixtures.Floats(name + ".expected.f32");
        int batch = input.Length / session.InputLength;
        var batched = new float[expected.Length];
        var single = new float[expected.Length];

        session.Run(input, batched, batch);
        for (int s = 0; s < batch; s++)
            session.Run(input.AsSpan(s * session.InputLength, session.InputLength), single.AsSpan(s * session.OutputLength, session.OutputLength));

        AssertWithinRelative(expected, batched, session.OutputLength);
        AssertWithinRelative(expected, single, session.OutputLength);
    }

    /// <summary>The same criterion as `elr-run run --expect`: per sample, the largest error over the largest |expected| ≤ 1e-5.</summary>
    private static void AssertWithinRelative(float[] expected, float[] actual, int outputs)
    {
        for (int s = 0; s < expected.Length / outputs; s++)
        {
            float scale = 0, error = 0;
            for (int i = s * outputs; i < (s + 1) * outputs; i++)
            {
                scale = MathF.Max(scale, MathF.Abs(expected[i]));
                error = MathF.Max(error, MathF.Abs(expected[i] - actual[i]));
            }
            Assert.True(error <= 1e-5f * scale, $"sample {s}: largest error {error} against largest output {scale}");
        }
    }
}
