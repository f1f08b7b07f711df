using EdgeLowRank.Compressor.Compression;
using EdgeLowRank.Compressor.Factorization;
using EdgeLowRank.Compressor.Latency;

namespace EdgeLowRank.Compressor.Tests.Latency;

public sealed class LatencyCostModelTests : IDisposable
{
    private readonly LatencyTableFiles _files = new();

    public void Dispose() => _files.Dispose();

    /// <summary>A GEMV-like law: a fixed cost plus one per multiply-add.</summary>
    private static double Gemv(int inputs, int outputs) => 1e-6 + 1e-10 * inputs * outputs;

    [Fact]
    public void Reproduces_a_bilinear_latency_law_between_and_beyond_the_measured_sizes()
    {
        // Narrow products cost what the grid's narrowest (10) costs, as with 16-column panels.
        var model = new LatencyCostModel(LatencyTable.Load(_files.Write(Gemv, (i, o, r) => Gemv(i, Math.Max(r, 10)) + Gemv(Math.Max(r, 10), o))));

        foreach ((int i, int o) in new[] { (50, 200), (784, 500), (1000, 1000), (300, 10) })
            Assert.Equal(Gemv(i, o), model.Dense(i, o), Gemv(i, o) * 1e-9);
        // A factorized layer that costs exactly its two products: the calibrated overhead is 0.
        Assert.Equal(Gemv(784, 20) + Gemv(20, 300), model.FactorizedDense(784, 300, 20), 1e-12);
    }

    [Fact]
    public void A_table_is_named_by_its_digest_so_another_board_means_another_checkpoint()
    {
        string first = _files.Write(Gemv, (i, o, r) => Gemv(i, r) + Gemv(r, o));
        string slower = _files.Write(Gemv, (i, o, r) => 50e-6 + Gemv(i, r) + Gemv(r, o));
        string copy = _files.WriteText(File.ReadAllText(first));

        Assert.Equal(LatencyTable.Load(first).Digest, LatencyTable.Load(copy).Digest);
        Assert.NotEqual(LatencyTable.Load(first).Digest, LatencyTable.Load(slower).Digest);
        var options = new LcOptions { Criterion = CostCriterion.Latency, LatencyModel = new LatencyCostModel(LatencyTable.Load(first)) };
        Assert.Equal(options.CheckpointFingerprint(), (options with { LatencyModel = new LatencyCostModel(LatencyTable.Load(copy)) }).CheckpointFingerprint());
        Assert.NotEqual(options.CheckpointFingerprint(), (options with { LatencyModel = new LatencyCostModel(LatencyTable.Load(slower)) }).CheckpointFingerprint());
    }

    [Fact]
    public void The_reported_latency_ratio_is_the_tables_dense_time_over_its_factorized_time()
    {
        // elr compress prints this ratio, and GoalShortfalls judges --target-ratio by it, for --criterion latency.
        var model = new LatencyCostModel(LatencyTable.Load(_files.Write(Gemv, (i, o, r) => Gemv(i, Math.Max(r, 10)) + Gemv(Math.Max(r, 10), o))));
        IReadOnlyList<CompressibleLayer> layers = CompressibleLayer.Find(Compression.SmallProblem.TrainedNetwork());   // fc1 48×64, fc2 10×48
        var options = new LcOptions { Criterion = CostCriterion.Latency, LatencyModel = model };

        double expected = (model.Dense(64, 48) + model.Dense(48, 10)) / (model.FactorizedDense(64, 48, 12) + model.Dense(48, 10));
        Assert.Equal(expected, CompressionRatios.UnderCriterion(layers, [12, -1], options), 1e-12);
    }

