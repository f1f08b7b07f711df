using System.Diagnostics;
using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Runtime.Scoring;

namespace EdgeLowRank.Compressor.Training;

/// <summary>Where a training epoch is.</summary>
/// <param name="Epoch">The epoch, from 0.</param>
/// <param name="Batch">Batches done in this epoch.</param>
/// <param name="Batches">Batches per epoch.</param>
/// <param name="Loss">The mean loss over this epoch's batches so far.</param>
/// <param name="SamplesPerSecond">Training speed over this epoch so far.</param>
public readonly record struct BatchProgress(int Epoch, int Batch, int Batches, double Loss, double SamplesPerSecond);

/// <summary>The outcome of one epoch.</summary>
/// <param name="Epoch">The epoch, from 0.</param>
/// <param name="LearningRate">The rate used.</param>
/// <param name="Loss">The mean training loss over its batches.</param>
/// <param name="Seconds">Wall time of the epoch.</param>
/// <param name="SamplesPerSecond">Training samples per second.</param>
public readonly record struct EpochResult(int Epoch, double LearningRate, double Loss, double Seconds, double SamplesPerSecond);

/// <summary>
/// Trains a <see cref="Network"/> on a <see cref="Dataset"/> by minibatch Nesterov SGD on the softmax
/// cross-entropy (with the options' label smoothing). Each epoch visits the samples in a permutation drawn from the seed and the epoch
/// number alone, so runs repeat exactly. <see cref="ComputeGradients(ReadOnlySpan{float}, ReadOnlySpan{byte}, DistillationBatch)"/> and <see cref="Optimizer"/>
/// are public so a caller (the compression's L step) can add its own terms between them.
/// </summary>
public sealed class Trainer
{
    private readonly float[] _logitGradient;
    private readonly ShardedStep _shards;

    /// <summary>Prepares training of <paramref name="network"/> with <paramref name="options"/>.</summary>
    /// <exception cref="TrainingException">A setting is invalid.</exception>
    public Trainer(Network network, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(network);
        options.Validate();
        Network = network;
        Options = options;
        Threads = new ComputeThreads(options.Threads);
        Optimizer = new NesterovSgd(network.Parameters, options.Momentum, options.WeightDecay, Threads);
        _shards = new ShardedStep(network, (float)options.LabelSmoothing);
        _logitGradient = new float[options.BatchSize * network.OutputShape.ElementCount];
    }

    /// <summary>The network being trained.</summary>
    public Network Network { get; }

    /// <summary>The settings.</summary>
    public TrainingOptions Options { get; }

    /// <summary>The threads the kernels use.</summary>
    public ComputeThreads Threads { get; }

    /// <summary>The optimizer (its velocity carries over between epochs).</summary>
    public NesterovSgd Optimizer { get; }

    /// <summary>Runs one epoch over <paramref name="train"/> at the schedule's rate for <paramref name="epoch"/>.</summary>
    /// <exception cref="TrainingException">The data set does not fit the network.</exception>
    /// <exception cref="TrainingDivergedException">SGD diverged (<see cref="DivergenceSign"/>).</exception>
    public EpochResult RunEpoch(Dataset train, int epoch, IProgress<BatchProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        RequireCompatible(Network, train);
        double rate = Options.Schedule.RateAt(epoch);
        int[] order = ShuffledOrder(train.Count, Options.Seed, epoch);
        int batchSize = Options.BatchSize, batches = (train.Count + batchSize - 1) / batchSize;
        double lossSum = 0;
        BatchGatherer? gatherer = null;
        var clock = Stopwatch.StartNew();
        for (int b = 0; b < batches; b++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = Math.Min(batchSize, train.Count - b * batchSize);
            // The shards copy their own samples, in parallel; with one thread, or a batch too small to split, it is gathered here.
            if (!_shards.TryCompute(train, order, b * batchSize, count, Threads, out double batchLoss))
            {
                gatherer ??= new BatchGatherer(train, batchSize);
                gatherer.Gather(order.AsSpan(b * batchSize, count));
                batchLoss = ComputeGradients(gatherer.Inputs(count), gatherer.Labels(count));
            }
            lossSum += batchLoss;
            Optimizer.Step(rate);
            // Blown-up weights make everything trained from here on, and any file written from them, garbage. Checked after
            // every step, the weights included.
            if (DivergenceSign.Of(batchLoss, Network) is string sign) throw Diverged($"in epoch {epoch + 1}, batch {b + 1} of {batches}", sign, rate, train);
            progress?.Report(new BatchProgress(epoch, b + 1, batches, lossSum / (b + 1), Math.Min(train.Count, (b + 1) * batchSize) / clock.Elapsed.TotalSeconds));
        }
        double seconds = clock.Elapsed.TotalSeconds;
        // The batches' losses are computed before their steps, so the epoch's last step is judged by the loss it leaves.
        if (DivergenceAfterLastStep(train) is string last) throw Diverged($"after the last step of epoch {epoch + 1}, judged on the data's first batch", last, rate, train);
        return new EpochResult(epoch, rate, lossSum / batches, seconds, train.Count / seconds);
    }

    private TrainingDivergedException Diverged(string where, string sign, double rate, Dataset train) =>
        new($"{Options.Phase.Name} diverged {where} ({sign}) at rate {rate:G3}; " + UnscaledFloatPixels.DivergenceCause(train)
            + DivergenceAdvice.For(rate, Options.Momentum, Options.WeightDecay, Options.Phase.WeightDecayOption, Options.Phase.RateOption) + ".");

