using EdgeLowRank.Compressor.Factorization;

namespace EdgeLowRank.Compressor.Latency;

/// <summary>
/// Turns a board's latency table into the C step's cost C(r) = the predicted time of a layer at rank r,
/// so a layer is factorized only when, and only as far as, that is faster on the board.
/// <para>Dense layers: bilinear interpolation over the table's grid of (inputs, outputs), extended
/// linearly beyond its edges. A factorized dense layer runs as two dense products, inputs→r and
/// r→outputs, so it is predicted as the sum of the two interpolated dense times plus one constant:
/// the median, over the table's factorized measurements, of what they took beyond that sum (the
/// per-layer overhead counted once, not twice). Ranks below the grid's smallest side cost what the
/// smallest side costs: the kernels work in 16-column panels, so narrower products are not cheaper.</para>
/// <para>Convolutions depend on the image size as well, so they are looked up by exact shape and
/// interpolated linearly in the rank; a shape the table lacks is an error that says how to profile it
/// (`elr-run profile --model`, which measures a network's own convolutions).</para>
/// </summary>
public sealed class LatencyCostModel
{
    private readonly LatencyTable _table;
    private readonly int[] _inputs, _outputs;
    private readonly double[,] _dense;
    private readonly double _factorizedOverhead;

    /// <summary>Prepares the interpolation.</summary>
    /// <exception cref="LatencyTableException">The dense measurements do not form a full grid of at least 2×2 sizes.</exception>
    public LatencyCostModel(LatencyTable table)
    {
        _table = table;
        var dense = table.Entries.Where(e => e.Kind == "dense").ToArray();
        _inputs = dense.Select(e => e.Inputs).Distinct().Order().ToArray();
        _outputs = dense.Select(e => e.Outputs).Distinct().Order().ToArray();
        if (_inputs.Length < 2 || _outputs.Length < 2 || dense.Length != _inputs.Length * _outputs.Length)
            throw new LatencyTableException($"{table.Source}: the dense measurements must form a full grid of at least 2×2 (inputs × outputs) sizes; got {dense.Length} for {_inputs.Length}×{_outputs.Length}. Profile with `elr-run profile`.");
        _dense = new double[_inputs.Length, _outputs.Length];
        foreach (LatencyEntry e in dense)
            _dense[Array.IndexOf(_inputs, e.Inputs), Array.IndexOf(_outputs, e.Outputs)] = e.Seconds;

        double[] residuals = table.Entries.Where(e => e.Kind == "factorized-dense")
            .Select(e => e.Seconds - TwoProducts(e.Inputs, e.Outputs, e.Rank)).Order().ToArray();
        _factorizedOverhead = residuals.Length == 0 ? 0 : residuals[residuals.Length / 2];
    }

    /// <summary>The measurements this model interpolates.</summary>
    public LatencyTable Table => _table;

    /// <summary>Predicted seconds of a dense layer.</summary>
    public double Dense(int inputs, int outputs)
    {
        double x = Math.Max(inputs, _inputs[0]), y = Math.Max(outputs, _outputs[0]);
        (int i, double s) = Cell(_inputs, x);
        (int j, double t) = Cell(_outputs, y);
        double value = (1 - s) * (1 - t) * _dense[i, j] + s * (1 - t) * _dense[i + 1, j]
                     + (1 - s) * t * _dense[i, j + 1] + s * t * _dense[i + 1, j + 1];
        return Math.Max(value, _dense[0, 0]); // never below the smallest layer measured
    }

    /// <summary>Predicted seconds of a factorized dense layer of rank <paramref name="rank"/> (rank 0 costs what rank 1 costs).</summary>
    public double FactorizedDense(int inputs, int outputs, int rank) =>
        Math.Max(TwoProducts(inputs, outputs, Math.Max(rank, 1)) + _factorizedOverhead, _dense[0, 0]);

    /// <summary>The C-step cost of a dense layer: predicted seconds at each rank, and dense.</summary>
    public RankCost ForDense(int inputs, int outputs) =>
        new(r => FactorizedDense(inputs, outputs, r), Dense(inputs, outputs));

    /// <summary>The C-step cost of the convolution <paramref name="layer"/>, whose weight matrix is <paramref name="patchLength"/>
    /// (k·k·c_in) × <paramref name="outputs"/> (c_out), producing <paramref name="outputPixels"/> pixels, at ranks up to
    /// <paramref name="highestRank"/> (the C step's last candidate; rank 0 costs what rank 1 costs).</summary>
    /// <exception cref="LatencyTableException">The table lacks this convolution's dense time, or the ranks to interpolate between
    /// (two, or one when rank 1 is the highest), or measures one of them twice.</exception>
    public RankCost ForConvolution(int patchLength, int outputs, int outputPixels, int highestRank, string layer)
    {
        LatencyEntry[] shape = _table.Entries.Where(e => e.Kind.EndsWith("conv2d", StringComparison.Ordinal)
            && e.Inputs == patchLength && e.Outputs == outputs && e.OutputPixels == outputPixels).ToArray();
        LatencyEntry[] dense = shape.Where(e => e.Kind == "conv2d").ToArray();
        var ranks = shape.Where(e => e.Kind == "factorized-conv2d").OrderBy(e => e.Rank).ToArray();
        string what = $"{layer}'s shape, a convolution with {patchLength} patch values, {outputs} output channels and {outputPixels} output pixels";
        // Two measurements of one rank would make the interpolation divide by zero: NaN costs, and ranks the C step silently skips.
        if (dense.Length > 1 || ranks.DistinctBy(e => e.Rank).Count() != ranks.Length)
            throw new LatencyTableException($"{_table.Source} measures {what} more than once at one rank (two convolutions of different images or "
                + "windows with that shape?); the compressor cannot tell which is this layer. Make the table again with `elr-run profile --model MODEL.elr -o board.json`.");
        if (dense.Length == 0 || ranks.Length < Math.Min(2, Math.Max(highestRank, 1)))
            throw new LatencyTableException($"{_table.Source} has too few measurements of {what} ({(dense.Length == 0 ? "no dense time" : $"{ranks.Length} factorized rank{(ranks.Length == 1 ? "" : "s")}")}). "
                + "Profile the board again with the network's own shapes: `elr-run profile --model MODEL.elr -o board.json`, MODEL.elr being the model you compress.");
        return new RankCost(r => InterpolateRank(ranks, Math.Max(r, 1)), dense[0].Seconds);
    }

    private double TwoProducts(int inputs, int outputs, int rank) => Dense(inputs, rank) + Dense(rank, outputs);

    /// <summary>Linear in the rank between the two nearest measured ranks (beyond them, along the last segment); a single
    /// measured rank is the time of every rank.</summary>
    private static double InterpolateRank(LatencyEntry[] byRank, int rank)
    {
        if (byRank.Length == 1) return byRank[0].Seconds;
        int upper = 1;
        while (upper < byRank.Length - 1 && byRank[upper].Rank < rank) upper++;
        LatencyEntry a = byRank[upper - 1], b = byRank[upper];
        double value = a.Seconds + (b.Seconds - a.Seconds) * (rank - a.Rank) / (b.Rank - a.Rank);
        return Math.Max(value, byRank[0].Seconds);
    }

    /// <summary>The grid cell holding <paramref name="value"/> and its position in it (outside [0, 1] beyond the grid's edges).</summary>
    private static (int Index, double Fraction) Cell(int[] grid, double value)
    {
        int i = 0;
        while (i < grid.Length - 2 && grid[i + 1] < value) i++;
        return (i, (value - grid[i]) / (grid[i + 1] - grid[i]));
    }
}