    [Fact]
    public void Where_factorized_layers_are_slow_every_layer_stays_dense()
    {
        // A board on which two kernel calls cost far more than one: factorizing never pays.
        var table = LatencyTable.Load(_files.Write(Gemv, (i, o, r) => 50e-6 + Gemv(i, r) + Gemv(r, o)));
        var model = new LatencyCostModel(table);
        double[] errors = Enumerable.Range(0, 301).Select(r => 100.0 * Math.Pow(0.97, r)).ToArray();

        foreach (double lambda in new[] { 1e2, 1e4, 1e6 })
        {
            RankChoice choice = RankSelection.Choose(errors, 300, 784, model.ForDense(784, 300), lambda, mu: 1e-3);
            Assert.True(choice.KeepDense, $"λ = {lambda}: rank {choice.Rank} chosen although every factorized layer is slower");
        }
    }

    [Fact]
    public void The_table_measured_here_predicts_its_own_factorized_points_and_gives_sensible_ranks()
    {
        var table = LatencyTable.Load(LatencyTableFiles.MeasuredHere);
        var model = new LatencyCostModel(table);
        double[] relativeErrors = table.Entries.Where(e => e.Kind == "factorized-dense")
            .Select(e => Math.Abs(model.FactorizedDense(e.Inputs, e.Outputs, e.Rank) - e.Seconds) / e.Seconds).Order().ToArray();
        Assert.True(relativeErrors[relativeErrors.Length / 2] < 0.25, $"median prediction error {relativeErrors[relativeErrors.Length / 2]:P0}");

        // LeNet-300-100's first layer with a spectrum that decays like a trained layer's: latency ranks are
        // a compromise — factorized (faster than dense), but not down to nothing.
        double[] errors = Enumerable.Range(0, 301).Select(r => 50.0 * Math.Pow(0.96, r)).ToArray();
        RankChoice choice = RankSelection.Choose(errors, 300, 784, model.ForDense(784, 300), lambda: 1e6, mu: 1e-1);
        Assert.False(choice.KeepDense);
        Assert.InRange(choice.Rank, 4, 150);
        Assert.True(model.FactorizedDense(784, 300, choice.Rank) < model.Dense(784, 300));
    }

    [Fact]
    public void Convolutions_are_looked_up_by_shape_and_a_missing_shape_says_how_to_profile_it()
    {
        var model = new LatencyCostModel(LatencyTable.Load(LatencyTableFiles.MeasuredHere));

        RankCost conv2 = model.ForConvolution(patchLength: 500, outputs: 50, outputPixels: 64, highestRank: 45, "conv2"); // LeNet-5's second convolution
        Assert.True(conv2.Dense > 0);
        Assert.True(conv2.OfRank(4) < conv2.OfRank(48));

        var e = Assert.Throws<LatencyTableException>(() => model.ForConvolution(27, 64, 1024, highestRank: 19, "stem"));
        Assert.Contains("too few measurements of stem's shape", e.Message);
        Assert.Contains("elr-run profile --model MODEL.elr", e.Message);
    }

    [Theory]
    [InlineData(1, 1, true)]    // rank 1 is the C step's last candidate: one measurement prices every rank it may choose
    [InlineData(0, 1, true)]    // rank 0 (the layer removed) costs what rank 1 costs
    [InlineData(5, 1, false)]   // ranks 1 to 5 from one measurement would be a guess
    [InlineData(5, 2, true)]
    public void A_narrow_convolution_needs_as_many_measured_ranks_as_it_has_candidates_up_to_two(int highestRank, int measuredRanks, bool priced)
    {
        var model = WithConvolution(Enumerable.Range(1, measuredRanks).Select(r => r * 4 - 3).ToArray());

        if (priced)
        {
            RankCost cost = model.ForConvolution(25, 6, 784, highestRank, "conv1");
            Assert.Equal(1e-5, cost.OfRank(0), 12);
            Assert.Equal(1e-5, cost.OfRank(1), 12);
        }
        else
        {
            var e = Assert.Throws<LatencyTableException>(() => model.ForConvolution(25, 6, 784, highestRank, "conv1"));
            Assert.Contains("(1 factorized rank)", e.Message);
        }
    }

    [Fact]
    public void A_convolution_measured_twice_at_one_rank_is_refused_rather_than_priced_NaN()
    {
        var model = WithConvolution([1, 1, 4]);

        var e = Assert.Throws<LatencyTableException>(() => model.ForConvolution(25, 6, 784, highestRank: 4, "conv1"));
        Assert.Contains("measures conv1's shape, a convolution with 25 patch values, 6 output channels and 784 output pixels more than once", e.Message);
    }

