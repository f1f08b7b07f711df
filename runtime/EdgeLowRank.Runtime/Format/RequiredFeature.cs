namespace EdgeLowRank.Runtime.Format;

/// <summary>One bit of the header's required-features field (offset 40), by the name docs/FORMAT.md gives it and the format
/// version that introduced it: a reader of an older format refuses a file that sets it.</summary>
/// <param name="Flag">The bit's value (0x8 for bit 3).</param>
/// <param name="Name">The feature's name in docs/FORMAT.md ("integer products").</param>
/// <param name="Since">The format version that introduced it ("1.10").</param>
internal sealed record RequiredFeature(uint Flag, string Name, string Since)
{
    /// <summary>Every bit this reader knows, lowest first.</summary>
    public static IReadOnlyList<RequiredFeature> All { get; } =
    [
        new(RequiredFeatures.RowMajorWeights, "row-major weight matrices", "1.2"),
        new(RequiredFeatures.Int8Weights, "int8 weight matrices", "1.3"),
        new(RequiredFeatures.PaddedPooling, "padded max pooling", "1.7"),
        new(RequiredFeatures.IntegerProducts, "integer products", "1.10"),
        new(RequiredFeatures.IntegerConvolutions, "integer convolutions", "1.11"),
        new(RequiredFeatures.UnevenPadding, "uneven padding", "1.13"),
    ];

    /// <summary>Every bit this reader knows: the flags of <see cref="All"/>, so a new bit is known once it is listed there.</summary>
    public static uint Known { get; } = All.Aggregate(0u, (bits, feature) => bits | feature.Flag);

    /// <summary>The known bits by value, name and version, for messages ("0x00000001 (row-major weight matrices, since 1.2), …
    /// and 0x00000010 (integer convolutions, since 1.11)").</summary>
    public static string KnownDescription { get; } = Describe(All);

    private static string Describe(IReadOnlyList<RequiredFeature> features)
    {
        string[] parts = [.. features.Select(f => $"0x{f.Flag:X8} ({f.Name}, since {f.Since})")];
        return parts.Length == 1 ? parts[0] : $"{string.Join(", ", parts[..^1])} and {parts[^1]}";
    }
}
