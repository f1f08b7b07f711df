namespace EdgeLowRank.Runtime.Cli.Inputs;

/// <summary>The indices of the largest scores, best first (a partial selection; k is small). NaN ranks below every number:
/// compared with >, a NaN in first place stayed there, printed as the sample's class.</summary>
internal static class TopK
{
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

    /// <summary>Whether <paramref name="score"/> ranks above <paramref name="other"/>: the larger number, and any number above NaN.</summary>
    private static bool Above(float score, float other) => score > other || (float.IsNaN(other) && !float.IsNaN(score));
}
