using System.Text.Json;

namespace EdgeLowRank.Compressor.IO;

/// <summary>
/// Reads the named fields of a JSON file the tools wrote (a latency table, a compression log), each with the kind it
/// must have. A field that is missing or of another kind is reported by its name and place through the reader's own
/// exception, instead of <see cref="JsonElement"/>'s "the given key was not present" or "requires an element of type
/// 'Number'", which name neither.
/// </summary>
/// <param name="error">Makes the reader's exception from a description such as "entry 3 has no number 'seconds'".</param>
public sealed class JsonFields(Func<string, Exception> error)
{
    /// <summary>The object <paramref name="name"/> of <paramref name="parent"/>.</summary>
    public JsonElement Object(JsonElement parent, string name, string where = "it") => Get(parent, name, where, JsonValueKind.Object, "object");

    /// <summary>The array <paramref name="name"/> of <paramref name="parent"/>.</summary>
    public JsonElement Array(JsonElement parent, string name, string where = "it") => Get(parent, name, where, JsonValueKind.Array, "array");

    /// <summary>The string <paramref name="name"/> of <paramref name="parent"/>.</summary>
    public string Text(JsonElement parent, string name, string where = "it") => Get(parent, name, where, JsonValueKind.String, "string").GetString()!;

    /// <summary>The number <paramref name="name"/> of <paramref name="parent"/>.</summary>
    public double Number(JsonElement parent, string name, string where = "it") => Get(parent, name, where, JsonValueKind.Number, "number").GetDouble();

    /// <summary>The whole number <paramref name="name"/> of <paramref name="parent"/>, within the range of an int.</summary>
    public int Whole(JsonElement parent, string name, string where = "it") =>
        Get(parent, name, where, JsonValueKind.Number, "whole number").TryGetInt32(out int value) ? value : throw error($"{where} has no whole number '{name}'");

    /// <summary>Every element of <paramref name="array"/> as a whole number.</summary>
    public int[] Wholes(JsonElement array, string name, string where = "it") =>
        array.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out int v) ? v : throw error($"{where} has a '{name}' that is not a list of whole numbers")).ToArray();

    private JsonElement Get(JsonElement parent, string name, string where, JsonValueKind kind, string kindName) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out JsonElement value) && value.ValueKind == kind
            ? value
            : throw error($"{where} has no {kindName} '{name}'");
}
