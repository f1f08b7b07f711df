using System.Text.Json;
using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Export;
using EdgeLowRank.Runtime.IO;

namespace EdgeLowRank.Compressor.Cli.Display;

/// <summary>The JSON log of an <c>elr quantize</c> run: the files, their sizes and test errors, and every matrix quantized.</summary>
internal static class QuantizationLog
{
    /// <summary>Writes the log to <paramref name="path"/>, after <paramref name="output"/> was written from <paramref name="model"/>
    /// (<paramref name="modelSha256"/> its digest as the run read it); the errors are null when nothing was measured (--no-eval). "int8Error"
    /// is the written file's, whatever its <paramref name="activations"/>; "dynamicOps" is null unless they are dynamic.</summary>
    public static void Write(string path, string model, string modelSha256, string output, string? dataset, ActivationQuantization activations, DynamicOps dynamicOps,
        long floatBytes, long int8Bytes,
        (double Float, double Int8)? accuracy, IReadOnlyList<WeightQuantization.MatrixReport> matrices)
    {
        var log = new
        {
            producerVersion = ExportMetadata.InformationalVersion,
            model,
            modelSha256,
            output,
            outputSha256 = FileSha256.Of(output),
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
        AtomicFile.Write(path, JsonSerializer.SerializeToUtf8Bytes(log, LogJson.Options));
    }
}
