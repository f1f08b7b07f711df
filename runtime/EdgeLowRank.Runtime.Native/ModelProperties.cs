using System.Runtime.InteropServices;

namespace EdgeLowRank.Runtime.Native;

/// <summary>
/// The model's metadata properties (its free-form key/value pairs: "model", "train.epochs", "input.pixel-max", …) as
/// elr_session_metadata and elr_session_metadata_key hand them to C: NUL-terminated UTF-8 made when the session opens,
/// so a lookup allocates no string that C must free, and each lives as long as the session. The keys are in the order of
/// their UTF-8 bytes (strcmp's), so an index names the same key in every session of the model.
/// </summary>
internal sealed unsafe class ModelProperties(IReadOnlyDictionary<string, string> properties)
{
    private readonly (string Name, byte[] Text)[] _keys = properties.Keys.Select(k => (k, Utf8Text.Pinned(k)))
        .Order(Comparer<(string Name, byte[] Text)>.Create((a, b) => a.Text.AsSpan().SequenceCompareTo(b.Text))).ToArray();
    private readonly Dictionary<string, byte[]> _texts = properties.ToDictionary(p => p.Key, p => Utf8Text.Pinned(p.Value), StringComparer.Ordinal);
    private readonly IReadOnlyDictionary<string, string> _values = properties;

    /// <summary>How many properties the model records.</summary>
    public int Count => _keys.Length;

    /// <summary>Property <paramref name="index"/>'s key, 0 to <see cref="Count"/> - 1.</summary>
    /// <exception cref="ApiModelException">The key holds a NUL character, which would cut it short.</exception>
    public byte* Key(int index)
    {
        (string name, byte[] text) = _keys[index];
        Utf8Text.RequireNoNul(name, $"metadata key {index}", "rename the property where the model is made");
        return Utf8Text.Address(text);
    }

    /// <summary>The value of the property <paramref name="key"/> (NUL-terminated UTF-8), or null when the model records none.</summary>
    /// <exception cref="ApiModelException">The value holds a NUL character, which would cut it short.</exception>
    public byte* Value(byte* key)
    {
        string? name = Marshal.PtrToStringUTF8((nint)key);
        if (name is null || !_texts.TryGetValue(name, out byte[]? text)) return null;
        Utf8Text.RequireNoNul(_values[name], $"the value of metadata \"{name}\"", "write the property without it where the model is made");
        return Utf8Text.Address(text);
    }
}
