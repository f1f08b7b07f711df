using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Tests.Execution;

/// <summary>Branch layers in a session: a shortcut with layers of its own (a projection) runs after the main path, reading the
/// block's input from the buffer the plan held it in, and the results match the float64 pass over the same layers.</summary>
public class BranchSessionTests
{
    /// <summary>Dense 16→16 (ReLU), then <paramref name="blocks"/> projection blocks that each widen by 8 [Dense + ReLU,
    /// Dense, Branch to the block's input, Dense (the projection), Add of the main path's output, ReLU layer], then Dense → 5.</summary>
    private static Model ProjectionMlp(int blocks, int seed = 21)
    {
        var random = new Random(seed);
        int width = 16;
        var layers = new List<Layer> { new DenseLayer(TestModels.RandomMatrix(random, width, width), TestModels.RandomFloats(random, width, 0.1f), Activation.Relu) };
        for (int b = 0; b < blocks; b++)
        {
            int blockInput = layers.Count, wider = width + 8;
            layers.Add(new DenseLayer(TestModels.RandomMatrix(random, width, wider), TestModels.RandomFloats(random, wider, 0.1f), Activation.Relu));
            layers.Add(new DenseLayer(TestModels.RandomMatrix(random, wider, wider), TestModels.RandomFloats(random, wider, 0.1f)));
            int mainPath = layers.Count;
            layers.Add(new BranchLayer(blockInput));
            layers.Add(new DenseLayer(TestModels.RandomMatrix(random, width, wider), TestModels.RandomFloats(random, wider, 0.1f)));
            layers.Add(new AddLayer(mainPath));
            layers.Add(new ReluLayer());
            width = wider;
        }
        layers.Add(new DenseLayer(TestModels.RandomMatrix(random, width, 5), TestModels.RandomFloats(random, 5, 0.1f)));
        return new Model(new TensorShape(16), layers, new ModelMetadata());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)] // the block's input is freed once its projection has read it, so the Add's output takes its buffer
    public void Projection_blocks_need_two_held_buffers_however_many_there_are(int blocks)
    {
        using Model model = ProjectionMlp(blocks);
        MemoryPlan plan = MemoryPlan.Build(model, 4);

        Assert.Equal(4, plan.BufferCount); // the block's input, the main path's output
        Assert.DoesNotContain(plan.Steps, s => model.Layers[s.FirstLayer] is BranchLayer); // a Branch is no step
    }

    [Theory]
    [MemberData(nameof(InferenceSessionTests.Paths), MemberType = typeof(InferenceSessionTests))]
    public void Matches_the_float64_reference_for_every_sample_of_a_split_batch(KernelPath path)
    {
        using Model model = ProjectionMlp(3);
        using var session = new InferenceSession(model, new SessionOptions { MaxBatchSize = 8, KernelPath = path });
        ReferenceAssert.Matches(model, session, batch: 19, seed: 4);
    }

    [Fact]
    public void Two_threads_compute_what_one_computes()
    {
        using Model model = ProjectionMlp(3);
        ReferenceAssert.TwoThreadsComputeWhatOneComputes(model);
    }

    [Fact]
    public void Steps_skip_the_branch_and_the_add_names_the_main_path_it_adds()
    {
        using Model model = ProjectionMlp(1);
        using var session = new InferenceSession(model);

        Assert.Equal(["Dense+Relu 16→16", "Dense+Relu 16→24", "Dense 24→24", "Dense 16→24", "Add+Relu 24→24 ← 3", "Dense 24→5"],
            session.Steps.Select(s => s.Name));
        Assert.Equal("Branch ← 1", model.Layers[3].Label);
        Assert.Equal([AddLayer.LabelLegend, BranchLayer.LabelLegend], model.LabelLegends);
    }

    [Fact]
    public void A_branch_to_the_input_reads_the_callers_span_and_leaves_it_unchanged()
    {
        var random = new Random(5);
        using var model = new Model(new TensorShape(12),
        [
            new DenseLayer(TestModels.RandomMatrix(random, 12, 20), TestModels.RandomFloats(random, 20), Activation.Relu),
            new BranchLayer(0),
            new DenseLayer(TestModels.RandomMatrix(random, 12, 20), TestModels.RandomFloats(random, 20)),
            new AddLayer(1, Activation.Relu),
        ], new ModelMetadata());
        using var session = new InferenceSession(model);
        float[] input = TestModels.RandomFloats(random, 3 * 12);
        float[] original = (float[])input.Clone();

        ReferenceAssert.Matches(model, session, input);
        Assert.Equal(original, input);
        Assert.Equal(3, MemoryPlan.Build(model, 1).BufferCount); // the main path's output only
    }

    [Fact]
    public void A_branch_source_stays_held_through_a_flatten_the_plan_elides_after_the_branch()
    {
        // The Dense after the elided Flatten reads the held image and writes an activation a later Add reads, into a held
        // buffer: were the image's buffer freed at the Flatten, the Dense would take it and write over its own input.
        var random = new Random(9);
        using var model = new Model(new TensorShape(3, 3, 2),
        [
            new ReluLayer(),                                                                                     // 0 → a1, held
            new FlattenLayer(),                                                                                  // 1
            new DenseLayer(TestModels.RandomMatrix(random, 18, 18), TestModels.RandomFloats(random, 18), Activation.Relu), // 2
            new DenseLayer(TestModels.RandomMatrix(random, 18, 18), TestModels.RandomFloats(random, 18)),       // 3 → a4, held
            new BranchLayer(1),                                                                                  // 4 → a1
            new FlattenLayer(),                                                                                  // 5, elided
            new DenseLayer(TestModels.RandomMatrix(random, 18, 18), TestModels.RandomFloats(random, 18)),       // 6 → a7, held
            new AddLayer(4),                                                                                     // 7
            new AddLayer(7, Activation.Relu),                                                                    // 8
            new DenseLayer(TestModels.RandomMatrix(random, 18, 3), TestModels.RandomFloats(random, 3)),         // 9
        ], new ModelMetadata());
        using var session = new InferenceSession(model, new SessionOptions { MaxBatchSize = 4 });

        ReferenceAssert.Matches(model, session, batch: 4, seed: 10);
    }

    [Fact]
    public void A_model_refuses_a_branch_whose_input_no_add_reads_or_that_goes_forward()
    {
        var random = new Random(8);
        Layer Dense() => new DenseLayer(TestModels.RandomMatrix(random, 10, 10), TestModels.RandomFloats(random, 10));

        var dead = Assert.Throws<ArgumentException>(() => new Model(new TensorShape(10), [Dense(), new BranchLayer(0), Dense()], new ModelMetadata()));
        var ahead = Assert.Throws<ArgumentException>(() => new Model(new TensorShape(10), [Dense(), new BranchLayer(1), new AddLayer(1)], new ModelMetadata()));
        var last = Assert.Throws<ArgumentException>(() => new Model(new TensorShape(10), [Dense(), new BranchLayer(0)], new ModelMetadata()));

        Assert.Contains("Layer 1 (Branch): it leaves its input (activation 1) for an earlier activation, but no later Add, Concat or ChannelScale reads activation 1", dead.Message);
        Assert.Contains("Layer 1 (Branch): it continues from activation 1, but only activations 0 (the model's input) to 0 come before its own input", ahead.Message);
        Assert.Contains("no later Add, Concat or ChannelScale reads activation 1", last.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new BranchLayer(-1));
        Assert.Throws<InvalidOperationException>(() => new BranchLayer(0).GetOutputShape(new TensorShape(10)));
    }
}
