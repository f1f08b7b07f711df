namespace EdgeLowRank.FixtureGenerator;

/// <summary>
/// The oracle for the expected outputs: a plain float64 forward pass over the row-major weights,
/// written independently of the runtime's packing and kernels so a bug there cannot hide in both.
/// </summary>
internal static class ReferenceForward
{
    /// <summary>Runs one sample through every layer.</summary>
    public static double[] Run(NetSpec net, ReadOnlySpan<float> sample)
    {
        double[] x = new double[sample.Length];
        for (int i = 0; i < x.Length; i++) x[i] = sample[i];
        foreach (var layer in net.Layers)
        {
            x = layer switch
            {
                DenseSpec d => Affine(MatVec(x, d.Weights, d.Inputs, d.Outputs), d.Bias, d.Relu),
                FactorizedSpec f => Affine(MatVec(MatVec(x, f.First, f.Inputs, f.Rank), f.Second, f.Rank, f.Outputs), f.Bias, f.Relu),
                ElementwiseSpec { Kind: Runtime.Layers.LayerKind.Relu } => x.Select(v => Math.Max(0, v)).ToArray(),
                ElementwiseSpec { Kind: Runtime.Layers.LayerKind.Softmax } => Softmax(x),
                ElementwiseSpec { Kind: Runtime.Layers.LayerKind.Flatten } => x,
                _ => throw new NotSupportedException(layer.ToString()),
            };
        }
        return x;
    }

    /// <summary>y[n] = Σ_k x[k] · W[k, n], W row-major rows × columns.</summary>
    private static double[] MatVec(double[] x, float[] w, int rows, int columns)
    {
        var y = new double[columns];
        for (int k = 0; k < rows; k++)
            for (int n = 0; n < columns; n++)
                y[n] += x[k] * w[k * columns + n];
        return y;
    }

    private static double[] Affine(double[] y, float[] bias, bool relu)
    {
        for (int n = 0; n < y.Length; n++)
        {
            if (bias.Length > 0) y[n] += bias[n];
            if (relu) y[n] = Math.Max(0, y[n]);
        }
        return y;
    }

    private static double[] Softmax(double[] x)
    {
        double max = x.Max();
        double[] e = x.Select(v => Math.Exp(v - max)).ToArray();
        double sum = e.Sum();
        return e.Select(v => v / sum).ToArray();
    }
}
