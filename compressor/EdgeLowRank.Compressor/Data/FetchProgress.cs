namespace EdgeLowRank.Compressor.Data;

/// <summary>One step of a fetch, for progress displays.</summary>
/// <param name="Step">What is happening now, e.g. "verifying train-images-idx3-ubyte".</param>
/// <param name="Fraction">Rough share of the work done, 0 to 1.</param>
public readonly record struct FetchProgress(string Step, double Fraction);
