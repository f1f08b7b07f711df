namespace EdgeLowRank.Onnx;

/// <summary>A normalization given to the import (<see cref="InputNormalization"/>) that does not fit the graph's input: the
/// caller's values to change, not the file, which is why it is not an <see cref="OnnxImportException"/>.</summary>
public sealed class InputNormalizationException(string message) : Exception(message);
