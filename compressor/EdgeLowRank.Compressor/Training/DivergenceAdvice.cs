namespace EdgeLowRank.Compressor.Training;

/// <summary>
/// What to lower after SGD diverged. Nesterov SGD with momentum β converges on a quadratic of curvature h only while
/// rate·h &lt; 2(1 + β)/(1 + 2β). Weight decay d and the LC penalty μ/2‖W − Θ‖² are such quadratics on the weights, so once
/// rate·(d + μ) is past that bound they alone drive the weights to infinity, whatever the loss does: the setting to
/// lower is the larger of them, not the rate the message would otherwise blame.
/// </summary>
public static class DivergenceAdvice
{
    /// <summary>The largest rate·curvature at which Nesterov SGD with <paramref name="momentum"/> converges on a quadratic: 2(1 + β)/(1 + 2β).</summary>
    public static double StableRateTimesCurvature(double momentum) => 2 * (1 + momentum) / (1 + 2 * momentum);

    /// <summary>
    /// The advice for a run that diverged at <paramref name="rate"/>: the weight decay or the penalty named by its option
    /// when it diverges on its own at this rate (the larger, if both do), both when only their sum does, else
    /// "lower RATEOPTION"; with the numbers that show why.
    /// </summary>
    public static string For(double rate, double momentum, double weightDecay, string weightDecayOption, string rateOption,
        double penalty = 0, string penaltyOption = "")
    {
        double bound = StableRateTimesCurvature(momentum);
        string past = $"past {bound:G3}, the most Nesterov SGD with momentum {momentum:G3} can follow";
        bool penaltyAlone = rate * penalty >= bound, decayAlone = rate * weightDecay >= bound;
        if (penaltyAlone && (!decayAlone || penalty >= weightDecay))
            return $"the penalty μ = {penalty:G3} diverges on its own at this rate (rate·μ = {rate * penalty:G3}, {past}); lower {penaltyOption}, or {rateOption}";
        if (decayAlone)
            return $"the weight decay {weightDecay:G3} diverges on its own at this rate (rate·weight decay = {rate * weightDecay:G3}, {past}); lower {weightDecayOption}, or {rateOption}";
        if (rate * (penalty + weightDecay) >= bound)
            return $"the penalty μ = {penalty:G3} and the weight decay {weightDecay:G3} diverge together at this rate (rate·(μ + weight decay) = "
                + $"{rate * (penalty + weightDecay):G3}, {past}); lower {penaltyOption} or {weightDecayOption}, or {rateOption}";
        return $"lower {rateOption}";
    }
}
