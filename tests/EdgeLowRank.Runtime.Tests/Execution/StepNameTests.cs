using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.Layers;
using EdgeLowRank.Runtime.Tests.Format;

namespace EdgeLowRank.Runtime.Tests.Execution;

/// <summary><see cref="SessionStep.LayerName"/>: each step of a plan named by the layers it runs, as <see cref="LayerNames"/>
/// names them, so that a user who compressed conv2 finds it in `elr-run bench --per-layer`: a fused activation layer joined
/// with "+", a Branch (no step) leaving no gap in the numbering of the layers after it.</summary>
public class StepNameTests
{
    private const int Width = 12;

    [Fact]
    public void A_fused_activation_layer_joins_the_name_of_the_layer_it_is_fused_into()
    {
        var random = new Random(3);
        using var model = new Model(new TensorShape(Width),
        [
            new DenseLayer(TestModels.RandomMatrix(random, Width, Width), TestModels.RandomFloats(random, Width)),
            new ReluLayer(),                                                                         // fused: fc1+relu
            new DenseLayer(TestModels.RandomMatrix(random, Width, Width), TestModels.RandomFloats(random, Width), Activation.Relu), // its own: fc2
            new AddLayer(2),
            new ReluLayer(),                                                                         // fused into the Add: add1+relu
            new DenseLayer(TestModels.RandomMatrix(random, Width, 4), TestModels.RandomFloats(random, 4)),
            new SoftmaxLayer(),
        ], new ModelMetadata());
        using var session = new InferenceSession(model);

        Assert.Equal(["fc1+relu", "fc2", "add1+relu", "fc3", "softmax"], session.Steps.Select(s => s.LayerName));
        Assert.Equal(["Dense+Relu 12→12", "Dense+Relu 12→12", "Add+Relu 12→12 ← 2", "Dense 12→4", "Softmax 4→4"], session.Steps.Select(s => s.Name));
        Assert.Equal([(0, 2), (2, 1), (3, 2), (5, 1), (6, 1)], session.Steps.Select(s => (s.FirstLayer, s.LayerCount)));
    }

    [Fact]
    public void Steps_after_a_branch_keep_their_layers_names_and_indices()
    {
        var random = new Random(21);
        using var model = new Model(new TensorShape(Width),
        [
            new DenseLayer(TestModels.RandomMatrix(random, Width, Width), TestModels.RandomFloats(random, Width), Activation.Relu),
            new DenseLayer(TestModels.RandomMatrix(random, Width, Width), TestModels.RandomFloats(random, Width)),
            new BranchLayer(1),  // a projection shortcut from fc1's output
            new DenseLayer(TestModels.RandomMatrix(random, Width, Width), TestModels.RandomFloats(random, Width)),
            new AddLayer(2),     // fc2's output
            new ReluLayer(),
            new DenseLayer(TestModels.RandomMatrix(random, Width, 3), TestModels.RandomFloats(random, 3)),
        ], new ModelMetadata());
        using var session = new InferenceSession(model);

        Assert.Equal(["fc1", "fc2", "fc3", "add1+relu", "fc4"], session.Steps.Select(s => s.LayerName));
        Assert.Equal([0, 1, 3, 4, 6], session.Steps.Select(s => s.FirstLayer));
    }

    [Fact]
    public void The_fire_modules_steps_are_named_through_their_branches_and_concats()
    {
        using var session = InferenceSession.Load(Fixtures.Model("fire-modules"));

        // Layers 4 and 10 are Branches, no steps; conv6 is a factorized convolution whose separate ReLU layer the session fuses.
        Assert.Equal([(0, "conv1"), (1, "pool1"), (2, "conv2"), (3, "conv3"), (5, "conv4"), (6, "concat1"), (7, "conv5"),
            (8, "conv6+relu"), (11, "conv7"), (12, "concat2"), (13, "concat3"), (14, "conv8"), (15, "pool2"), (16, "flatten")],
            session.Steps.Select(s => (s.FirstLayer, s.LayerName)));
        Assert.Equal("FactorizedConv2d+Relu 13×13×4→13×13×8 (r=3)", session.Steps[7].Name);
    }

    [Fact]
    public void The_inverted_residuals_name_each_relu6_with_its_layer_and_each_add()
    {
        using var session = InferenceSession.Load(Fixtures.Model("inverted-residuals"));

        Assert.Equal(["conv1+relu6", "conv2+relu6", "dw1+relu6", "conv3", "add1", "conv4+relu6", "dw2+relu6", "conv5", "add2",
            "pool1", "fc1"], session.Steps.Select(s => s.LayerName));
    }
}
