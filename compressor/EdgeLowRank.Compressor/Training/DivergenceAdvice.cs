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
    /// The advice for a run that diverged at <paramref name="rate"/>: "lower RATEOPTION" when the rate is to blame, else
    /// the weight decay or the penalty named by its option, with the numbers that show why.
    /// </summary>
    public static string For(double rate, double momentum, double weightDecay, string weightDecayOption, string rateOption,
        double penalty = 0, string penaltyOption = "")
    {
        double stiffness = rate * (weightDecay + penalty), bound = StableRateTimesCurvature(momentum);
        if (!(stiffness >= bound)) return $"lower {rateOption}";
        string term = penalty > weightDecay ? $"the penalty μ = {penalty:G3}" : $"the weight decay {weightDecay:G3}";
        string option = penalty > weightDecay ? penaltyOption : weightDecayOption;
        string product = penalty == 0 ? "rate·weight decay" : "rate·(weight decay + μ)";
        return $"{term} diverges on its own at this rate ({product} = {stiffness:G3}, past {bound:G3}, "
            + $"the most Nesterov SGD with momentum {momentum:G3} can follow); lower {option}, or {rateOption}";
    }
}
