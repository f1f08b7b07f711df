using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.Layers;
using EdgeLowRank.Runtime.Tests.Format;

namespace EdgeLowRank.Runtime.Tests.Layers;

/// <summary><see cref="LayerNames"/>, the names every tool shows for a model's layers (`elr inspect`, `elr-run info` and
/// `bench --per-layer`) and `elr compress --keep-dense` takes: each kind counted on its own, in order.</summary>
public class LayerNamesTests
{
    [Fact]
    public void Each_kind_is_numbered_on_its_own_and_activations_are_not_numbered()
    {
        using Model model = ModelReader.Load(Fixtures.Model("squeeze-excite"));

        Assert.Equal(["conv1", "hardswish", "conv2", "hardswish", "dw1", "hardswish", "pool1", "conv3", "conv4", "hardsigmoid",
            "scale1", "conv5", "add1", "conv6", "silu", "dw2", "silu", "pool2", "conv7", "silu", "conv8", "sigmoid", "scale2",
            "conv9", "pool3", "flatten", "fc1", "hardswish", "fc2"], LayerNames.Of(model.Layers));
    }

    [Fact]
    public void Branches_slices_concats_and_shuffles_have_numbers_of_their_own()
    {
        using Model model = ModelReader.Load(Fixtures.Model("shuffle-units"));

        Assert.Equal(["conv1", "dw1", "conv2", "branch1", "conv3", "dw2", "conv4", "concat1", "shuffle1", "slice1", "conv5", "dw3",
            "conv6", "branch2", "slice2", "concat2", "shuffle2", "conv7", "pool1", "flatten", "fc1"], LayerNames.Of(model.Layers));
    }

    [Fact]
    public void A_factorized_layer_keeps_the_name_of_the_dense_layer_it_replaced()
    {
        using Model model = ModelReader.Load(Fixtures.Model("lenet300-factorized"));

        Assert.Equal(["fc1", "fc2", "fc3", "softmax"], LayerNames.Of(model.Layers));
    }
}
