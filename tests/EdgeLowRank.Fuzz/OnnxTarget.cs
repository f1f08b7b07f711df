using EdgeLowRank.Onnx;
using EdgeLowRank.Runtime.Format;

namespace EdgeLowRank.Fuzz;

/// <summary>
/// <c>elr import-onnx</c>'s reading of an ONNX file. The importer documents <see cref="OnnxImportException"/> for any
/// file it cannot take; elr also reports <see cref="ModelFormatException"/> as the user's error. Anything else reaches
/// elr's "internal error" path, so it is a crash here.
/// </summary>
internal static class OnnxTarget
{
    public static void Run(byte[] bytes)
    {
        try
        {
            OnnxImporter.Import(bytes, null).Dispose();
        }
        catch (Exception e) when (e is OnnxImportException or ModelFormatException)
        {
        }
    }
}
