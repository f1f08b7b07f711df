using System.Globalization;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Export;

/// <summary>
/// Post-training weight quantization, as <c>elr quantize</c> applies it: every weight matrix of the chosen layers becomes int8
/// with one scale per column (<see cref="PackedMatrix.Quantize"/>); biases, activations and a depthwise convolution's filters
/// (no matrix: <see cref="FloatOnlyLayers"/>) stay f32. Like TensorFlow Lite's
/// dynamic-range quantization for weights, it needs no data; unlike it, the arithmetic stays f32 (the runtime widens each
/// panel), so the gain is size, not speed, unless <see cref="ActivationQuantization.Dynamic"/> makes the matrix layers multiply
/// in integers as TensorFlow Lite's hybrid kernels do.
/// </summary>
public static class WeightQuantization
{
    /// <summary>The start of every property <c>elr quantize</c> records.</summary>
    public const string PropertyPrefix = "quantize.";

    /// <summary>The property a quantized model records, naming the scheme.</summary>
    public const string Property = PropertyPrefix + "weights";

    /// <summary>What <see cref="Property"/> holds.</summary>
    public const string Scheme = "int8, symmetric, one scale per output column";

    /// <summary>The property that keeps the producer and version of the model quantized (an imported file's "pytorch 1.13.0"),
    /// since the quantized model records elr as its own (<see cref="ExportMetadata.Producer"/>), as elr compress and train do.</summary>
    public const string SourceProducerProperty = PropertyPrefix + "source-producer";

    /// <summary>One quantized matrix: where it is and how far its int8 values are from the f32 ones.</summary>
    /// <param name="Layer">The layer's name, as <c>elr inspect</c> lists it.</param>
    /// <param name="Matrix">"W", or "A" and "B" for a factorized layer's first and second factor.</param>
    /// <param name="Rows">K.</param>
    /// <param name="Columns">N.</param>
    /// <param name="BytesBefore">The matrix's bytes as f32.</param>
    /// <param name="BytesAfter">Its bytes as int8, scales included.</param>
    /// <param name="RelativeError">‖W − Ŵ‖_F / ‖W‖_F (0 for a zero matrix).</param>
    /// <param name="DynamicInputs">Whether the matrix's layer quantizes its inputs as it runs (<see cref="ActivationQuantization.Dynamic"/>).</param>
    public sealed record MatrixReport(string Layer, string Matrix, int Rows, int Columns, long BytesBefore, long BytesAfter, double RelativeError,
        bool DynamicInputs = false);

