using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Tests.Format;

/// <summary>The released golden files: every later reader must still read them, and what it reads must
/// reproduce the outputs the generator's independent float64 forward pass recorded.</summary>
public sealed class GoldenFixtureTests
{
    public static TheoryData<string> Names => new(Fixtures.Names);

    [Theory, MemberData(nameof(Names))]
    public void GoldenFilesAreTheFormat1_0Release(string name)
    {
        // If this fails, the writer's version moved on: keep the 1.0 files (move them to tests/fixtures/v1/
        // and keep loading them here) before regenerating, so the new reader is still tested on them.
        byte[] header = File.ReadAllBytes(Fixtures.Model(name))[..12];
        Assert.Equal((1, 0), (BitConverter.ToUInt16(header, 8), BitConverter.ToUInt16(header, 10)));
    }

    [Theory, MemberData(nameof(Names))]
    public void LoadersAgreeAndReproduceTheExpectedOutputs(string name)
    {
        using var mapped = ModelReader.Load(Fixtures.Model(name));
        using var copied = ModelReader.Load(File.ReadAllBytes(Fixtures.Model(name)));
        ModelAssert.Same(mapped, copied);
        float[] inputs = Fixtures.Floats(name + ".input.f32"), expected = Fixtures.Floats(name + ".expected.f32");
        int features = mapped.InputShape.ElementCount, outputs = mapped.OutputShape.ElementCount;
        Assert.Equal(0, inputs.Length % features);
        Assert.Equal(inputs.Length / features * outputs, expected.Length);
        for (int b = 0; b < inputs.Length / features; b++)
        {
            double[] y = Forward(mapped, inputs.AsSpan(b * features, features));
            for (int n = 0; n < outputs; n++)
                Assert.True(Math.Abs(y[n] - expected[b * outputs + n]) <= 1e-5 * (1 + Math.Abs(expected[b * outputs + n])), $"sample {b}, output {n}: {y[n]} vs {expected[b * outputs + n]}");
        }
    }

    [Fact]
    public void FactorizedFixtureHasTheDocumentedRanks()
    {
        using var model = ModelReader.Load(Fixtures.Model("lenet300-factorized"));
        Assert.Equal([LayerKind.FactorizedDense, LayerKind.FactorizedDense, LayerKind.Dense, LayerKind.Softmax], model.Layers.Select(l => l.Kind));
        Assert.Equal([30, 20, 10, 0], model.Layers.Select(l => l.Rank));
        Assert.Equal([FactorizationMethod.Svd, FactorizationMethod.Cur], model.Layers.Take(2).Select(l => l.Method));
        Assert.Equal(10, model.Metadata.Labels.Count);
    }

    /// <summary>A float64 forward pass through the loaded layers, reading weights element by element
    /// through <see cref="PackedMatrix"/>'s indexer: it tests the file and the panel layout, not kernels.</summary>
    private static double[] Forward(Model model, ReadOnlySpan<float> sample)
    {
        double[] x = sample.ToArray().Select(v => (double)v).ToArray();
        foreach (Layer layer in model.Layers)
        {
            x = layer switch
            {
                DenseLayer d => Affine(Multiply(x, d.Weights), d.Bias, d.Activation),
                FactorizedDenseLayer f => Affine(Multiply(Multiply(x, f.First), f.Second), f.Bias, f.Activation),
                ReluLayer => x.Select(v => Math.Max(0, v)).ToArray(),
                SoftmaxLayer => Softmax(x),
                _ => x,
            };
        }
        return x;
    }

    private static double[] Multiply(double[] x, PackedMatrix w)
    {
        var y = new double[w.Columns];
        for (int k = 0; k < w.Rows; k++)
            for (int n = 0; n < w.Columns; n++)
                y[n] += x[k] * w[k, n];
        return y;
    }

    private static double[] Affine(double[] y, ReadOnlyMemory<float> bias, Activation activation)
    {
        for (int n = 0; n < y.Length; n++)
        {
            if (!bias.IsEmpty) y[n] += bias.Span[n];
            if (activation == Activation.Relu) y[n] = Math.Max(0, y[n]);
        }
        return y;
    }

    private static double[] Softmax(double[] x)
    {
        double max = x.Max();
        double[] e = x.Select(v => Math.Exp(v - max)).ToArray();
        return e.Select(v => v / e.Sum()).ToArray();
    }
}
