using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Execution;

/// <summary>A public description of one step of a session's plan, for per-layer reports.</summary>
/// <param name="Name">A short label such as "FactorizedDense+Relu 784→300 (r=30)", or "FactorizedDense+Relu 784→300 uint8×int8
/// (r=30)" for a layer that quantizes its inputs and multiplies in integers.</param>
/// <param name="LayerName">The layers it runs, by the names <see cref="LayerNames"/> gives them (those `elr inspect` shows and
/// `elr compress --keep-dense` takes): "fc1", or "conv2+relu" for a layer and the activation layer the session fused into it,
/// joined by "+" as their kinds are in <paramref name="Name"/>. A layer with its own activation has one name ("fc1" for
/// "Dense+Relu"), as it has one row in `elr inspect`. A Branch is no step, so its name never appears.</param>
/// <param name="FirstLayer">The index of the first layer it runs, as `elr-run info` numbers them.</param>
/// <param name="LayerCount">The layers it runs: 2 when an activation layer is fused into the first, else 1.</param>
public sealed record SessionStep(string Name, string LayerName, int FirstLayer, int LayerCount)
{
    /// <summary>The description of <paramref name="step"/> of <paramref name="model"/>'s plan, <paramref name="names"/> being
    /// <see cref="LayerNames.Of"/> of its layers (found once for all the steps).</summary>
    internal static SessionStep Of(Model model, IReadOnlyList<string> names, PlanStep step) =>
        new(Describe(model, step), string.Join('+', names.Skip(step.FirstLayer).Take(step.LayerCount)), step.FirstLayer, step.LayerCount);

    private static string Describe(Model model, PlanStep step)
    {
        Layer layer = model.Layers[step.FirstLayer];
        // A fused activation layer (ReLU or ReLU6) is named after its layer; a layer's own is ReLU.
        string name = step.LayerCount == 2 ? $"{layer.Kind}+{model.Layers[step.FirstLayer + 1].Kind}"
            : layer.Activation == Activation.Relu ? $"{layer.Kind}+Relu" : layer.Kind.ToString();
        string shapes = $"{model.InputShapeOf(step.FirstLayer)}→{model.OutputShapeOf(step.FirstLayer + step.LayerCount - 1)}";
        // A layer that multiplies in integers says so, so that a per-layer report tells its time from a weight-only one's.
        if (layer.InputQuantization == InputQuantization.Dynamic) shapes += " uint8×int8";
        return layer switch
        {
            FactorizedDenseLayer or FactorizedConv2dLayer => $"{name} {shapes} (r={layer.Rank})",
            ConcatLayer concat => $"{name} {shapes} {(concat.InputFirst ? "→" : "←")} {concat.Source}", // as its Label reads in elr-run info
            _ when Model.JoinedSource(layer) is int source => $"{name} {shapes} ← {source}", // an Add's or a ChannelScale's, as its Label reads
            _ => $"{name} {shapes}",
        };
    }
}
