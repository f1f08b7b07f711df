using EdgeLowRank.Onnx;
using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Fuzz;

/// <summary>
/// <c>elr import-onnx</c>'s reading of an ONNX file. The importer documents <see cref="OnnxImportException"/> for any
/// file it cannot take; elr also reports <see cref="ModelFormatException"/> as the user's error. Anything else reaches
/// elr's "internal error" path, so it is a crash here. A model the import takes is then used as elr and elr-run use it:
/// written as an .elr file, read back and run, none of which may fail.
/// </summary>
internal static class OnnxTarget
{
    public static void Run(byte[] bytes)
    {
        Model model;
        try
        {
            model = OnnxImporter.Import(bytes, null);
        }
        catch (Exception e) when (e is OnnxImportException or ModelFormatException)
        {
            return;
        }
        using (model)
        {
            using var session = InferenceSession.Load(ModelWriter.ToArray(model), new SessionOptions { MaxBatchSize = 1 });
            float[] input = new float[session.InputLength];
            for (int i = 0; i < input.Length; i++) input[i] = (i % 7 - 3) / 3f; // not zeros, so that weights and signs matter
            session.Run(input, new float[session.OutputLength]);
        }
    }
}
