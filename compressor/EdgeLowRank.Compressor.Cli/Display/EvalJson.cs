using EdgeLowRank.Runtime.Layers;
using EdgeLowRank.Runtime.Scoring;

namespace EdgeLowRank.Compressor.Cli.Display;

/// <summary>
/// <c>elr eval --json</c>: the accuracy and confusion matrix as one document, for a pipeline that gates on it (a trial had
/// only the last line's prose). The names are those of <c>elr-run run --json --labels --confusion</c> on the board
/// (accuracy a fraction of 1; perClass; confusionMatrix rows the true classes), so a PC's gate and a board's read alike.
/// </summary>
internal static class EvalJson
{
    /// <summary>The document of <paramref name="matrix"/>, measured on <paramref name="dataset"/> with <paramref name="model"/>.</summary>
    public static object Of(string model, string dataset, ConfusionMatrix matrix, IReadOnlyList<string> classNames, ModelMetadata recorded) => new
    {
        model,
        dataset,
        count = matrix.Total,
        correct = matrix.Correct,
        wrong = matrix.Total - matrix.Correct,
        accuracy = matrix.Accuracy,
        // Samples whose scores held NaN or infinities: above 0, the accuracy means nothing (the warning on stderr says why).
        nonFinite = matrix.NonFinite,
        recordedAccuracy = recorded.Accuracy,
        recordedDataset = recorded.Dataset,
        perClass = Enumerable.Range(0, matrix.Classes).Select(c => new
        {
            index = c,
            name = classNames[c],
            samples = matrix.Samples(c),
            recall = JsonReport.Share(matrix.Recall(c)),
            predicted = matrix.GivenAs(c),
            precision = JsonReport.Share(matrix.Precision(c)),
            noClass = matrix.Unclassified(c),
        }),
        confusionMatrix = Enumerable.Range(0, matrix.Classes).Select(t => Enumerable.Range(0, matrix.Classes).Select(p => matrix[t, p])),
    };
}
