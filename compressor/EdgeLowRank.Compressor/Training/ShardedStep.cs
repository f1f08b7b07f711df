using System.Numerics.Tensors;
using EdgeLowRank.Compressor.Data;

namespace EdgeLowRank.Compressor.Training;

/// <summary>
/// One training step with the batch cut into shards of <see cref="ShardSamplesFor"/> samples that run the
/// whole forward and backward pass side by side, one thread per shard, instead of splitting every
/// layer's products between the threads (one fork and join per step rather than one per product, and
/// the single-threaded element-wise work — bias gradients, ReLU, loss, packing the inputs — runs on
/// every core). Each shard owns a replica of the layers (<see cref="TrainingLayer.Replicate"/>): its own
/// activations, scratch and gradients, the network's weight values, and the packed weights the network's
/// layers prepare once per step (<see cref="TrainingLayer.PrepareStep"/>). The shards' gradients are then
/// added in shard order into the network's parameters.
/// <para>The cut depends only on the batch size, never on the thread count, and each shard runs its layers
/// on one thread: a seed gives bit-identical weights on any number of threads.</para>
/// </summary>
internal sealed class ShardedStep
{
    /// <summary>The floats one shard's activations, gradients and scratch may take: 16 MB. Measured on MNIST
    /// at batch 256, one thread: LeNet-5 ran 2,771 samples/s with shards of 64 images (26 MB each) and about
    /// 3,000 with 32 or 16; LeNet-300-100 (13 KB a sample) ran best with the largest shards, 128.</summary>
    private const long ShardFloatBudget = 4L << 20;

    /// <summary>The smallest and largest shard.</summary>
    private const int MinShard = 8, MaxShard = 128;

    /// <summary>Floats per unit of work when the shards' gradients are added.</summary>
    private const int ReduceChunk = 16 * 1024;

    private readonly Network _network;
    private TrainingLayer[] _source = [];
    private Parameter[] _parameters = [];
    private (int Parameter, int Start, int Length)[] _chunks = [];
    private readonly List<Shard> _shards = [];
    private bool _replicable = true;
    private int _firstTrainable;

    private readonly float _labelSmoothing;

    /// <summary>Steps for <paramref name="network"/> on the cross-entropy with label smoothing <paramref name="labelSmoothing"/> (see <see cref="SoftmaxCrossEntropy"/>).</summary>
    public ShardedStep(Network network, float labelSmoothing)
    {
        _network = network;
        _labelSmoothing = labelSmoothing;
    }

    /// <summary>Samples per shard (see <see cref="ShardSamplesFor"/>) for the layers the shards were built from.</summary>
    public int ShardSamples { get; private set; } = MaxShard;

    /// <summary>Samples per shard for <paramref name="network"/>: the largest power of two from 8 to 128 whose
    /// activations, gradients, layer scratch and skip-gradient sums fit <see cref="ShardFloatBudget"/>, so a shard's memory stays
    /// in cache. It depends on the architecture alone, never on the thread count.</summary>
    internal static int ShardSamplesFor(Network network)
    {
        long perSample = 0;
        for (int i = 0; i < network.Layers.Count; i++)
            perSample += 2L * network.InputShapeOf(i).ElementCount + network.Layers[i].ScratchFloatsPerSample;
        perSample += 2L * network.OutputShape.ElementCount;
        perSample += LayerChain.SummedSkipSources(network.Layers).Sum(source => (long)network.InputShapeOf(source).ElementCount);
        int shard = MaxShard;
        while (shard > MinShard && shard * perSample > ShardFloatBudget) shard /= 2;
        return shard;
    }

    /// <summary>Computes the step's gradients into the network's parameters and returns the mean loss;
    /// false (nothing done) when the batch makes a single shard or a layer cannot be replicated.</summary>
    public bool TryCompute(ReadOnlySpan<float> inputs, ReadOnlySpan<byte> labels, DistillationBatch teacher, ComputeThreads threads, out double loss)
    {
        loss = 0;
        int batch = labels.Length, inputSize = _network.InputShape.ElementCount;
        if (inputs.Length != (long)batch * inputSize)
            throw new ArgumentException($"{inputs.Length} input values do not make {batch} samples of {_network.InputShape}.", nameof(inputs));
        if (!Begin(batch, threads, out int shards)) return false;
        for (int s = 0; s < shards; s++)
        {
            int start = s * ShardSamples, count = Math.Min(ShardSamples, batch - start);
            inputs.Slice(start * inputSize, count * inputSize).CopyTo(_shards[s].Activations[0]);
            labels.Slice(start, count).CopyTo(_shards[s].Labels);
            _shards[s].SetTeacher(teacher, start, count);
        }
        loss = Finish(batch, shards, threads, gather: null);
        return true;
    }

    /// <summary>The same for the samples <paramref name="order"/>[<paramref name="start"/> ..] of
    /// <paramref name="data"/>: each shard copies its own samples on its own thread.</summary>
    public bool TryCompute(Dataset data, int[] order, int start, int batch, ComputeThreads threads, out double loss)
    {
        loss = 0;
        if (!Begin(batch, threads, out int shards)) return false;
        int size = data.SampleShape.Size;
        loss = Finish(batch, shards, threads, s =>
        {
            ReadOnlySpan<float> pixels = data.Pixels.Span;
            ReadOnlySpan<byte> labels = data.Labels.Span;
            Shard shard = _shards[s];
            int first = start + s * ShardSamples;
            for (int i = 0; i < shard.Count; i++)
            {
                int sample = order[first + i];
                pixels.Slice(sample * size, size).CopyTo(shard.Activations[0].AsSpan(i * size, size));
                shard.Labels[i] = labels[sample];
            }
            shard.SetTeacher(default, 0, 0);
        });
        return true;
    }