    /// <summary>Quantizes every weight matrix of <paramref name="model"/> except those of the layers named in
    /// <paramref name="keepFloat"/>, and records elr as the producer, the input's in <see cref="SourceProducerProperty"/>, and
    /// the scheme and the kept layers in the metadata; with
    /// <see cref="ActivationQuantization.Dynamic"/>, every Dense, FactorizedDense, Conv2d and FactorizedConv2d layer of a kind in
    /// <paramref name="dynamicOps"/> left with int8 matrices also quantizes its inputs as it runs (<see cref="DynamicInputQuantization"/>);
    /// <paramref name="dynamicOps"/> means nothing with <see cref="ActivationQuantization.Float"/>.</summary>
    /// <exception cref="ArgumentException">A name in <paramref name="keepFloat"/> is not a layer with weights, no matrix is left
    /// to quantize, <paramref name="activations"/> is dynamic but no layer can quantize its inputs (the message says why for each),
    /// or a matrix holds a NaN or infinity.</exception>
    public static (Model Quantized, IReadOnlyList<MatrixReport> Report) Apply(Model model, IReadOnlyCollection<string> keepFloat,
        ActivationQuantization activations = ActivationQuantization.Float, DynamicOps dynamicOps = DynamicOps.All)
    {
        ArgumentNullException.ThrowIfNull(model);
        string[] names = LayerNames.Of(model.Layers);
        var weighted = Enumerable.Range(0, names.Length).Where(i => model.Layers[i].WeightMatrices.Count > 0).ToArray();
        string[] unknown = keepFloat.Where(name => !weighted.Any(i => names[i] == name)).ToArray();
        if (unknown.Length > 0)
        {
            string[] floatOnly = FloatOnlyLayers(model);
            string[] named = unknown.Intersect(floatOnly).ToArray(), others = unknown.Except(floatOnly).ToArray();
            string alsoUnknown = others.Length == 0 ? "" : $", and {string.Join(", ", others)}, which {(others.Length == 1 ? "is not a layer" : "are not layers")} with weights";
            if (named.Length > 0)
                throw new ArgumentException($"--keep-float names {string.Join(", ", named)}, {(named.Length == 1 ? "a depthwise convolution, whose filters are" : "depthwise convolutions, whose filters are")} "
                    + $"no matrix and always stay f32{alsoUnknown}; drop {(named.Length + others.Length == 1 ? "it" : "them")} from --keep-float (the layers with weight matrices are {string.Join(", ", weighted.Select(i => names[i]))}).");
            throw new ArgumentException($"--keep-float names {string.Join(", ", unknown)}, which {(unknown.Length == 1 ? "is not a layer" : "are not layers")} with weights; "
                + $"this model's are {string.Join(", ", weighted.Select(i => names[i]))}.");
        }
        if (!weighted.Any(i => !keepFloat.Contains(names[i]) && model.Layers[i].WeightMatrices.Any(m => m.ElementType == ElementType.Float32)))
            throw new ArgumentException("There is nothing to quantize: every weight matrix is already int8 or kept f32 by --keep-float.");
        int[] dynamic = activations switch
        {
            ActivationQuantization.Float => [],
            ActivationQuantization.Dynamic => DynamicInputQuantization.Eligible(model, keepFloat, dynamicOps, out var reasons) is { Length: > 0 } eligible
                ? eligible
                : throw new ArgumentException("--activations dynamic applies to Dense, FactorizedDense, Conv2d and FactorizedConv2d layers with int8 weights, and this model has none: "
                    + $"{string.Join("; ", reasons)}. {Remedies(keepFloat.Count > 0, dynamicOps != DynamicOps.All)}."),
            _ => throw new ArgumentOutOfRangeException(nameof(activations), activations, "Expected Float or Dynamic."),
        };

        var report = new List<MatrixReport>();
        PackedMatrix Quantize(int layer, PackedMatrix matrix)
        {
            if (keepFloat.Contains(names[layer]) || matrix.ElementType != ElementType.Float32) return matrix;
            IReadOnlyList<PackedMatrix> matrices = model.Layers[layer].WeightMatrices;
            string role = matrices.Count == 1 ? "W" : ReferenceEquals(matrix, matrices[0]) ? "A" : "B";
            PackedMatrix int8;
            try
            {
                int8 = matrix.Quantize();
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"Layer {names[layer]}, matrix {role}: {e.Message} The model's training diverged or the file was altered.", e);
            }
            report.Add(new MatrixReport(names[layer], role, matrix.Rows, matrix.Columns, matrix.ParameterBytes, int8.ParameterBytes, RelativeError(matrix, int8),
                dynamic.Contains(layer)));
            return int8;
        }
        var properties = new Dictionary<string, string>(model.Metadata.Properties) { [Property] = Scheme };
        if (keepFloat.Count > 0) properties[PropertyPrefix + "kept-float"] = string.Join(',', keepFloat);
        if (model.Metadata.Producer.Length > 0)
            properties[SourceProducerProperty] = $"{model.Metadata.Producer} {model.Metadata.ProducerVersion}".TrimEnd();
        Model quantized = ModelWeights.MapMatrices(model, Quantize, model.Metadata with
        {
            Producer = ExportMetadata.Producer,
            ProducerVersion = ExportMetadata.InformationalVersion,
            Properties = properties,
        });
        return (dynamic.Length == 0 ? quantized : DynamicInputQuantization.Mark(quantized, dynamic, dynamicOps), report);
    }

    /// <summary>The names of the layers whose weights are no matrix, which quantization leaves f32: a depthwise convolution's
    /// (k·k) × c filters, which the runtime's <see cref="DepthwiseConv2dLayer"/> holds as f32 only (and which are few: 576
    /// floats in mobilenet-mini's largest).</summary>
    public static string[] FloatOnlyLayers(Model model)
    {
        ArgumentNullException.ThrowIfNull(model);
        string[] names = LayerNames.Of(model.Layers);
        return Enumerable.Range(0, names.Length).Where(i => model.Layers[i] is DepthwiseConv2dLayer).Select(i => names[i]).ToArray();
    }

    /// <summary>Records the test accuracy of the quantized model (<see cref="ModelMetadata.Accuracy"/>) and of the f32 model it
    /// came from ("quantize.float-accuracy"); <see cref="ModelMetadata.ReferenceAccuracy"/> stays the reference network's.</summary>
    public static ModelMetadata WithAccuracy(ModelMetadata metadata, double floatAccuracy, double accuracy) => metadata with
    {
        Accuracy = accuracy,
        Properties = new Dictionary<string, string>(metadata.Properties)
        {
            [PropertyPrefix + "float-accuracy"] = floatAccuracy.ToString("F4", CultureInfo.InvariantCulture),
        },
    };

    /// <summary>What a user refused for want of a dynamic layer can do instead: "A", "A, or B", "A, B, or C", offering only what
    /// would help (keeping fewer layers f32 if some are kept, naming both kinds in --dynamic-ops if one is left out).</summary>
    private static string Remedies(bool keptFloat, bool opsNarrowed)
    {
        string[] remedies =
        [
            "Quantize the weights only (--activations float)",
            .. keptFloat ? ["keep fewer layers f32"] : Array.Empty<string>(),
            .. opsNarrowed ? ["give --dynamic-ops dense,conv"] : Array.Empty<string>(),
        ];
        return remedies.Length == 1 ? remedies[0] : $"{string.Join(", ", remedies[..^1])}, or {remedies[^1]}";
    }

    private static double RelativeError(PackedMatrix f32, PackedMatrix int8)
    {
        double difference = 0, norm = 0;
        for (int k = 0; k < f32.Rows; k++)
            for (int n = 0; n < f32.Columns; n++)
            {
                double w = f32[k, n], e = w - int8[k, n];
                difference += e * e;
                norm += w * w;
            }
        return norm == 0 ? 0 : Math.Sqrt(difference / norm);
    }
}
