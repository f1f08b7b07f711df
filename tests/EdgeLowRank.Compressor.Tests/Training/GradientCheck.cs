using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Tests.Training;

/// <summary>
/// Compares a layer's backward pass with central finite differences of the scalar
/// L = Σ r_i·y_i (r fixed and random, so dL/dy = r). The forward pass is float32; L is summed in
/// float64 and the step is 1e-2, so for layers linear in the perturbed value (dense, convolution,
/// and piecewise-linear ones away from their kinks) the difference quotient is exact up to float32
/// rounding of the outputs, which the tolerance covers.
/// </summary>
internal static class GradientCheck
{
    private const float LinearStep = 1e-2f;
    private const int MaxChecked = 60;

    /// <summary>Checks d(L)/d(input) and d(L)/d(every parameter) of <paramref name="layer"/>.</summary>
    public static void Verify(TrainingLayer layer, TensorShape inputShape, int batch, float[]? input = null, int threads = 1, ulong seed = 7)
    {
        var compute = new ComputeThreads(threads);
        var random = new SeededRandom(seed);
        TensorShape outputShape = layer.Bind(inputShape, batch);
        layer.Initialize(random);
        float[] x = input ?? Uniform(random, batch * inputShape.ElementCount, 1);
        float[] y = new float[batch * outputShape.ElementCount];
        float[] r = Uniform(random, y.Length, 1);

        layer.Forward(x, y, batch, compute);
        float[] dx = new float[x.Length];
        layer.Backward(x, y, r, dx, batch, compute);
        var analytic = layer.Parameters.ToDictionary(p => p, p => (float[])p.Gradient.Clone());

        double Loss()
        {
            layer.Forward(x, y, batch, compute);
            double sum = 0;
            for (int i = 0; i < y.Length; i++) sum += (double)r[i] * y[i];
            return sum;
        }

        Compare("input", x, dx, Loss, random);
        foreach (Parameter p in layer.Parameters) Compare(p.Name, p.Value, analytic[p], Loss, random);
    }

    /// <summary>Checks d(cross-entropy)/d(every parameter) of <paramref name="network"/> on one batch: the trainer's backward pass
    /// against central differences of the loss the network's forward pass gives. Through several ReLUs some step of 1e-3
    /// crosses a kink (a bias moves every pixel of its channel, and a few lie that close to zero), where the difference mixes
    /// two slopes; such an element is measured again at a step ten times smaller (<see cref="Compare"/>'s <c>kinks</c>).</summary>
    public static void VerifyNetwork(Network network, float[] inputs, byte[] labels, SeededRandom random)
    {
        int batch = labels.Length, classes = network.OutputShape.ElementCount;
        var trainer = new Trainer(network, new TrainingOptions { BatchSize = batch, Threads = 1 });
        trainer.ComputeGradients(inputs, labels);
        var analytic = network.Parameters.ToDictionary(p => p, p => (float[])p.Gradient.Clone());
        double Loss() => SoftmaxCrossEntropy.Compute(network.Forward(inputs, batch, trainer.Threads, ForwardMode.Training), labels, classes, new float[batch * classes]);
        foreach (Parameter p in network.Parameters) Compare(p.Name, p.Value, analytic[p], Loss, random, step: 1e-3f, kinks: true);
    }

    /// <summary>Checks every sampled element of <paramref name="values"/>: numeric vs <paramref name="gradient"/>.</summary>
    /// <param name="step">The finite-difference step: 1e-2 for the piecewise-linear layers; smaller
    /// through the curved loss, where it also makes crossing a ReLU or max-pool kink unlikely.</param>
    /// <param name="kinks">Whether an element that disagrees is measured again at a tenth of the step, which a kink that close
    /// to x is unlikely to straddle too; float32 rounding of a loss near 1 still resolves a gradient to 1e-3 at that step.</param>
    public static void Compare(string what, float[] values, float[] gradient, Func<double> loss, SeededRandom random, float step = LinearStep, bool kinks = false)
    {
        IEnumerable<int> indices = values.Length <= MaxChecked
            ? Enumerable.Range(0, values.Length)
            : Enumerable.Range(0, MaxChecked).Select(_ => random.NextInt(values.Length));
        foreach (int i in indices)
        {
            double numeric = Difference(values, i, loss, step);
            bool Close(double difference) => Math.Abs(difference - gradient[i]) <= 2e-3 + 1e-2 * Math.Max(Math.Abs(difference), Math.Abs(gradient[i]));
            if (Close(numeric)) continue;
            double finer = kinks ? Difference(values, i, loss, step / 10) : numeric;
            Assert.True(Close(finer), $"{what}[{i}]: backward gives {gradient[i]}, finite differences {numeric}{(kinks ? $" ({finer} at a tenth of the step)" : "")}");
        }
    }

    /// <summary>(loss(x + step) − loss(x − step)) / 2·step for element <paramref name="i"/>, which is restored afterwards.</summary>
    private static double Difference(float[] values, int i, Func<double> loss, float step)
    {
        float saved = values[i];
        values[i] = saved + step;
        double plus = loss();
        values[i] = saved - step;
        double minus = loss();
        values[i] = saved;
        return (plus - minus) / (2 * step);
    }

    /// <summary>U(−scale, scale) values.</summary>
    public static float[] Uniform(SeededRandom random, int count, float scale) =>
        Enumerable.Range(0, count).Select(_ => (float)(((random.NextUInt64() >> 40) / (double)(1 << 24) * 2 - 1) * scale)).ToArray();

    /// <summary>Distinct values at least 0.05 apart and at least 0.025 from zero, in random order: no
    /// finite-difference step of 1e-2 crosses a ReLU kink or changes which element of a window is the maximum.</summary>
    public static float[] WellSeparated(SeededRandom random, int count)
    {
        int[] order = Enumerable.Range(0, count).ToArray();
        random.Shuffle(order);
        return order.Select(i => (i - count / 2 + 0.5f) * 0.05f).ToArray();
    }
}
