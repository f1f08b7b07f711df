using EdgeLowRank.Runtime.IO;
using EdgeLowRank.Runtime.Scoring;
using Spectre.Console;

namespace EdgeLowRank.Compressor.Cli.Display;

/// <summary>Renders a confusion matrix: rows are true classes, columns predictions, the diagonal in green; a column of
/// the samples given no class (all scores NaN) when there are any, each row's recall and each column's precision, as
/// elr-run run --confusion prints them on the board.</summary>
internal static class ConfusionMatrixTable
{
    /// <summary>The table of <paramref name="matrix"/>, its classes named by <paramref name="classNames"/>.</summary>
    public static Table Create(ConfusionMatrix matrix, IReadOnlyList<string> classNames)
    {
        var table = new Table().Title("confusion matrix (rows: true class, columns: predicted)");
        table.AddColumn("true \\ predicted");
        for (int c = 0; c < matrix.Classes; c++) table.AddColumn(new TableColumn(Markup.Escape(UserFailure.Printable(classNames[c]))).RightAligned());
        if (matrix.AnyUnclassified) table.AddColumn(new TableColumn("no class").RightAligned());
        table.AddColumn(new TableColumn("recall").RightAligned());
        for (int actual = 0; actual < matrix.Classes; actual++)
        {
            var cells = new List<string> { Markup.Escape(UserFailure.Printable(classNames[actual])) };
            for (int predicted = 0; predicted < matrix.Classes; predicted++)
                cells.Add(predicted == actual ? $"[green]{matrix[actual, predicted]}[/]" : Wrong(matrix[actual, predicted]));
            if (matrix.AnyUnclassified) cells.Add(Wrong(matrix.Unclassified(actual)));
            cells.Add(Percent(matrix.Recall(actual)));
            table.AddRow(cells.ToArray());
        }
        var precision = new List<string> { "precision" };
        for (int predicted = 0; predicted < matrix.Classes; predicted++) precision.Add(Percent(matrix.Precision(predicted)));
        if (matrix.AnyUnclassified) precision.Add("");
        precision.Add("");
        table.AddRow(precision.ToArray());
        return table;
    }

    /// <summary>A count of wrong samples: yellow, or a grey 0.</summary>
    private static string Wrong(int count) => count == 0 ? "[grey]0[/]" : $"[yellow]{count}[/]";

    private static string Percent(double share) => double.IsNaN(share) ? "-" : $"{100 * share:F1}%";
}
