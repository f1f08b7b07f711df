using System.Globalization;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Onnx;

/// <summary>
/// The normalization a network was trained with outside its graph, (x − mean) / std per channel, as PyTorch's
/// transforms.Normalize((0.1307,), (0.3081,)) applies it to MNIST: the import folds it into the first matrix layer, so the
/// model takes the data set's pixels in [0, 1] as elr gives them.
/// </summary>
/// <param name="Mean">One mean per channel (per feature for a vector input), or one for all.</param>
/// <param name="Std">One standard deviation per channel, or one for all; each above 0.</param>
public sealed record InputNormalization(IReadOnlyList<float> Mean, IReadOnlyList<float> Std)
{
    /// <summary>"(x - 0.1307) / 0.3081", the lists comma-separated.</summary>
    public override string ToString() =>
        $"(x - {string.Join(",", Mean.Select(m => m.ToString(CultureInfo.InvariantCulture)))}) / {string.Join(",", Std.Select(s => s.ToString(CultureInfo.InvariantCulture)))}";

    /// <summary>The normalization of the options <c>--input-mean</c> and <c>--input-std</c> (numbers separated by commas), or
    /// null when neither is given.</summary>
    /// <exception cref="InputNormalizationException">One is missing, or one is not a list of numbers.</exception>
    public static InputNormalization? Parse(string? mean, string? std)
    {
        if (mean is null && std is null) return null;
        if (mean is null || std is null)
            throw new InputNormalizationException($"--input-mean and --input-std go together (the normalization (x - mean) / std); {(mean is null ? "--input-mean" : "--input-std")} is missing.");
        static float[] Numbers(string text, string option) => text.Split(',').Select(part =>
            float.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out float v)
                ? v
                : throw new InputNormalizationException($"{option} takes numbers separated by commas (such as 0.1307, or 0.485,0.456,0.406), not '{text}'.")).ToArray();
        return new InputNormalization(Numbers(mean, "--input-mean"), Numbers(std, "--input-std"));
    }

    /// <summary>Normalizes samples in ONNX's layout (channels first, <paramref name="shape"/> being one sample's channels-last
    /// shape) in place, as the network took them in training: what an ONNX engine running the original graph is given.</summary>
    public void ApplyChannelsFirst(Span<float> samples, TensorShape shape)
    {
        int size = shape.ElementCount, plane = ChannelsFirst.IsImage(shape) ? shape[0] * shape[1] : 1;
        for (int i = 0; i < samples.Length; i++)
        {
            int c = i % size / plane;
            samples[i] = (samples[i] - Mean[Mean.Count == 1 ? 0 : c]) / Std[Std.Count == 1 ? 0 : c];
        }
    }

    /// <summary>Refuses counts that fit neither one value nor <paramref name="channels"/> (an image's channels, a vector's
    /// features), and a std that is not a positive number.</summary>
    /// <exception cref="InputNormalizationException">The values do not fit the input.</exception>
    public void Require(int channels, bool image)
    {
        string unit = image ? (channels == 1 ? "channel" : "channels") : (channels == 1 ? "feature" : "features");
        foreach (var (values, name) in new[] { (Mean, "means"), (Std, "standard deviations") })
            if (values.Count != 1 && values.Count != channels)
                throw new InputNormalizationException($"the normalization gives {values.Count} {name} for an input of {channels} {unit}; give one, or one per {unit.TrimEnd('s')}.");
        if (Mean.Any(m => !float.IsFinite(m)) || Std.Any(s => !(s > 0) || !float.IsFinite(s)))
            throw new InputNormalizationException($"the normalization's means must be numbers and its standard deviations positive numbers (mean {string.Join(",", Mean)}, std {string.Join(",", Std)}).");
    }
}
