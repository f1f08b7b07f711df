using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Tests.Training;

/// <summary>A window's padding as a theory's last arguments give it: one number for every side alike, or four for top,
/// left, bottom and right (an <c>InlineData</c> row cannot hold a <see cref="WindowPadding"/> itself).</summary>
internal static class SidePads
{
    public static WindowPadding Of(int[] pads) => pads switch
    {
        [int all] => WindowPadding.Even(all),
        [int top, int left, int bottom, int right] => new WindowPadding(top, left, bottom, right),
        _ => throw new ArgumentException($"One padding or four (top, left, bottom, right), not {pads.Length}.", nameof(pads)),
    };
}
