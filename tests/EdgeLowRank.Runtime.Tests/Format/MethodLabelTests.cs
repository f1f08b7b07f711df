using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Tests.Format;

/// <summary>What `elr inspect` and `elr-run info` print in their method column, and that a file keeps it.</summary>
public sealed class MethodLabelTests
{
    [Fact]
    public void Each_layer_is_labelled_by_where_its_weights_came_from()
    {
        using Model model = new(new TensorShape(4),
        [
            new DenseLayer(TestModels.Matrix(4, 3, 1), TestModels.Vector(3, 2), Activation.Relu),
            new FactorizedDenseLayer(TestModels.Matrix(3, 2, 3), TestModels.Matrix(2, 5, 4), ReadOnlyMemory<float>.Empty, Activation.None, FactorizationMethod.Svd),
            new FactorizedDenseLayer(TestModels.Matrix(5, 2, 5), TestModels.Matrix(2, 6, 6), ReadOnlyMemory<float>.Empty, Activation.None, FactorizationMethod.Cur),
            // Factors no decomposition produced: `elr train --ranks` trains them from a random start.
            new FactorizedDenseLayer(TestModels.Matrix(6, 2, 7), TestModels.Matrix(2, 3, 8), TestModels.Vector(3, 9), Activation.None, FactorizationMethod.None),
            new SoftmaxLayer(),
        ], new ModelMetadata());

        using Model read = ModelReader.Load(ModelWriter.ToArray(model));

        Assert.Equal(["dense", "svd", "cur", "trained", ""], read.Layers.Select(l => l.MethodLabel));
    }
}
