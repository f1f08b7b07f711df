using EdgeLowRank.Samples.Common;

namespace EdgeLowRank.Samples.DigitKiosk;

/// <summary>
/// How a class index is shown on the LEDs. With at least one LED per class, one LED per class (one-hot);
/// otherwise the index in binary, first LED = most significant bit, so 4 LEDs show the digits 0–9 and the
/// row reads like the number written down. All LEDs on means "error" (with 4 LEDs and 10 classes, 1111 is no digit).
/// </summary>
internal sealed class LedPattern
{
    private readonly int _ledCount;
    private readonly bool _oneHot;

    /// <summary>Chooses the encoding for <paramref name="classCount"/> classes on <paramref name="ledCount"/> LEDs.</summary>
    /// <exception cref="UsageException">The LEDs are too few to tell the classes apart.</exception>
    public LedPattern(int classCount, int ledCount)
    {
        _ledCount = ledCount;
        _oneHot = ledCount >= classCount;
        if (!_oneHot && ledCount < 31 && classCount > 1 << ledCount)
            throw new UsageException($"{ledCount} LEDs cannot show {classCount} classes in binary; give at least {Math.Ceiling(Math.Log2(classCount))} pins to --led-pins.");
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
