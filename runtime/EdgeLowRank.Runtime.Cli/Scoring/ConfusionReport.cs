using System.Globalization;
using System.Text;
using EdgeLowRank.Runtime.Cli.Reporting;
using EdgeLowRank.Runtime.Scoring;

namespace EdgeLowRank.Runtime.Cli.Scoring;

/// <summary>
/// The text of a <see cref="ConfusionMatrix"/>: up to <see cref="MaxMatrixClasses"/> classes the matrix itself, true classes
/// in rows and the classes predicted in columns, with each row's recall and each column's precision; above that a
/// 100 × 100 matrix would be unreadable, so a table of each class's recall and precision and a list of the most frequent
/// confusions take its place.
/// </summary>
internal static class ConfusionReport
{
    /// <summary>The most classes printed as a matrix: 20 columns of counts fit a 120-column terminal.</summary>
    public const int MaxMatrixClasses = 20;

    /// <summary>How many confusions the list of the most frequent names, for a model of more than <see cref="MaxMatrixClasses"/> classes.</summary>
    public const int ListedConfusions = 20;

    /// <summary>The widest line the matrix may take with the classes' names over its columns; a wider one heads them with
    /// the classes' indices instead, which the rows then show beside the names.</summary>
    public const int MaxWidth = 120;

    /// <summary>The report of <paramref name="matrix"/>, its classes named by <paramref name="names"/> (the model's labels; empty for indices).</summary>
    public static string Format(ConfusionMatrix matrix, IReadOnlyList<string> names)
    {
        if (matrix.Classes > MaxMatrixClasses) return PerClass(matrix, names);
        string named = Matrix(matrix, names, byIndex: false);
        return Widest(named) <= MaxWidth || names.Count == 0 ? named : Matrix(matrix, names, byIndex: true);
    }

    private static string Matrix(ConfusionMatrix matrix, IReadOnlyList<string> names, bool byIndex)
    {
        var headers = new List<string> { "true \\ predicted" };
        headers.AddRange(Enumerable.Range(0, matrix.Classes).Select(c => byIndex ? c.ToString(CultureInfo.InvariantCulture) : ClassName.Of(names, c)));
        if (matrix.AnyUnclassified) headers.Add("no class");
        headers.Add("recall");
        var table = new TextTable([.. headers]);
        var row = new List<string>();
        for (int trueClass = 0; trueClass < matrix.Classes; trueClass++)
        {
            row.Clear();
            row.Add(byIndex ? $"{trueClass} {ClassName.Of(names, trueClass)}" : ClassName.Of(names, trueClass));
            row.AddRange(Enumerable.Range(0, matrix.Classes).Select(given => Units.Count(matrix[trueClass, given])));
            if (matrix.AnyUnclassified) row.Add(Units.Count(matrix.Unclassified(trueClass)));
            row.Add(Percent(matrix.Recall(trueClass)));
            table.Add([.. row]);
        }
        row.Clear();
        row.Add("precision");
        row.AddRange(Enumerable.Range(0, matrix.Classes).Select(given => Percent(matrix.Precision(given))));
        if (matrix.AnyUnclassified) row.Add("");
        row.Add("");
        table.Add([.. row]);
        string heading = byIndex ? "confusion matrix: rows are the true classes, columns the classes predicted (by index, as the rows number them)"
            : "confusion matrix: rows are the true classes, columns the classes predicted";
        return heading + Environment.NewLine + table;
    }

    private static string PerClass(ConfusionMatrix matrix, IReadOnlyList<string> names)
    {
        string[] headers = matrix.AnyUnclassified ? ["class", "samples", "recall", "predicted", "precision", "no class"] : ["class", "samples", "recall", "predicted", "precision"];
        var classes = new TextTable(headers);
        for (int c = 0; c < matrix.Classes; c++)
        {
            string[] cells = [ClassName.Of(names, c), Units.Count(matrix.Samples(c)), Percent(matrix.Recall(c)), Units.Count(matrix.GivenAs(c)), Percent(matrix.Precision(c))];
            classes.Add(matrix.AnyUnclassified ? [.. cells, Units.Count(matrix.Unclassified(c))] : cells);
        }
        var report = new StringBuilder();
        // Recall and precision are the terms of the trade; the table's other columns are counts of samples.
        report.AppendLine($"per class ({matrix.Classes} classes, too many for a matrix):");
        report.Append(classes);
        IReadOnlyList<Confusion> frequent = matrix.MostFrequent(ListedConfusions);
        if (frequent.Count == 0)
        {
            report.AppendLine("no sample was predicted as another class");
            return report.ToString();
        }
        var confusions = new TextTable("true", "predicted", "samples") { LeftAligned = 2 };
        foreach (Confusion confusion in frequent)
            confusions.Add(ClassName.Of(names, confusion.TrueClass), ClassName.Of(names, confusion.Given), Units.Count(confusion.Samples));
        report.AppendLine($"the most frequent confusions, up to {ListedConfusions} (true class → class predicted):");
        report.Append(confusions);
        return report.ToString();
    }

    private static string Percent(double share) => double.IsNaN(share) ? "-" : Units.Fixed(100 * share, "0.0") + "%";

    private static int Widest(string text) => text.Split(Environment.NewLine).Max(line => line.Length);
}
