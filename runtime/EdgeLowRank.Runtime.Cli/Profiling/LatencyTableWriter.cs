using System.Text.Json;
using EdgeLowRank.Runtime.Cli.Reporting;
using EdgeLowRank.Runtime.IO;

namespace EdgeLowRank.Runtime.Cli.Profiling;

/// <summary>Writes a latency table as JSON (the format `elr compress --latency-table` reads; see docs/DEPLOY-PI.md),
/// atomically, so an interrupted profile never leaves half a table.</summary>
internal static class LatencyTableWriter
{
    public const string FormatName = "edgelowrank-latency-table";
    public const int FormatVersion = 1;

    public static void Write(LatencyTable table, string path)
    {
        AtomicFile.Write(path, stream =>
        {
            using (var w = new Utf8JsonWriter(stream, JsonOutput.Options))
            {
                w.WriteStartObject();
                w.WriteString("format", FormatName);
                w.WriteNumber("version", FormatVersion);
                w.WriteString("cpu", table.Cpu);
                w.WriteString("board", table.Board);
                w.WriteString("builtFor", table.BuiltFor);
                w.WriteStartArray("instructionsUsed");
                foreach (string i in table.InstructionsUsed) w.WriteStringValue(i);
                w.WriteEndArray();
                w.WriteNumber("batch", table.Batch);
                w.WriteNumber("runsPerPoint", table.Runs);
                w.WriteString("statistic", "median");
                w.WriteString("measuredAt", table.MeasuredAt);
                // Optional, added after version 1 was out: the compressor's reader reads its fields by name and skips the others.
                // The cores other processes kept busy on average while the table was measured (null without /proc): a table
                // measured beside other work holds inflated times.
                w.WriteNumberOrNull("otherProcessesCores", table.OtherProcesses?.OtherCores);
                w.WriteNumberOrNull("stealCores", table.OtherProcesses?.StealCores);
                w.WriteStartArray("entries");
                foreach (LatencyEntry e in table.Entries)
                {
                    w.WriteStartObject();
                    w.WriteString("kind", e.Kind);
                    w.WriteNumber("rows", e.Rows);
                    w.WriteNumber("columns", e.Columns);
                    w.WriteNumber("rank", e.Rank);
                    w.WriteNumber("outputPixels", e.Pixels);
                    if (e.Convolution is { } c)
                    {
                        w.WriteNumber("height", c.Height);
                        w.WriteNumber("width", c.Width);
                        w.WriteNumber("inputChannels", c.InputChannels);
                        w.WriteNumber("kernel", c.Kernel);
                        w.WriteNumber("stride", c.Stride);
                        // One number when every side is alike, as before format 1.13; top, left, bottom, right otherwise.
                        if (c.Pads.IsEven) w.WriteNumber("padding", c.Pads.Top);
                        else
                        {
                            w.WriteStartArray("padding");
                            foreach (int side in (int[])[c.Pads.Top, c.Pads.Left, c.Pads.Bottom, c.Pads.Right]) w.WriteNumberValue(side);
                            w.WriteEndArray();
                        }
                    }
                    w.WriteNumber("seconds", e.Seconds);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
        });
    }
}
