namespace EdgeLowRank.Runtime.Cli.Inputs;

/// <summary>The indices of the largest scores, best first (a partial selection; k is small).</summary>
internal static class TopK
{
    public static void Select(ReadOnlySpan<float> scores, Span<int> best)
    {
        int filled = 0;
        for (int i = 0; i < scores.Length; i++)
        {
            int at = filled < best.Length ? filled++ : best.Length;
            while (at > 0 && scores[i] > scores[best[at - 1]])
            {
                if (at < best.Length) best[at] = best[at - 1];
                at--;
            }
            if (at < best.Length) best[at] = i;
        }
    }
}
