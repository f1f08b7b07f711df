using System.Text.Json;

namespace EdgeLowRank.Runtime.Cli.Reporting;

/// <summary>Writes one JSON document to standard output with <see cref="Utf8JsonWriter"/>, which needs no
/// reflection and so stays trim- and AOT-safe.</summary>
internal static class JsonOutput
{
    public static void Write(Action<Utf8JsonWriter> body)
    {
        using var stdout = Console.OpenStandardOutput();
        using (var writer = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }
        stdout.WriteByte((byte)'\n');
    }

    /// <summary>Writes a number, or null when it was not measured.</summary>
    public static void WriteNumberOrNull(this Utf8JsonWriter writer, string name, double? value)
    {
        if (value is double v && double.IsFinite(v)) writer.WriteNumber(name, v);
        else writer.WriteNull(name);
    }
}