    /// <summary>
    /// <see cref="DivergenceSign.Of"/> for the weights as they are now, judged by their loss (the options' label smoothing, no
    /// distillation) on the first samples of <paramref name="data"/> in stored order (one batch, at most the network's
    /// <see cref="Network.MaxBatch"/>, so its buffers do not grow), forward only. A loop whose check uses each batch's loss
    /// sees the weights before its step; this judges the last step, after which no batch would. Null for no data.
    /// </summary>
    internal string? DivergenceAfterLastStep(Dataset data)
    {
        int count = Math.Min(Math.Min(Options.BatchSize, Network.MaxBatch), data.Count), classes = Network.OutputShape.ElementCount;
        if (count == 0) return null;
        ReadOnlySpan<float> logits = Network.Forward(data.Pixels.Span[..(count * data.SampleShape.Size)], count, Threads);
        // The loss's gradient is not wanted: the step's scratch takes it.
        double loss = SoftmaxCrossEntropy.Compute(logits, data.Labels.Span[..count], classes, _logitGradient.AsSpan(0, count * classes),
            (float)Options.LabelSmoothing);
        return DivergenceSign.Of(loss, Network);
    }

    /// <summary>Forward and backward over one batch: sets every parameter's gradient and returns the mean loss.
    /// A batch of at least two <see cref="ShardedStep.ShardSamples"/>-sample shards runs them on the threads
    /// side by side (see <see cref="ShardedStep"/>); the result depends on the batch, never on the thread count.</summary>
    public double ComputeGradients(ReadOnlySpan<float> inputs, ReadOnlySpan<byte> labels) => ComputeGradients(inputs, labels, default);

    /// <summary>The same with a distillation loss against <paramref name="teacher"/>'s probabilities for these samples (see <see cref="DistillationLoss"/>).</summary>
    public double ComputeGradients(ReadOnlySpan<float> inputs, ReadOnlySpan<byte> labels, DistillationBatch teacher)
    {
        int batch = labels.Length, classes = Network.OutputShape.ElementCount;
        if (!teacher.IsNone && teacher.Probabilities.Length != batch * classes)
            throw new ArgumentException($"{teacher.Probabilities.Length} teacher probabilities do not make {batch} samples of {classes} classes.", nameof(teacher));
        if (_shards.TryCompute(inputs, labels, teacher, Threads, out double shardedLoss)) return shardedLoss;
        ReadOnlySpan<float> logits = Network.Forward(inputs, batch, Threads, ForwardMode.Training);
        Span<float> gradient = _logitGradient.AsSpan(0, batch * classes);
        double loss = teacher.IsNone
            ? SoftmaxCrossEntropy.Compute(logits, labels, classes, gradient, (float)Options.LabelSmoothing)
            : DistillationLoss.Sum(logits, labels, teacher.Probabilities, classes, teacher.Weight, teacher.Temperature, 1f / batch, gradient,
                (float)Options.LabelSmoothing) / batch;
        Network.Backward(gradient, batch, Threads);
        return loss;
    }

    /// <summary>Classifies every sample of <paramref name="data"/> with the training network.</summary>
    public ConfusionMatrix Evaluate(Dataset data) => Evaluate(Network, data, Threads);

    /// <summary>Classifies every sample of <paramref name="data"/> with <paramref name="network"/>.</summary>
    public static ConfusionMatrix Evaluate(Network network, Dataset data, ComputeThreads threads)
    {
        var matrix = new ConfusionMatrix(data.ClassCount);
        ForEachBatch(network, data, threads, (logits, labels) => matrix.Add(logits, labels));
        return matrix;
    }

    /// <summary>What an evaluation does with one batch: its logits (samples × classes) and its labels.</summary>
    public delegate void EvaluatedBatch(ReadOnlySpan<float> logits, ReadOnlySpan<byte> labels);

    /// <summary>Runs every sample of <paramref name="data"/> through <paramref name="network"/> in evaluation mode, in batches
    /// of its <see cref="Network.MaxBatch"/>, handing each batch's logits to <paramref name="batch"/>: the one loop of
    /// <see cref="Evaluate(Network, Dataset, ComputeThreads)"/> and the fine-tune's held-out scores, so they cannot drift apart.</summary>
    /// <exception cref="TrainingException">The data set does not fit the network.</exception>
    public static void ForEachBatch(Network network, Dataset data, ComputeThreads threads, EvaluatedBatch batch)
    {
        RequireCompatible(network, data);
        int size = data.SampleShape.Size, largest = network.MaxBatch;
        for (int start = 0; start < data.Count; start += largest)
        {
            int count = Math.Min(largest, data.Count - start);
            batch(network.Forward(data.Pixels.Span.Slice(start * size, count * size), count, threads), data.Labels.Span.Slice(start, count));
        }
    }

    /// <summary>Throws unless one sample of <paramref name="data"/> is one input of <paramref name="network"/> and the classes match.</summary>
    /// <exception cref="TrainingException">They do not fit; the message says how.</exception>
    public static void RequireCompatible(Network network, Dataset data)
    {
        if (ModelFit.Mismatch(network.Name, network.InputShape, network.OutputShape.ElementCount, data.Name, data.SampleShape, data.ClassCount) is string why)
            throw new TrainingException(why);
    }

    /// <summary>The visiting order of <paramref name="epoch"/>: a permutation fixed by the seed and the epoch alone.</summary>
    internal static int[] ShuffledOrder(int count, ulong seed, int epoch)
    {
        int[] order = Enumerable.Range(0, count).ToArray();
        new SeededRandom(seed ^ (0xD1B54A32D192ED03UL * (ulong)(epoch + 1))).Shuffle(order);
        return order;
    }
}