    /// <summary>A table of dense layers and one 25 × 6 convolution with 784 output pixels: dense at 20 µs, and
    /// <paramref name="ranks"/>, the i-th at (i + 1)·10 µs.</summary>
    private LatencyCostModel WithConvolution(int[] ranks)
    {
        var dense = LatencyTableFiles.Sides.SelectMany(i => LatencyTableFiles.Sides.Select(o =>
            (object)new { kind = "dense", rows = i, columns = o, rank = 0, outputPixels = 1, seconds = 1e-6 * (i + o) }));
        var conv = new object[] { new { kind = "conv2d", rows = 25, columns = 6, rank = 0, outputPixels = 784, seconds = 2e-5 } }
            .Concat(ranks.Select((r, i) => (object)new { kind = "factorized-conv2d", rows = 25, columns = 6, rank = r, outputPixels = 784, seconds = 1e-5 * (i + 1) }));
        return new LatencyCostModel(LatencyTable.Load(_files.WriteJson(new
        {
            format = LatencyTable.FormatName, version = 1, cpu = "synthetic", builtFor = "test", batch = 1, entries = dense.Concat(conv).ToArray(),
        })));
    }

    [Theory]
    [InlineData("{\"format\":\"something-else\",\"version\":1}", "format")]
    [InlineData("{\"format\":\"edgelowrank-latency-table\",\"version\":2}", "version 2")]
    [InlineData("not json", "not valid JSON (line 1, byte 2), so it is no latency table")]
    [InlineData("{\"format\": 1}\ntraining lenet300 on mnist, a log given by mistake", "not valid JSON (line 2, byte 1)")]
    [InlineData("{\"format\":\"edgelowrank-latency-table\",\"version\":1,\"cpu\":\"x\",\"builtFor\":\"y\",\"batch\":1,\"entries\":[{\"kind\":\"dense\",\"rows\":10,\"columns\":10,\"rank\":0,\"outputPixels\":1,\"seconds\":-1}]}", "not a valid measurement")]
    // Sums of times near the largest double overflowed, and every predicted ratio read NaN× with no warning.
    [InlineData("{\"format\":\"edgelowrank-latency-table\",\"version\":1,\"cpu\":\"x\",\"builtFor\":\"y\",\"batch\":1,\"entries\":[{\"kind\":\"dense\",\"rows\":10,\"columns\":10,\"rank\":0,\"outputPixels\":1,\"seconds\":1e308}]}", "a positive time of at most 60 s")]
    [InlineData("{\"format\":\"edgelowrank-latency-table\",\"version\":1,\"cpu\":\"x\",\"builtFor\":\"y\",\"batch\":0,\"entries\":[{\"kind\":\"dense\",\"rows\":10,\"columns\":10,\"rank\":0,\"outputPixels\":1,\"seconds\":1e-5}]}", "its batch is 0, where the measurements were made at a batch of at least 1")]
    [InlineData("{\"format\":\"edgelowrank-latency-table\",\"version\":1}", "not a latency table: it has no array 'entries'")]
    [InlineData("{\"format\":\"edgelowrank-latency-table\",\"version\":1,\"entries\":[{\"kind\":\"dense\",\"rows\":10,\"columns\":\"ten\"}]}", "entry 0 has no whole number 'columns'")]
    public void A_bad_table_is_refused_with_a_message_saying_what_and_how(string text, string expected)
    {
        var e = Assert.Throws<LatencyTableException>(() => LatencyTable.Load(_files.WriteText(text)));

        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain("mistake", e.Message);   // the file's text is not quoted back
    }

    [Fact]
    public void A_missing_table_says_how_to_make_one()
    {
        var e = Assert.Throws<EdgeLowRank.Runtime.IO.FilePathException>(() => LatencyTable.Load("/nonexistent/board.json"));

        Assert.Contains("elr-run profile -o board.json", e.Message);
    }
}
