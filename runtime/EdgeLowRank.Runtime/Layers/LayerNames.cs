namespace EdgeLowRank.Runtime.Layers;

/// <summary>
/// The names users see for a model's layers: fc1, fc2, … for dense layers, conv1, … for convolutions, dw1, … for depthwise
/// convolutions, pool1, … for max and average pooling, add1, … for residual Adds, branch1, … for Branches, concat1, … for Concats,
/// slice1, … for channel slices, shuffle1, … for channel shuffles, scale1, … for channel scales (squeeze-and-excitation),
/// counted in order (an activation has no number: relu, fused or not, tanh, sigmoid, hardswish, hardsigmoid, silu, leakyrelu), a factorized layer under the name of the dense layer it
/// replaced. `elr inspect` and `elr-run info` show them, `elr compress --keep-dense` takes them and `elr-run bench --per-layer`
/// names its steps by them (<see cref="Execution.SessionStep.LayerName"/>), so every tool takes them from here: the runtime owns
/// them, as it owns the file format.
/// </summary>
internal static class LayerNames
{
    /// <summary>One name per layer of <paramref name="layers"/>, in order.</summary>
    public static string[] Of(IReadOnlyList<Layer> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        int dense = 0, conv = 0, depthwise = 0, pool = 0, add = 0, branch = 0, concat = 0, slice = 0, shuffle = 0, scale = 0;
        return layers.Select(layer => layer switch
        {
            DenseLayer or FactorizedDenseLayer => $"fc{++dense}",
            Conv2dLayer or FactorizedConv2dLayer => $"conv{++conv}",
            DepthwiseConv2dLayer => $"dw{++depthwise}",
            PoolLayer => $"pool{++pool}",
            AddLayer => $"add{++add}",
            BranchLayer => $"branch{++branch}",
            ConcatLayer => $"concat{++concat}",
            ChannelSliceLayer => $"slice{++slice}",
            ChannelShuffleLayer => $"shuffle{++shuffle}",
            ChannelScaleLayer => $"scale{++scale}",
            ReluLayer => "relu",
            TanhLayer => "tanh",
            SigmoidLayer => "sigmoid",
            FlattenLayer => "flatten",
            SoftmaxLayer => "softmax",
            _ => layer.Kind.ToString().ToLowerInvariant(),
        }).ToArray();
    }
}
