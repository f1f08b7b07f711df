namespace EdgeLowRank.Samples.DigitKiosk;

/// <summary>One result: the winning class, its label and output value, and how long the model ran.</summary>
internal sealed record Classification(int ClassIndex, string Label, float Score, TimeSpan InferenceTime);