    /// <summary>Sizes the shards for <paramref name="batch"/> and packs the weights; false when the step cannot be sharded.</summary>
    private bool Begin(int batch, ComputeThreads threads, out int shards)
    {
        shards = 0;
        if (!EnsureReplicas()) return false;
        shards = (batch + ShardSamples - 1) / ShardSamples;
        if (shards < 2) return false;
        while (_shards.Count < shards) _shards.Add(new Shard(_network, _source, ShardSamples));
        for (int s = 0; s < shards; s++) _shards[s].Count = Math.Min(ShardSamples, batch - s * ShardSamples);
        IReadOnlyList<TrainingLayer> layers = _network.Layers;
        // Every layer, those before the first trainable one too: a frozen layer there (FrozenLayer) has weights its replicas
        // read packed, though nothing trains them.
        for (int i = 0; i < layers.Count; i++) layers[i].PrepareStep(needsInputGradient: i > _firstTrainable, threads);
        return true;
    }

    /// <summary>Runs the shards (after <paramref name="gather"/> fills each, when given), adds their gradients
    /// in shard order into the network's parameters, and returns the mean loss.</summary>
    private double Finish(int batch, int shards, ComputeThreads threads, Action<int>? gather)
    {
        int classes = _network.OutputShape.ElementCount;
        float scale = 1f / batch;
        threads.ForEach(shards, s =>
        {
            gather?.Invoke(s);
            _shards[s].Run(classes, scale, _labelSmoothing, _firstTrainable);
        });

        threads.ForItems(_chunks.Length, (_, c) =>
        {
            (int p, int start, int length) = _chunks[c];
            Span<float> sum = _parameters[p].Gradient.AsSpan(start, length);
            _shards[0].Parameters[p].Gradient.AsSpan(start, length).CopyTo(sum);
            for (int s = 1; s < shards; s++) TensorPrimitives.Add(sum, _shards[s].Parameters[p].Gradient.AsSpan(start, length), sum);
        });

        double loss = 0;
        for (int s = 0; s < shards; s++) loss += _shards[s].Loss;
        return loss / batch;
    }

    /// <summary>After <see cref="Network.Replace"/> (or at first), forgets the replicas and sizes the shards anew.</summary>
    private bool EnsureReplicas()
    {
        IReadOnlyList<TrainingLayer> layers = _network.Layers;
        bool same = _source.Length == layers.Count && layers.Select((l, i) => ReferenceEquals(l, _source[i])).All(x => x);
        if (!same)
        {
            _shards.Clear();
            _source = layers.ToArray();
            _parameters = _network.Parameters.ToArray();
            _chunks = _parameters.SelectMany((p, i) => Enumerable.Range(0, (p.Length + ReduceChunk - 1) / ReduceChunk)
                .Select(c => (i, c * ReduceChunk, Math.Min(ReduceChunk, p.Length - c * ReduceChunk)))).ToArray();
            _replicable = _source.All(l => l.Replicate() is not null);
            ShardSamples = ShardSamplesFor(_network);
            _firstTrainable = _network.FirstTrainableLayer;
        }
        return _replicable;
    }

    /// <summary>One shard's replica of the layers and its memory.</summary>
    private sealed class Shard
    {
        private readonly LayerChain _chain;

        public Shard(Network network, TrainingLayer[] source, int samples)
        {
            TrainingLayer[] layers = source.Select(l => l.Replicate()!).ToArray();
            var shapes = new Runtime.Layers.TensorShape[layers.Length + 1];
            shapes[0] = network.InputShape;
            for (int i = 0; i < layers.Length; i++) shapes[i + 1] = layers[i].Bind(shapes.AsSpan(0, i + 1), samples);
            _chain = new LayerChain(layers, shapes, samples);
            Parameters = layers.SelectMany(l => l.Parameters).ToArray();
            Labels = new byte[samples];
            Teacher = new float[samples * network.OutputShape.ElementCount];
        }

        public float[][] Activations => _chain.Activations;

        public byte[] Labels { get; }

        /// <summary>The teacher's probabilities for this shard's samples, when <see cref="TeacherWeight"/> is not 0.</summary>
        public float[] Teacher { get; }

        public float TeacherWeight { get; private set; }

        public float TeacherTemperature { get; private set; }

        /// <summary>Copies the teacher's rows <paramref name="start"/> .. + <paramref name="count"/> of the batch (or none: plain cross-entropy).</summary>
        public void SetTeacher(DistillationBatch teacher, int start, int count)
        {
            TeacherWeight = teacher.IsNone ? 0 : teacher.Weight;
            TeacherTemperature = teacher.Temperature;
            if (teacher.IsNone) return;
            int classes = Teacher.Length / Labels.Length;
            teacher.Probabilities.Slice(start * classes, count * classes).CopyTo(Teacher);
        }

        public Parameter[] Parameters { get; }

        public int Count { get; set; }

        public double Loss { get; private set; }

        public void Run(int classes, float scale, float labelSmoothing, int firstTrainable)
        {
            ComputeThreads one = ComputeThreads.Single;
            int n = Count;
            _chain.Forward(n, one);
            float[] logits = Activations[^1], logitGradient = _chain.Gradients[^1];
            Loss = TeacherWeight == 0
                ? SoftmaxCrossEntropy.Sum(logits.AsSpan(0, n * classes), Labels.AsSpan(0, n), classes, scale, logitGradient, labelSmoothing)
                : DistillationLoss.Sum(logits.AsSpan(0, n * classes), Labels.AsSpan(0, n), Teacher.AsSpan(0, n * classes), classes,
                    TeacherWeight, TeacherTemperature, scale, logitGradient, labelSmoothing);
            _chain.Backward(firstTrainable, n, one);
        }
    }
}
