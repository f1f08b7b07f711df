namespace EdgeLowRank.Runtime.Native;

/// <summary>The model holds something the C API cannot hand over as asked, such as a label with a NUL character, which
/// a C string would cut short (ELR_INVALID_MODEL). The runtime itself reads and runs such a model.</summary>
internal sealed class ApiModelException(string message) : Exception(message);
