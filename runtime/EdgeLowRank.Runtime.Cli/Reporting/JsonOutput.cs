using System.Text.Encodings.Web;
using System.Text.Json;

namespace EdgeLowRank.Runtime.Cli.Reporting;

/// <summary>Writes one JSON document to standard output with <see cref="Utf8JsonWriter"/>, which needs no
/// reflection and so stays trim- and AOT-safe.</summary>
internal static class JsonOutput
{
    /// <summary>
    /// Indented, and non-ASCII text (×, µs, a CPU's ®) written as itself: the default encoder escapes it as \u00D7 for
    /// safety inside HTML, which this JSON never goes into, and escaped text is unreadable to the person reading it.
    /// </summary>
    public static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(Action<Utf8JsonWriter> body)
    {
        using var stdout = Console.OpenStandardOutput();
        using (var writer = new Utf8JsonWriter(stdout, Options))
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
