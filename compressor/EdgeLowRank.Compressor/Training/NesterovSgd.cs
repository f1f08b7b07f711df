using System.Numerics.Tensors;

namespace EdgeLowRank.Compressor.Training;

/// <summary>
/// Stochastic gradient descent with Nesterov momentum and L2 weight decay, in PyTorch's form:
/// g = ∇ + wd·w (weights only; biases are not decayed), v ← μ·v + g, w ← w − lr·(g + μ·v).
/// With μ = 0 it is plain SGD. Each update is a few vectorized passes over a parameter.
/// </summary>
public sealed class NesterovSgd
{
    private readonly Parameter[] _parameters;
    private readonly float[][] _velocity;
    private readonly ComputeThreads _threads;
    private readonly (int Parameter, int Start, int Length)[] _chunks;

    /// <summary>Floats per unit of work when the update is split between threads.</summary>
    private const int ChunkLength = 16 * 1024;

    /// <summary>Creates the optimizer with zero velocity for every parameter.</summary>
    public NesterovSgd(IEnumerable<Parameter> parameters, double momentum, double weightDecay)
        : this(parameters, momentum, weightDecay, ComputeThreads.Single)
    {
    }

    /// <summary>Creates the optimizer with zero velocity for every parameter; each step is split between
    /// <paramref name="threads"/> in fixed chunks (every value is updated by itself, so the result does not
    /// depend on the thread count).</summary>
    public NesterovSgd(IEnumerable<Parameter> parameters, double momentum, double weightDecay, ComputeThreads threads)
    {
        ArgumentNullException.ThrowIfNull(threads);
        _threads = threads;
        if (momentum is < 0 or >= 1 || double.IsNaN(momentum)) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "The momentum must be in [0, 1).");
        if (weightDecay < 0 || double.IsNaN(weightDecay)) throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "The weight decay cannot be negative.");
        _parameters = parameters.ToArray();
        _velocity = _parameters.Select(p => new float[p.Length]).ToArray();
        Momentum = momentum;
        WeightDecay = weightDecay;
        _chunks = _parameters.SelectMany((p, i) => Enumerable.Range(0, (p.Length + ChunkLength - 1) / ChunkLength)
            .Select(c => (i, c * ChunkLength, Math.Min(ChunkLength, p.Length - c * ChunkLength)))).ToArray();
    }

    /// <summary>The velocity of each parameter, for an LC checkpoint: with --keep-velocity it carries across L steps, so
    /// a resumed run must start from it, not from zero, to end where an uninterrupted one does.</summary>
    internal IReadOnlyList<float[]> Velocity => _velocity;

    /// <summary>Sets the velocity to <paramref name="saved"/>, a copy of <see cref="Velocity"/>.</summary>
    internal void RestoreVelocity(IReadOnlyList<float[]> saved)
    {
        if (saved.Count != _velocity.Length || saved.Where((v, i) => v.Length != _velocity[i].Length).Any())
            throw new ArgumentException("The saved velocity does not match the parameters.", nameof(saved));
        for (int i = 0; i < _velocity.Length; i++) saved[i].CopyTo(_velocity[i], 0);
    }

    /// <summary>μ.</summary>
    public double Momentum { get; }

    /// <summary>The L2 coefficient.</summary>
    public double WeightDecay { get; }

    /// <summary>Applies one update with the current gradients (which it overwrites).</summary>
    public void Step(double learningRate)
    {
        float mu = (float)Momentum, decay = (float)WeightDecay, rate = (float)learningRate;
        _threads.ForItems(_chunks.Length, (_, c) =>
        {
            (int i, int start, int length) = _chunks[c];
            Span<float> w = _parameters[i].Value.AsSpan(start, length), g = _parameters[i].Gradient.AsSpan(start, length), v = _velocity[i].AsSpan(start, length);
            if (decay != 0 && _parameters[i].Decays) TensorPrimitives.MultiplyAdd(w, decay, g, g);
            TensorPrimitives.MultiplyAdd(v, mu, g, v);
            TensorPrimitives.MultiplyAdd(v, mu, g, g);
            TensorPrimitives.MultiplyAdd(g, -rate, w, w);
        });
    }
}
