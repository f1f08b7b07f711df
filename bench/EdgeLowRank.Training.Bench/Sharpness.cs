using System.Numerics.Tensors;
using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Export;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Training.Bench;

/// <summary>
/// The sharpness of a trained network's training loss: the largest eigenvalue h of its Hessian over a fixed share of the
/// training set, by power iteration on Hessian–vector products taken as central differences of the gradient,
/// Hv ≈ (∇L(w + εv) − ∇L(w − εv)) / 2ε. Nesterov SGD with momentum β follows a quadratic of curvature h only while
/// rate·h &lt; 2(1 + β)/(1 + 2β) (<see cref="DivergenceAdvice.StableRateTimesCurvature"/>). Past that rate SGD oscillates
/// along the sharpest direction and diverges unless the loss flattens as it moves, so the bound is where trouble can
/// start, not exactly where a run fails. A diagnostic, not part of the compressor: it answers why a loss (label
/// smoothing, for LeNet-5) diverges at a rate the plain loss runs at.
/// </summary>
internal static class Sharpness
{
    private const int BatchSize = 256;
    /// <summary>The relative residual below which the last Rayleigh quotient is reported as converged.</summary>
    private const double ConvergedResidual = 0.05;

    /// <summary>Prints, for each label smoothing ε, the loss and gradient norm at the model's weights and the Rayleigh quotient of every power iteration.</summary>
    public static void Run(string modelPath, Dataset train, IReadOnlyList<double> smoothings, int samples, int iterations, double step, int threads)
    {
        int[] order = Enumerable.Range(0, train.Count).ToArray();
        new Random(1).Shuffle(order);
        // Copied once into one contiguous set: every gradient below runs over the same samples, batch by batch.
        Dataset sample = train.Subset(order[..Math.Min(samples, train.Count)], "sharpness sample");
        Console.WriteLine($"{modelPath}: {sample.Count} training samples, central differences with ‖εv‖ = {step:G3}, {iterations} power iterations");
        foreach (double smoothing in smoothings)
        {
            using Model model = ModelReader.Load(modelPath);
            var trainer = new Trainer(NetworkImporter.ToNetwork(model, BatchSize),
                new TrainingOptions { BatchSize = BatchSize, LabelSmoothing = smoothing, Threads = threads });
            Parameter[] parameters = trainer.Network.Parameters.ToArray();
            float[] weights = parameters.SelectMany(p => p.Value).ToArray();
            var gradient = new double[weights.Length];
            double loss = Gradient(trainer, sample, parameters, gradient);
            Console.WriteLine($"label smoothing {smoothing:G3}: loss {loss:G4}, ‖∇L‖ {TensorPrimitives.Norm<double>(gradient):G4}");

            (double curvature, double residual) = PowerIteration(trainer, sample, parameters, weights, iterations, step, shift: 0);
            if (curvature < 0)
            {
                // The eigenvalue of largest magnitude is negative: iterate on H − curvature·I, whose largest eigenvalue is h − curvature.
                Console.WriteLine($"  the largest-magnitude eigenvalue is negative ({curvature:G4}); again on H + {-curvature:G4}·I for the largest positive one");
                (double shifted, residual) = PowerIteration(trainer, sample, parameters, weights, iterations, step, shift: -curvature);
                curvature += shifted;
            }
            // A Rayleigh quotient never exceeds the largest eigenvalue, so h is a lower bound and the rate an upper one, exact once converged.
            double momentum = trainer.Options.Momentum, bound = DivergenceAdvice.StableRateTimesCurvature(momentum);
            string trust = residual <= ConvergedResidual ? "converged" : $"NOT converged (residual above {ConvergedResidual:G2}): use more iterations";
            Console.WriteLine(curvature > 0
                ? $"  h ≈ {curvature:G4}, {trust}: Nesterov SGD (β {momentum}) follows a quadratic this sharp below rate {bound / curvature:G3} (= {bound:G3} / h)"
                : $"  no positive curvature found ({curvature:G4}), {trust}");
        }
    }

    /// <summary>
    /// The eigenvalue of largest magnitude of H + shift·I by power iteration from a seeded start (so runs repeat), printing
    /// each Rayleigh quotient λ and relative residual ‖(H + shift·I)v − λv‖ / |λ|. It leaves the parameters perturbed
    /// from <paramref name="weights"/>: the caller reloads the model for its next use.
    /// </summary>
    private static (double Eigenvalue, double Residual) PowerIteration(Trainer trainer, Dataset sample, Parameter[] parameters, float[] weights,
        int iterations, double step, double shift)
    {
        var random = new Random(1);
        double[] direction = Enumerable.Range(0, weights.Length).Select(_ => random.NextDouble() - 0.5).ToArray();
        TensorPrimitives.Divide<double>(direction, TensorPrimitives.Norm<double>(direction), direction);
        var plus = new double[weights.Length];
        var minus = new double[weights.Length];
        double eigenvalue = 0, residual = double.PositiveInfinity;
        for (int iteration = 1; iteration <= iterations; iteration++)
        {
            Gradient(trainer, sample, parameters, plus, weights, direction, step);
            Gradient(trainer, sample, parameters, minus, weights, direction, -step);
            for (int i = 0; i < plus.Length; i++) plus[i] = (plus[i] - minus[i]) / (2 * step) + shift * direction[i];
            eigenvalue = TensorPrimitives.Dot<double>(direction, plus);
            // minus is free until the next iteration: it holds the residual vector.
            for (int i = 0; i < plus.Length; i++) minus[i] = plus[i] - eigenvalue * direction[i];
            residual = TensorPrimitives.Norm<double>(minus) / Math.Abs(eigenvalue);
            Console.WriteLine($"  iteration {iteration,2}: vᵀ(H + {shift:G3}·I)v = {eigenvalue:G4}, residual {residual:G2}");
            Array.Copy(plus, direction, plus.Length);
            TensorPrimitives.Divide<double>(direction, TensorPrimitives.Norm<double>(direction), direction);
        }
        return (eigenvalue, residual);
    }

    /// <summary>The mean loss gradient over <paramref name="sample"/> at weights + offset·direction (at the current weights without them).</summary>
    private static double Gradient(Trainer trainer, Dataset sample, Parameter[] parameters, double[] into,
        float[]? weights = null, double[]? direction = null, double offset = 0)
    {
        if (weights is not null && direction is not null)
        {
            int at = 0;
            foreach (Parameter p in parameters)
                for (int i = 0; i < p.Length; i++, at++)
                    p.Value[i] = (float)(weights[at] + offset * direction[at]);
        }
        Array.Clear(into);
        int size = sample.SampleShape.Size;
        double loss = 0;
        for (int start = 0; start < sample.Count; start += BatchSize)
        {
            int count = Math.Min(BatchSize, sample.Count - start);
            // Each batch's gradient is of its mean loss: weighted by its share of the samples.
            double share = (double)count / sample.Count;
            loss += share * trainer.ComputeGradients(sample.Pixels.Span.Slice(start * size, count * size), sample.Labels.Span.Slice(start, count));
            int at = 0;
            foreach (Parameter p in parameters)
                for (int i = 0; i < p.Length; i++, at++)
                    into[at] += share * p.Gradient[i];
        }
        return loss;
    }
}
