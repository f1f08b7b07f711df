using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.FixtureGenerator;

/// <summary>
/// The int8 version of a fixture network (format 1.3): every weight matrix quantized per column, symmetrically
/// (scale = max |w| / 127, q = w / scale rounded to even), written here rather than by the runtime's
/// <see cref="PackedMatrix.Quantize"/> so that the two can be compared. The twin's float weights are q × scale rounded to
/// f32, so the float64 reference pass sees exactly the weights the runtime widens; its matrices carry their int8 form in
/// <see cref="NetSpec.Int8"/>.
/// </summary>
internal static class Int8Twin
{
    public static NetSpec Of(NetSpec net, string name)
    {
        var int8 = new Dictionary<float[], (sbyte[] Quantized, float[] Scales)>(ReferenceEqualityComparer.Instance);
        float[] Twin(float[] weights, int rows, int columns)
        {
            (sbyte[] q, float[] scales) = Quantize(weights, rows, columns);
            var values = new float[weights.Length];
            for (int i = 0; i < values.Length; i++) values[i] = q[i] * scales[i % columns];
            int8.Add(values, (q, scales));
            return values;
        }
        LayerSpec[] layers = net.Layers.Select(layer => layer switch
        {
            DenseSpec d => d with { Weights = Twin(d.Weights, d.Inputs, d.Outputs) },
            FactorizedSpec f => f with { First = Twin(f.First, f.Inputs, f.Rank), Second = Twin(f.Second, f.Rank, f.Outputs) },
            ConvSpec c => c with { Weights = Twin(c.Weights, c.Kernel * c.Kernel * c.InputChannels, c.OutputChannels) },
            FactorizedConvSpec f => f with
            {
                First = Twin(f.First, f.Kernel * f.Kernel * f.InputChannels, f.Rank),
                Second = Twin(f.Second, f.Rank, f.OutputChannels),
            },
            _ => layer,
        }).ToArray();
        var properties = new Dictionary<string, string>(net.Metadata.Properties) { ["weights"] = net.Metadata.Properties["weights"] + "; int8, one scale per column" };
        return net with { Name = name, Layers = layers, Metadata = net.Metadata with { Properties = properties }, Int8 = int8 };
    }

    /// <summary>An int8 twin (<see cref="Of"/>) whose Dense and FactorizedDense layers (format 1.10) and convolutions (format
    /// 1.11) quantize their inputs as they run: the same weights, the integer product.</summary>
    public static NetSpec Dynamic(NetSpec twin, string name)
    {
        LayerSpec[] layers = twin.Layers.Select(layer => layer switch
        {
            DenseSpec d => d with { DynamicInputs = true },
            FactorizedSpec f => f with { DynamicInputs = true },
            ConvSpec c => c with { DynamicInputs = true },
            FactorizedConvSpec f => f with { DynamicInputs = true },
            _ => layer,
        }).ToArray();
        var properties = new Dictionary<string, string>(twin.Metadata.Properties) { ["weights"] = twin.Metadata.Properties["weights"] + "; inputs quantized per sample to uint8" };
        return twin with { Name = name, Layers = layers, Metadata = twin.Metadata with { Properties = properties } };
    }

    private static (sbyte[] Quantized, float[] Scales) Quantize(float[] weights, int rows, int columns)
    {
        var scales = new float[columns];
        for (int n = 0; n < columns; n++)
        {
            float largest = 0;
            for (int k = 0; k < rows; k++) largest = Math.Max(largest, Math.Abs(weights[k * columns + n]));
            scales[n] = float.IsNormal(largest / 127) ? largest / 127 : 0; // as the format says: a subnormal scale is 0
        }
        var q = new sbyte[weights.Length];
        for (int i = 0; i < q.Length; i++)
        {
            float scale = scales[i % columns];
            q[i] = scale == 0 ? (sbyte)0 : (sbyte)Math.Clamp(Math.Round(weights[i] / scale, MidpointRounding.ToEven), -127, 127);
        }
        return (q, scales);
    }
}
