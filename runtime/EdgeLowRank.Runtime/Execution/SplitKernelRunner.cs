using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Execution;

/// <summary>
/// Runs a pass's matrix products split by output panels across a worker team (<see cref="PanelShare"/>): how one image
/// uses more than one thread, as ONNX Runtime's intra-op threads do. Each thread streams only its share of the weights
/// and computes its columns exactly as one thread would, so the outputs are bit for bit the caller's alone. A product too
/// small to pay for waking a worker runs on the caller. The caller must hold the team (<see cref="WorkerTeam.TryAcquire"/>)
/// for as long as it uses this runner; one run at a time, so the product being split can live in fields.
/// </summary>
internal sealed unsafe class SplitKernelRunner : KernelRunner
{
    private readonly WorkerTeam _team;
    private readonly Action<int, int> _runPart;

    // The product being split: set by Multiply, read by the parts while it waits for them, its spans pinned meanwhile.
    private float* _x, _bias, _y;
    private int _xLength, _biasLength, _yLength, _batch;
    private InputRows _rows;
    private PackedMatrix? _weights;
    private Activation _activation;

    /// <summary>A runner on <paramref name="path"/> that splits products across <paramref name="team"/>.</summary>
    public SplitKernelRunner(KernelPath path, WorkerTeam team) : base(path)
    {
        _team = team;
        _runPart = RunPart;
    }

    /// <summary>The fewest multiply–adds a part of a split product gets. Waking a parked worker costs the caller a few
    /// microseconds, which a smaller share would not win back.</summary>
    internal const long MinMultiplyAccumulatesPerPart = 250_000;

    /// <summary>How many parts a product of <paramref name="rows"/> × <paramref name="inputs"/> by
    /// <paramref name="inputs"/> × <paramref name="outputs"/> is split into on <paramref name="threads"/> threads: one a
    /// thread, two panels (<see cref="PanelShare.MostParts"/>) and <see cref="MinMultiplyAccumulatesPerPart"/> each.</summary>
    internal static int PartsFor(int threads, int rows, int inputs, int outputs) =>
        (int)Math.Clamp((long)rows * inputs * outputs / MinMultiplyAccumulatesPerPart, 1, Math.Min(threads, PanelShare.MostParts(outputs)));

    public override void Multiply(ReadOnlySpan<float> x, int batch, in InputRows rows, PackedMatrix weights, ReadOnlySpan<float> bias,
        Activation activation, Span<float> y)
    {
        int parts = PartsFor(_team.Threads, batch, weights.Rows, weights.Columns);
        if (parts == 1)
        {
            base.Multiply(x, batch, rows, weights, bias, activation, y);
            return;
        }
        fixed (float* px = x)
        fixed (float* pb = bias)
        fixed (float* py = y)
        {
            _x = px;
            _bias = pb;
            _y = py;
            (_xLength, _biasLength, _yLength) = (x.Length, bias.Length, y.Length);
            (_batch, _rows, _weights, _activation) = (batch, rows, weights, activation);
            _team.Run(parts, _runPart);
        }
    }

    private void RunPart(int part, int parts) =>
        DenseKernel.RunRows(new ReadOnlySpan<float>(_x, _xLength), _batch, _rows, PanelWeights.Of(_weights!), _weights!.Rows, _weights.Columns,
            new ReadOnlySpan<float>(_bias, _biasLength), _activation, new Span<float>(_y, _yLength), Path, new PanelShare(part, parts));
}
