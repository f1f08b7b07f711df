namespace EdgeLowRank.Samples.DigitKiosk;

/// <summary>One result: the winning class, its label and output value, and how long the model ran.</summary>
/// <param name="ClassIndex">The class with the highest output.</param>
/// <param name="Label">Its label, as the model names it (or its number).</param>
/// <param name="Score">Its output value.</param>
/// <param name="InferenceTime">How long the model ran.</param>
/// <param name="MostlyLightInput">Whether what the model saw was mostly light (<see cref="DigitClassifier.MostlyLight"/>):
/// likely a dark digit on light paper given without --invert.</param>
/// <param name="FramedInk">Where the digit's ink was found when --resize framed it as MNIST's (<see cref="Imaging.DigitFraming"/>),
/// else null.</param>
internal sealed record Classification(int ClassIndex, string Label, float Score, TimeSpan InferenceTime, bool MostlyLightInput = false,
    Imaging.InkBox? FramedInk = null);
