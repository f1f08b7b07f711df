using EdgeLowRank.Samples.Common;

namespace EdgeLowRank.Samples.DigitKiosk;

/// <summary>
/// How a class index is shown on the LEDs. With one LED per class, one-hot; with just enough LEDs for the classes
/// and the error pattern, the index in binary, first LED = most significant bit, so 4 LEDs show the digits 0–9 and the
/// row reads like the number written down. All LEDs on means "error" (with 4 LEDs and 10 classes, 1111 is no digit).
/// </summary>
internal sealed class LedPattern
{
    private readonly int _ledCount;
    private readonly bool _oneHot;

    /// <summary>Chooses the encoding for <paramref name="classCount"/> classes on <paramref name="ledCount"/> LEDs.</summary>
    /// <exception cref="UsageException">The model has fewer than two classes (one class would light as the error pattern
    /// does), the LEDs are too few to tell the classes apart from each other and from the error pattern, or more than
    /// either encoding lights, so that some would light only for errors.</exception>
    public LedPattern(int classCount, int ledCount)
    {
        if (classCount < 2)
            throw new UsageException($"the model has {classCount} output{(classCount == 1 ? "" : "s")}, and a classifier needs at least 2 classes "
                + "(with one, its only LED pattern would be the error pattern); give a model with one output per class.");
        _ledCount = ledCount;
        _oneHot = ledCount == classCount;
        if (_oneHot) return;
        // All LEDs on is the error pattern, so binary must leave it unused: n LEDs show at most 2^n − 1 classes.
        int bits = (int)Math.Ceiling(Math.Log2(classCount + 1.0));
        string remedy = $"give {bits} pins to --led-pins for binary or {classCount} for one LED per class.";
        if (ledCount < bits)
            throw new UsageException($"{ledCount} LEDs cannot show {classCount} classes in binary and keep all-on for errors; {remedy}");
        // Beyond one per class, the surplus follows the one-hot LEDs; between, it leads the binary number.
        string unused = ledCount > classCount ? $"the last {ledCount - classCount}" : $"the first {ledCount - bits}";
        if (ledCount > bits)
            throw new UsageException($"{ledCount} LEDs for {classCount} classes: {unused} would light only for errors; {remedy}");
    }

    /// <summary>"one LED per class" or "binary".</summary>
    public string Encoding => _oneHot ? "one LED per class" : "binary, first LED = most significant bit";

    /// <summary>The LED states showing <paramref name="classIndex"/>.</summary>
    public bool[] For(int classIndex)
    {
        var states = new bool[_ledCount];
        for (int i = 0; i < _ledCount; i++)
            states[i] = _oneHot ? i == classIndex : ((classIndex >> (_ledCount - 1 - i)) & 1) == 1;
        return states;
    }

    /// <summary>All LEDs on: the image could not be read or classified.</summary>
    public bool[] Error() => Enumerable.Repeat(true, _ledCount).ToArray();
}
