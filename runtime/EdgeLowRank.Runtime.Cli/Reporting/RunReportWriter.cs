using System.Text.Json;
using EdgeLowRank.Runtime.Cli.Scoring;
using EdgeLowRank.Runtime.Scoring;

namespace EdgeLowRank.Runtime.Cli.Reporting;

/// <summary>
/// `elr-run run --json`: the result as one JSON document on stdout, in the style of `bench --json` and `info --json`
/// (camelCase, null for what was not asked or cannot be given). It holds what the text holds, for a pipeline that gates on
/// it: the accuracy as TensorFlow Lite's accuracy tools give it (top-1 and top-k, as fractions of 1, like `info`'s
/// "accuracy"), each class's recall and precision and the matrix with --confusion, each sample's best classes unless
/// --quiet, and the --expect comparison.
/// </summary>
internal static class RunReportWriter
{
    /// <summary>Writes <paramref name="r"/> to stdout.</summary>
    public static void WriteJson(RunReport r) => JsonOutput.Write(w =>
    {
        LabelScore? score = r.Score;
        w.WriteString("model", r.ModelPath);
        w.WriteString("input", r.InputPath);
        w.WriteNumber("inputSamples", r.InputSamples);
        w.WriteNumber("count", r.Samples);
        w.WriteNumber("outputsPerSample", r.OutputLength);
        w.WriteString("labels", r.LabelsPath);
        w.WriteNumberOrNull("accuracy", score is null ? null : Share(score.Samples - score.Wrong, score.Samples));
        WriteCountOrNull(w, "correct", score is null ? null : score.Samples - score.Wrong);
        WriteCountOrNull(w, "wrong", score?.Wrong);
        WriteTopK(w, score);
        WriteConfusion(w, r.Confusion ? score?.Confusion() : null, r.ClassNames);
        WritePredictions(w, r);
        w.WriteString("output", r.OutputPath);
        WriteComparison(w, r.Comparison);
    });

    /// <summary>"topK": the accuracy at the k of --top, null when only the top-1 means anything (a k of every class or more,
    /// or no --labels).</summary>
    private static void WriteTopK(Utf8JsonWriter w, LabelScore? score)
    {
        if (score is not { K: > 1 })
        {
            w.WriteNull("topK");
            return;
        }
        w.WriteStartObject("topK");
        w.WriteNumber("k", score.K);
        w.WriteNumberOrNull("accuracy", Share(score.Samples - score.WrongAtK, score.Samples));
        w.WriteNumber("correct", score.Samples - score.WrongAtK);
        w.WriteNumber("wrong", score.WrongAtK);
        w.WriteEndObject();
    }

    /// <summary>"perClass" (index, name, samples, recall, predicted, precision, noClass: samples whose outputs were all NaN) and
    /// "confusionMatrix" (rows the true classes, columns the classes predicted), or null for both without --confusion. A recall
    /// or precision of a class no sample has or was given is null, as the text's "-".</summary>
    private static void WriteConfusion(Utf8JsonWriter w, ConfusionMatrix? matrix, IReadOnlyList<string> names)
    {
        if (matrix is null)
        {
            w.WriteNull("perClass");
            w.WriteNull("confusionMatrix");
            return;
        }
        w.WriteStartArray("perClass");
        for (int c = 0; c < matrix.Classes; c++)
        {
            w.WriteStartObject();
            w.WriteNumber("index", c);
            w.WriteString("name", ClassName.Of(names, c));
            w.WriteNumber("samples", matrix.Samples(c));
            w.WriteNumberOrNull("recall", matrix.Recall(c));
            w.WriteNumber("predicted", matrix.GivenAs(c));
            w.WriteNumberOrNull("precision", matrix.Precision(c));
            w.WriteNumber("noClass", matrix.Unclassified(c));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("confusionMatrix");
        for (int trueClass = 0; trueClass < matrix.Classes; trueClass++)
        {
            w.WriteStartArray();
            for (int given = 0; given < matrix.Classes; given++) w.WriteNumberValue(matrix[trueClass, given]);
            w.WriteEndArray();
        }
        w.WriteEndArray();
    }

    /// <summary>"predictions": per sample run (the wrong ones only with --wrong-only), its index, its class ("class": null when
    /// every output is NaN), its --top best classes with their names and scores (a NaN or infinite score null), and with
    /// --labels its "label" and whether it is "wrong"; null with --quiet.</summary>
    private static void WritePredictions(Utf8JsonWriter w, RunReport r)
    {
        if (!r.Predictions)
        {
            w.WriteNull("predictions");
            return;
        }
        int k = Math.Min(r.Top, r.OutputLength);
        Span<int> best = stackalloc int[k];
        w.WriteStartArray("predictions");
        for (int s = 0; s < r.Samples; s++)
        {
            if (r.WrongOnly && !r.Score!.IsWrong(s)) continue;   // --wrong-only is refused without --labels
            ReadOnlySpan<float> scores = r.Outputs.AsSpan(s * r.OutputLength, r.OutputLength);
            int predicted = TopK.Best(scores);
            w.WriteStartObject();
            w.WriteNumber("sample", s);
            WriteCountOrNull(w, "class", predicted == TopK.NoClass ? null : predicted);
            w.WriteStartArray("top");
            if (predicted != TopK.NoClass)
            {
                TopK.Select(scores, best);
                foreach (int c in best)
                {
                    w.WriteStartObject();
                    w.WriteNumber("class", c);
                    w.WriteString("name", ClassName.Of(r.ClassNames, c));
                    WriteScoreOrNull(w, scores[c]);
                    w.WriteEndObject();
                }
            }
            w.WriteEndArray();
            WriteCountOrNull(w, "label", r.Score?.Label(s));
            if (r.Score is null) w.WriteNull("wrong");
            else w.WriteBoolean("wrong", r.Score.IsWrong(s));
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>"comparison" with --expect: the file, whether it matched, the largest relative error (null when infinite: a NaN
    /// or infinity that did not match) and its sample, and the tolerance; null without --expect.</summary>
    private static void WriteComparison(Utf8JsonWriter w, ExpectComparison? comparison)
    {
        if (comparison is null)
        {
            w.WriteNull("comparison");
            return;
        }
        w.WriteStartObject("comparison");
        w.WriteString("expect", comparison.ExpectPath);
        w.WriteBoolean("ok", comparison.Ok);
        w.WriteNumberOrNull("largestRelativeError", comparison.LargestRelativeError);
        w.WriteNumber("worstSample", comparison.WorstSample);
        w.WriteNumber("tolerance", comparison.Tolerance);
        w.WriteEndObject();
    }

    /// <summary>A score as the float it is ("0.7152882", not the double "0.7152882218360901" its widening prints), or null
    /// when it is NaN or infinite, which JSON cannot hold.</summary>
    private static void WriteScoreOrNull(Utf8JsonWriter w, float score)
    {
        if (float.IsFinite(score)) w.WriteNumber("score", score);
        else w.WriteNull("score");
    }

    private static void WriteCountOrNull(Utf8JsonWriter w, string name, int? value)
    {
        if (value is int v) w.WriteNumber(name, v);
        else w.WriteNull(name);
    }

    private static double Share(int part, int whole) => whole == 0 ? double.NaN : (double)part / whole;
}
