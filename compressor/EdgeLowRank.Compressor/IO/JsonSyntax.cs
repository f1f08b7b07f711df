using System.Text.Json;

namespace EdgeLowRank.Compressor.IO;

/// <summary>Where a file that should be JSON stops being JSON, said without the parser's quote of it.</summary>
public static class JsonSyntax
{
    /// <summary>
    /// "not valid JSON (line 1, byte 3)". The parser's own message quotes the token it choked on, and a text file given
    /// by mistake is one long token to it: a training log named as a latency table was printed whole, 3.4 KB.
    /// </summary>
    public static string Invalid(JsonException e) =>
        e.LineNumber is long line && e.BytePositionInLine is long column ? $"not valid JSON (line {line + 1}, byte {column + 1})" : "not valid JSON";
}
