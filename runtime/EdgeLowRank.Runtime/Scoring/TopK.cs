namespace EdgeLowRank.Runtime.Scoring;

/// <summary>
/// A classifier's best classes from its scores (logits or probabilities): the largest first, ties to the lower class, and
/// NaN below every number. One rule for every tool that names a class (elr eval, training's accuracy, elr-run's printed
/// classes and its scoring against labels), so they agree on a broken model too: compared with &gt; alone, a NaN in first
/// place stayed there and was printed, or counted, as the sample's class.
/// </summary>
public static class TopK
{
    /// <summary>The class of a sample whose scores are all NaN: it ranks no class, so it is wrong at every k.</summary>
    public const int NoClass = -1;

    /// <summary>Fills <paramref name="best"/> with the indices of the <paramref name="best"/>.Length largest scores, best
    /// first (a partial selection: k is small). With fewer scores than places, the places after them are left as they are.</summary>
    public static void Select(ReadOnlySpan<float> scores, Span<int> best)
    {
        int filled = 0;
        for (int i = 0; i < scores.Length; i++)
        {
            int at = filled < best.Length ? filled++ : best.Length;
            while (at > 0 && Above(scores[i], scores[best[at - 1]]))
            {
                if (at < best.Length) best[at] = best[at - 1];
                at--;
            }
            if (at < best.Length) best[at] = i;
        }
    }

    /// <summary>The class of one sample: the index of its first highest score, or <see cref="NoClass"/> when every score is
    /// NaN (or there are none).</summary>
    public static int Best(ReadOnlySpan<float> scores)
    {
        if (scores.IsEmpty) return NoClass;
        Span<int> best = stackalloc int[1];
        Select(scores, best);
        // NaN ranks last, so a NaN first means every score is NaN.
        return float.IsNaN(scores[best[0]]) ? NoClass : best[0];
    }

    /// <summary>Whether <paramref name="score"/> ranks above <paramref name="other"/>: the larger number, and any number above NaN.</summary>
    private static bool Above(float score, float other) => score > other || (float.IsNaN(other) && !float.IsNaN(score));
}
