using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Tests.Execution;

/// <summary>Add layers in a session: the memory plan keeps every activation an Add reads until that Add has run, and the
/// results match the float64 pass over the same layers.</summary>
public class ResidualSessionTests
{
    private const int Width = 24;

    /// <summary>Dense 24→24 (ReLU), then <paramref name="blocks"/> basic blocks [Dense + ReLU, Dense, Add of the block's input,
    /// ReLU layer], then Dense 24→5: each block's input is the previous block's Add output.</summary>
    private static Model ResidualMlp(int blocks, int seed = 17)
    {
        var random = new Random(seed);
        var layers = new List<Layer> { new DenseLayer(TestModels.RandomMatrix(random, Width, Width), TestModels.RandomFloats(random, Width, 0.1f), Activation.Relu) };
        for (int b = 0; b < blocks; b++)
        {
            int blockInput = layers.Count;
            layers.Add(new DenseLayer(TestModels.RandomMatrix(random, Width, Width), TestModels.RandomFloats(random, Width, 0.1f), Activation.Relu));
            layers.Add(new DenseLayer(TestModels.RandomMatrix(random, Width, Width), TestModels.RandomFloats(random, Width, 0.1f)));
            layers.Add(new AddLayer(blockInput));
            layers.Add(new ReluLayer());
        }
        layers.Add(new DenseLayer(TestModels.RandomMatrix(random, Width, 5), TestModels.RandomFloats(random, 5, 0.1f)));
        return new Model(new TensorShape(Width), layers, new ModelMetadata());
    }

    [Theory]
    [InlineData(1, 1)]  // the block's input only: the Add's output is read by no other Add
    [InlineData(3, 2)]  // the block's input, and the Add's output that is the next block's input
    [InlineData(10, 2)] // buffers are handed back: a longer chain needs no more
    public void Chained_blocks_need_two_held_buffers_however_many_there_are(int blocks, int held)
    {
        using Model model = ResidualMlp(blocks);
        MemoryPlan plan = MemoryPlan.Build(model, 4);

        Assert.Equal(2 + held, plan.BufferCount);
        Assert.Equal(((2L * plan.ActivationFloats) + held * plan.HeldFloats + plan.ScratchFloats) * sizeof(float), plan.ArenaBytes);
        Assert.All(plan.Steps.Where(s => s.Operand is not null), s => Assert.IsType<AddExecutor>(s.Executor));
    }

    [Fact]
    public void Held_buffers_are_as_large_as_the_largest_activation_an_add_reads_not_the_largest_of_all()
    {
        // Like a ResNet: a wide first layer, then a block at a quarter of its width.
        var random = new Random(10);
        using var model = new Model(new TensorShape(Width),
        [
            new DenseLayer(TestModels.RandomMatrix(random, Width, 4 * Width), TestModels.RandomFloats(random, 4 * Width), Activation.Relu),
            new DenseLayer(TestModels.RandomMatrix(random, 4 * Width, Width), TestModels.RandomFloats(random, Width), Activation.Relu),
            new DenseLayer(TestModels.RandomMatrix(random, Width, Width), TestModels.RandomFloats(random, Width)),
            new AddLayer(2),
            new DenseLayer(TestModels.RandomMatrix(random, Width, 3), TestModels.RandomFloats(random, 3)),
        ], new ModelMetadata());
        MemoryPlan plan = MemoryPlan.Build(model, 5);

        Assert.Equal((3, 4 * Width * 5, 128), (plan.BufferCount, plan.ActivationFloats, plan.HeldFloats)); // 24 · 5 floats, rounded up to 16
        Assert.Equal(2L * plan.ActivationFloats + plan.HeldFloats, plan.ScratchOffset);
        using var session = new InferenceSession(model, new SessionOptions { MaxBatchSize = 5 });
        ReferenceAssert.Matches(model, session, batch: 5, seed: 11);
    }

    [Theory]
    [MemberData(nameof(InferenceSessionTests.Paths), MemberType = typeof(InferenceSessionTests))]
    public void Matches_the_float64_reference_for_every_sample_of_a_split_batch(KernelPath path)
    {
        using Model model = ResidualMlp(3);
        using var session = new InferenceSession(model, new SessionOptions { MaxBatchSize = 8, KernelPath = path });
        ReferenceAssert.Matches(model, session, batch: 19, seed: 4); // passes of 8, 8 and 3 reuse the held buffers
    }

