namespace EdgeLowRank.Onnx;

/// <summary>An ONNX file that cannot become a model: what is wrong, where in the graph, and what would do instead.</summary>
public sealed class OnnxImportException(string message) : Exception(message);
