using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Training;

namespace EdgeLowRank.Compressor.Compression;

/// <summary>
/// The L step: epochs of Nesterov SGD on L(w) + μ/2 Σ_l ‖W_l − Θ_l − λ_l/μ‖², the sum over the layers
/// the last C step factorized (Θ_l null: kept dense, unconstrained). The penalty's gradient
/// μ(W_l − Θ_l) − λ_l is added to each weight's gradient between the backward pass and the optimizer
/// step. Each L step starts a fresh optimizer (zero velocity), as the LC toolkit does, unless --keep-velocity
/// shares one optimizer across the steps (the checkpoint then saves its velocity).
/// </summary>
internal static class LearningStep
{
    /// <summary>Runs step <paramref name="step"/>'s epochs and returns the mean data loss (penalty excluded).</summary>
    public static double Run(Network network, Dataset train, TeacherTargets? teacher, IReadOnlyList<CompressibleLayer> layers, IReadOnlyList<float[]?> theta,
        IReadOnlyList<float[]> multipliers, double mu, int step, LcOptions options, CancellationToken cancellationToken)
        => Run(CreateTrainer(network, options), train, teacher, layers, theta, multipliers, mu, step, options, cancellationToken);

    /// <summary>A trainer (Nesterov SGD, zero velocity) with the L steps' settings for a step: batch, momentum, weight decay, label
    /// smoothing, threads. Its epochs, shuffling and schedule are not set: the L step runs its own epochs, shuffled by the run's
    /// seed, at the rate of its step (<see cref="LcOptions.LearningRateAt"/>).</summary>
    public static Trainer CreateTrainer(Network network, LcOptions options) =>
        new(network, options.SharedTraining() with { WeightDecay = options.WeightDecay });

    /// <summary>Runs step <paramref name="step"/>'s epochs with <paramref name="trainer"/>'s optimizer (whose velocity carries over);
    /// with a <paramref name="teacher"/>, L(w) is the distillation loss (<see cref="DistillationLoss"/>) with the options' α and the T the teacher's probabilities were softened with.</summary>
    public static double Run(Trainer trainer, Dataset train, TeacherTargets? teacher, IReadOnlyList<CompressibleLayer> layers, IReadOnlyList<float[]?> theta,
        IReadOnlyList<float[]> multipliers, double mu, int step, LcOptions options, CancellationToken cancellationToken)
    {
        double rate = options.LearningRateAt(step), lossSum = 0;
        int batches = 0;
        var batch = new BatchGatherer(train, options.BatchSize, teacher);
        for (int epoch = 0; epoch < options.EpochsPerStep; epoch++)
        {
            // Epoch numbers never repeat across steps, so every epoch of the run has its own shuffle.
            int[] order = Trainer.ShuffledOrder(train.Count, options.Seed, step * options.EpochsPerStep + epoch);
            for (int start = 0; start < train.Count; start += options.BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int count = batch.Gather(order.AsSpan(start, Math.Min(options.BatchSize, train.Count - start)));
                double batchLoss = trainer.ComputeGradients(batch.Inputs(count), batch.Labels(count),
                    new DistillationBatch(batch.Teacher(count), (float)options.DistillationWeight, teacher?.Temperature ?? 1));
                lossSum += batchLoss;
                AddPenaltyGradient(layers, theta, multipliers, mu);
                trainer.Optimizer.Step(rate);
                batches++;
                // Checked after every step: once the weights blow up, the rest of the step is wasted time, and its C step would
                // factorize garbage.
                if (DivergenceSign.Of(batchLoss, trainer.Network) is string sign) throw Diverged(step, $"in its batch {batches}", sign, rate, mu, options, train);
            }
        }
        // The batches' losses are computed before their steps: the last step is judged by the loss it leaves, before the C step.
        if (trainer.DivergenceAfterLastStep(train) is string last) throw Diverged(step, "after its last step, judged on the training set's first batch", last, rate, mu, options, train);
        return lossSum / batches;
    }

    private static LStepDivergedException Diverged(int step, string where, string sign, double rate, double mu, LcOptions options, Dataset train) =>
        new($"The L step of LC step {step} diverged {where} ({sign}) at rate {rate:G3}; " + UnscaledFloatPixels.DivergenceCause(train)
            + DivergenceAdvice.For(rate, options.Momentum, options.WeightDecay, "--weight-decay", "--lr", mu, "--mu0 or --mu-growth") + ".");

    /// <summary>∂/∂W of μ/2‖W − Θ − λ/μ‖² = μ(W − Θ) − λ.</summary>
    private static void AddPenaltyGradient(IReadOnlyList<CompressibleLayer> layers, IReadOnlyList<float[]?> theta, IReadOnlyList<float[]> multipliers, double mu)
    {
        float m = (float)mu;
        for (int l = 0; l < layers.Count; l++)
        {
            // A layer kept dense has no constraint (Θ may be any matrix, so Θ = W at every moment): no penalty.
            if (theta[l] is not { } t) continue;
            float[] w = layers[l].Layer.Weight.Value, g = layers[l].Layer.Weight.Gradient, lambdas = multipliers[l];
            for (int i = 0; i < w.Length; i++) g[i] += m * (w[i] - t[i]) - lambdas[i];
        }
    }
}
