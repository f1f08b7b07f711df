using EdgeLowRank.Compressor.Training;
using Spectre.Console;

namespace EdgeLowRank.Compressor.Cli.Display;

/// <summary>Renders a confusion matrix: rows are true classes, columns predictions, the diagonal in green.</summary>
internal static class ConfusionMatrixTable
{
    /// <summary>The table, with each row's recall at the end.</summary>
    public static Table Create(ConfusionMatrix matrix, IReadOnlyList<string> classNames)
    {
        var table = new Table().Title("confusion matrix (rows: true class, columns: predicted)");
        table.AddColumn("true \\ predicted");
        for (int c = 0; c < matrix.Classes; c++) table.AddColumn(new TableColumn(Markup.Escape(classNames[c])).RightAligned());
        table.AddColumn(new TableColumn("recall").RightAligned());
        for (int actual = 0; actual < matrix.Classes; actual++)
        {
            long rowTotal = 0;
            var cells = new List<string> { Markup.Escape(classNames[actual]) };
            for (int predicted = 0; predicted < matrix.Classes; predicted++)
            {
                long count = matrix[actual, predicted];
                rowTotal += count;
                cells.Add(predicted == actual ? $"[green]{count}[/]" : count == 0 ? "[grey]0[/]" : $"[yellow]{count}[/]");
            }
            cells.Add(rowTotal == 0 ? "-" : $"{100.0 * matrix[actual, actual] / rowTotal:F1}%");
            table.AddRow(cells.ToArray());
        }
        return table;
    }
}
