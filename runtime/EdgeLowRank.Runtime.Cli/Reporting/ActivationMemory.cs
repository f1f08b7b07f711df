using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Cli.Reporting;

/// <summary>
/// The working memory a session of a model holds beside its weights: one arena of activation and scratch buffers per
/// concurrent run, sized by the samples of a pass. A model file of two kilobytes can ask for gigabytes (a trial's chain of
/// Concat layers: 40 MB a sample), so `elr-run info` shows it for a fleet to check before a model reaches a board.
/// </summary>
/// <param name="OneSample">Bytes of an arena for passes of one sample (elr-run run on one sample).</param>
/// <param name="DefaultPass">Bytes of an arena for the default pass (<see cref="SessionOptions.DefaultMaxBatchSize"/>
/// samples, libelr's default), or of the largest pass the model takes when that is less.</param>
/// <param name="LargestBatchSize">The most samples one pass takes (<see cref="InferenceSession.LargestBatchSizeFor"/>).</param>
/// <param name="Refusal">Why no session of this model can run, instead of the figures (buffers too large for one sample).</param>
internal sealed record ActivationMemory(long OneSample, long DefaultPass, int LargestBatchSize, string? Refusal)
{
    /// <summary>The figures for <paramref name="model"/>, found without allocating any arena.</summary>
    public static ActivationMemory Of(Model model)
    {
        try
        {
            int largest = InferenceSession.LargestBatchSizeFor(model);
            return new(InferenceSession.ArenaBytesFor(model, 1),
                InferenceSession.ArenaBytesFor(model, Math.Min(largest, SessionOptions.DefaultMaxBatchSize)), largest, null);
        }
        catch (NotSupportedException e)
        {
            return new(0, 0, 0, e.Message);
        }
    }

    /// <summary>The passes the default figure is for: "passes of 64", or fewer where the model takes fewer.</summary>
    public int DefaultPassSamples => Math.Min(LargestBatchSize, SessionOptions.DefaultMaxBatchSize);

    /// <summary>info's line: "activations 9.2 KiB for one sample, 420.0 KiB for passes of 64 (libelr's default)".</summary>
    public string Summary => Refusal is not null ? $"cannot run: {Refusal}"
        : $"activations {Units.Bytes(OneSample)} for one sample, {Units.Bytes(DefaultPass)} for passes of {DefaultPassSamples:N0} "
          + (DefaultPassSamples < SessionOptions.DefaultMaxBatchSize ? "(the most this model takes in one pass)" : "(libelr's default)")
          + ", per concurrent run and thread";
}
