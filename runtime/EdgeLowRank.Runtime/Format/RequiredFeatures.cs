namespace EdgeLowRank.Runtime.Format;

/// <summary>The bits of the header's required-features field (offset 40). A writer sets a bit when a
/// reader that does not know the feature would fail on the file in a misleading way or compute something
/// wrong; every reader rejects bits it does not know, naming the file's version and asking for an upgrade
/// (docs/FORMAT.md, "Versions").</summary>
internal static class RequiredFeatures
{
    /// <summary>Since 1.2: some layer's weight matrix is stored row-major and must be packed at load. Readers
    /// before 1.2 would otherwise reject such a file at the layer as damaged, which it is not.</summary>
    public const uint RowMajorWeights = 1;

    /// <summary>Since 1.3: some weight matrix is stored as int8 with one scale per column. Readers before 1.3 would
    /// otherwise stop at the tensor table and call the type reserved, which is less plain than asking for an upgrade.</summary>
    public const uint Int8Weights = 2;

    /// <summary>Since 1.7: some max pooling layer pads its windows (the record's padding field). Readers before 1.7 would
    /// otherwise call the nonzero padding of a pooling layer damage.</summary>
    public const uint PaddedPooling = 4;

    /// <summary>Since 1.10: some Dense or FactorizedDense layer quantizes its inputs and multiplies in integers (the record's
    /// input quantization field). Readers before 1.10 would otherwise call the field damage, or, had they ignored it, compute
    /// other numbers than the ones the file's accuracy was measured with.</summary>
    public const uint IntegerProducts = 8;

    /// <summary>Since 1.11: some Conv2d or FactorizedConv2d layer quantizes its inputs and multiplies in integers. Readers
    /// before 1.11 would otherwise call the field, where they expect a zero pool height, damage.</summary>
    public const uint IntegerConvolutions = 16;

    /// <summary>Since 1.13: some convolution or max pooling pads its sides differently (the records' bottom and right padding,
    /// or a padding height unlike its width). Readers before 1.13 would otherwise ignore the appended fields and pad the
    /// bottom as the top, computing other numbers, or call a non-square padding damage.</summary>
    public const uint UnevenPadding = 32;
}
