namespace EdgeLowRank.Runtime.Native;

/// <summary>A caller of the C API passed an argument the call cannot take (ELR_INVALID_ARGUMENT). Only the API's own
/// checks throw it: an <see cref="ArgumentException"/> from inside the runtime, after those checks, would be a bug.</summary>
internal sealed class ApiArgumentException(string message) : Exception(message);
