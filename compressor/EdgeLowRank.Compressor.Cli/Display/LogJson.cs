using System.Text.Json;

namespace EdgeLowRank.Compressor.Cli.Display;

/// <summary>How the tools' JSON logs (<c>elr compress --log</c>, <c>elr quantize --log</c>) are written.</summary>
internal static class LogJson
{
    /// <summary>The options of every log.</summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        // Every key in one style: the anonymous objects' names are camelCase already, and the records the logs carry
        // (each LC step's report) would otherwise keep their PascalCase property names beside them.
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        // The settings read "0.001·1.25^k" and "e(r)/|W|^2 <= 0.5": written as themselves, not as \u00B7, for the person reading the log.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
