namespace EdgeLowRank.Compressor.Cli.Sweep;

/// <summary>
/// One goal a sweep's run missed, in a few words for a table ("did not converge", "missed --target-ratio 10"), and whether
/// it leaves the run out of its curve's mean: a run that did not converge or missed its ratio is not a point of the sweep
/// it was meant for, where a run that only missed --max-error-rise has its ratio and an error that means what it says (a
/// review's sweep of three such seeds had no point left at its setting).
/// </summary>
internal sealed record SweepShortfall(string Words, bool LeavesMean);
