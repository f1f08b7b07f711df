using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Tests.Kernels;

/// <summary>One random dense problem: inputs, packed weights and bias, with a checker that runs a
/// path and compares it with the scalar reference within a tolerance scaled by the reduction length.</summary>
internal sealed class DenseCase
{
    // Guard floats after Y: a kernel that writes a full 16-wide panel past the last output column shows up here.
    private const int Guard = 32;
    private const float Sentinel = -12345.5f;
    private const double MachineEpsilon = 1.0 / (1 << 23);

    public DenseCase(int batch, int inputs, int outputs, bool withBias, Activation activation, int seed = 0)
    {
        var random = new Random(seed ^ (batch * 7919) ^ (inputs * 104729) ^ (outputs * 1299709));
        Batch = batch;
        Inputs = inputs;
        Outputs = outputs;
        Activation = activation;
        X = RandomData.Uniform(random, batch * inputs);
        RowMajorWeights = RandomData.Uniform(random, inputs * outputs);
        Packed = PackedMatrix.FromRowMajor(RowMajorWeights, inputs, outputs).Data.ToArray();
        Bias = withBias ? RandomData.Uniform(random, outputs) : [];
    }

    public int Batch { get; }
    public int Inputs { get; }
    public int Outputs { get; }
    public Activation Activation { get; }
    public float[] X { get; }
    public float[] RowMajorWeights { get; }
    public float[] Packed { get; }
    public float[] Bias { get; }

    /// <summary>Runs <paramref name="path"/> into a fresh output (sentinel-filled, with guards) and returns Y.</summary>
    public float[] Run(KernelPath path)
    {
        var buffer = new float[Batch * Outputs + Guard];
        Array.Fill(buffer, Sentinel);
        RunInto(buffer.AsSpan(0, Batch * Outputs), path);
        for (int i = Batch * Outputs; i < buffer.Length; i++)
            Assert.True(buffer[i] == Sentinel, $"{Describe(path)}: wrote past the end of Y at {i - Batch * Outputs}.");
        return buffer[..(Batch * Outputs)];
    }

    /// <summary>Runs <paramref name="path"/> into <paramref name="y"/>: through the public entry point where the width is
    /// hardware-accelerated, which refuses it elsewhere; there through the unchecked one, so the kernel runs on .NET's
    /// software vectors (the arguments are valid by construction).</summary>
    public void RunInto(Span<float> y, KernelPath path)
    {
        if (KernelPaths.IsSupported(path))
        {
            DenseKernel.Run(X, Batch, Packed, Inputs, Outputs, Bias, Activation, y, path);
            return;
        }
        // RunValidated checks nothing in a Release build: a wrong length here would read out of bounds unseen.
        Assert.Equal((Batch * Inputs, Batch * Outputs, PackedMatrix.PackedLength(Inputs, Outputs)), (X.Length, y.Length, (long)Packed.Length));
        DenseKernel.RunValidated(X, Batch, PanelWeights.Float32(Packed), Inputs, Outputs, Bias, Activation, y, path);
    }

    /// <summary>Asserts that <paramref name="path"/> agrees with <see cref="KernelPath.Scalar"/> on every output.</summary>
    public void AssertMatchesReference(KernelPath path) => AssertMatchesReference(Run(path), Describe(path));

    /// <summary>Asserts that <paramref name="actual"/> (Y from a kernel run some other way, named by <paramref name="what"/>)
    /// agrees with <see cref="KernelPath.Scalar"/> on every output.</summary>
    public void AssertMatchesReference(float[] actual, string what)
    {
        float[] expected = Run(KernelPath.Scalar);
        for (int m = 0; m < Batch; m++)
        {
            for (int n = 0; n < Outputs; n++)
            {
                int i = m * Outputs + n;
                double tolerance = Tolerance(m, n);
                if (!(Math.Abs(actual[i] - expected[i]) <= tolerance))
                    Assert.Fail($"{what}: Y[{m}, {n}] = {actual[i]:R}, reference {expected[i]:R}, tolerance {tolerance:G3}.");
            }
        }
    }

    /// <summary>
    /// Two float sums of the same K products in different orders each err by at most about
    /// K·ε·Σ|terms| (the classic summation bound), so the allowance grows with the reduction length,
    /// as in dotnet/runtime's TensorPrimitives tests, plus a floor for sums that cancel to ~0.
    /// </summary>
    public double Tolerance(int m, int n)
    {
        double magnitude = Bias.Length == 0 ? 0 : Math.Abs(Bias[n]);
        for (int k = 0; k < Inputs; k++)
            magnitude += Math.Abs((double)X[m * Inputs + k] * RowMajorWeights[k * Outputs + n]);
        return 2.0 * (Inputs + 1) * MachineEpsilon * magnitude + 1e-30;
    }

    private string Describe(KernelPath path) =>
        $"{path} batch {Batch}, {Inputs}→{Outputs}, bias {Bias.Length > 0}, {Activation}";
}
