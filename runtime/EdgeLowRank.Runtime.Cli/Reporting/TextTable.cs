using System.Text;

namespace EdgeLowRank.Runtime.Cli.Reporting;

/// <summary>A plain-text table with aligned columns: the first <see cref="LeftAligned"/> columns (names) left-aligned, the rest
/// right-aligned (they hold numbers). Plain text keeps the AOT binary small and pipes cleanly into files.</summary>
internal sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    /// <summary>How many leading columns hold text and are left-aligned: 1 unless set.</summary>
    public int LeftAligned { get; init; } = 1;

    public void Add(params string[] cells)
    {
        if (cells.Length != headers.Length) throw new ArgumentException("A row needs one cell per column.");
        _rows.Add(cells);
    }

    public override string ToString()
    {
        var widths = headers.Select(h => h.Length).ToArray();
        foreach (var row in _rows)
            for (int c = 0; c < row.Length; c++) widths[c] = Math.Max(widths[c], row[c].Length);
        var text = new StringBuilder();
        AppendRow(text, headers, widths);
        text.AppendLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in _rows) AppendRow(text, row, widths);
        return text.ToString();
    }

    private void AppendRow(StringBuilder text, string[] cells, int[] widths)
    {
        for (int c = 0; c < cells.Length; c++)
        {
            if (c > 0) text.Append("  ");
            text.Append(c < LeftAligned ? cells[c].PadRight(widths[c]) : cells[c].PadLeft(widths[c]));
        }
        // Padding after the last cell (left-aligned, or empty) is invisible but ends up in pasted output and diffs.
        while (text.Length > 0 && text[^1] == ' ') text.Length--;
        text.AppendLine();
    }
}