    [Fact]
    public void Two_threads_compute_what_one_computes()
    {
        using Model model = ResidualMlp(3);
        ReferenceAssert.TwoThreadsComputeWhatOneComputes(model);
    }

    [Fact]
    public void The_add_fuses_the_relu_after_it_and_names_what_it_adds()
    {
        using Model model = ResidualMlp(1);
        using var session = new InferenceSession(model);

        Assert.Equal(["Dense+Relu 24→24", "Dense+Relu 24→24", "Dense 24→24", "Add+Relu 24→24 ← 1", "Dense 24→5"],
            session.Steps.Select(s => s.Name));
    }

    [Fact]
    public void An_add_of_the_input_reads_the_callers_span_and_leaves_it_unchanged()
    {
        var random = new Random(5);
        using var model = new Model(new TensorShape(Width),
            [new DenseLayer(TestModels.RandomMatrix(random, Width, Width), TestModels.RandomFloats(random, Width)), new AddLayer(0, Activation.Relu)],
            new ModelMetadata());
        using var session = new InferenceSession(model);
        float[] input = TestModels.RandomFloats(random, 3 * Width);
        float[] original = (float[])input.Clone();

        ReferenceAssert.Matches(model, session, input);
        Assert.Equal(original, input);
        Assert.Equal(2, MemoryPlan.Build(model, 1).BufferCount); // the input needs no held buffer
    }

    [Fact]
    public void A_relu_is_not_fused_into_a_layer_whose_output_an_add_reads()
    {
        var random = new Random(6);
        using var model = new Model(new TensorShape(Width),
        [
            new DenseLayer(TestModels.RandomMatrix(random, Width, Width), TestModels.RandomFloats(random, Width)),
            new ReluLayer(),
            new DenseLayer(TestModels.RandomMatrix(random, Width, Width), TestModels.RandomFloats(random, Width)),
            new AddLayer(1), // the first Dense's output before the ReLU
        ], new ModelMetadata());
        using var session = new InferenceSession(model);

        Assert.Equal(["Dense 24→24", "Relu 24→24", "Dense 24→24", "Add 24→24 ← 1"], session.Steps.Select(s => s.Name));
        // Unfused, the activation is a step of its own, and names it.
        Assert.Equal(["fc1", "relu", "fc2", "add1"], session.Steps.Select(s => s.LayerName));
        ReferenceAssert.Matches(model, session, batch: 5, seed: 7);
    }

    [Fact]
    public void A_flatten_whose_output_an_add_reads_is_copied_not_elided()
    {
        var random = new Random(7);
        using var model = new Model(new TensorShape(3, 3, 2),
        [
            new FlattenLayer(),
            new DenseLayer(TestModels.RandomMatrix(random, 18, 18), TestModels.RandomFloats(random, 18), Activation.Relu),
            new AddLayer(1),
            new DenseLayer(TestModels.RandomMatrix(random, 18, 4), TestModels.RandomFloats(random, 4)),
        ], new ModelMetadata());
        using var session = new InferenceSession(model);

        Assert.Equal(["Flatten 3×3×2→18", "Dense+Relu 18→18", "Add 18→18 ← 1", "Dense 18→4"], session.Steps.Select(s => s.Name));
        ReferenceAssert.Matches(model, session, batch: 6, seed: 9);
    }

    [Fact]
    public void A_model_refuses_an_add_of_a_later_activation_or_of_another_shape()
    {
        var random = new Random(8);
        Layer dense = new DenseLayer(TestModels.RandomMatrix(random, Width, 12), TestModels.RandomFloats(random, 12));

        var own = Assert.Throws<ArgumentException>(() => new Model(new TensorShape(Width), [dense, new AddLayer(1)], new ModelMetadata()));
        var shape = Assert.Throws<ArgumentException>(() => new Model(new TensorShape(Width), [dense, new AddLayer(0)], new ModelMetadata()));

        Assert.Contains("Layer 1 (Add): it adds activation 1, but only activations 0 (the input) to 0 come before its own input", own.Message);
        Assert.Contains("Layer 1 (Add): it adds activation 0 (the model's input, 24) to its input (12); the two must have the same shape", shape.Message);
        var first = Assert.Throws<ArgumentException>(() => new Model(new TensorShape(Width), [new AddLayer(0), dense], new ModelMetadata()));
        Assert.Contains("Layer 0 (Add): an Add adds an earlier activation to its input, and nothing comes before the first layer's input", first.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new AddLayer(-1));
    }
}
