using System.Text.Json;
using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Export;
using EdgeLowRank.Runtime.IO;

namespace EdgeLowRank.Compressor.Cli.Display;

/// <summary>The JSON log of an <c>elr quantize</c> run: the files, their sizes and test errors, and every matrix quantized.</summary>
internal static class QuantizationLog
{
    /// <summary>The log (for <see cref="Commands.ModelWithLog"/>) of the run that writes <paramref name="output"/>, of SHA-256
    /// <paramref name="outputSha256"/>, from <paramref name="model"/>
    /// (<paramref name="modelSha256"/> its digest as the run read it); the errors are null when nothing was measured (--no-eval). "int8Error"
    /// is the written file's, whatever its <paramref name="activations"/>; "dynamicOps" is null unless they are dynamic.</summary>
    public static object Of(string model, string modelSha256, string output, string outputSha256, string? dataset, ActivationQuantization activations, DynamicOps dynamicOps,
        long floatBytes, long int8Bytes,
        (double Float, double Int8)? accuracy, IReadOnlyList<WeightQuantization.MatrixReport> matrices)
    {
        var log = new
        {
            producerVersion = ExportMetadata.InformationalVersion,
            model,
            modelSha256,
            output,
            outputSha256,
            scheme = WeightQuantization.Scheme,
            activations = activations.ToString().ToLowerInvariant(),
            dynamicOps = activations == ActivationQuantization.Dynamic ? DynamicOpsWords.Of(dynamicOps) : null,
            dataset,
            floatError = 1 - accuracy?.Float,
            int8Error = 1 - accuracy?.Int8,
            floatBytes,
            int8Bytes,
            matrices = matrices.Select(m => new
            {
                layer = m.Layer, matrix = m.Matrix, rows = m.Rows, columns = m.Columns, bytesBefore = m.BytesBefore, bytesAfter = m.BytesAfter,
                relativeError = m.RelativeError, dynamicInputs = m.DynamicInputs,
            }),
        };
        return log;
    }
}
