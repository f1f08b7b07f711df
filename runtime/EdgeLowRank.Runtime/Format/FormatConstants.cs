namespace EdgeLowRank.Runtime.Format;

/// <summary>The fixed numbers of .elr format v1; docs/FORMAT.md is the specification they implement.</summary>
internal static class FormatConstants
{
    /// <summary>The major version this runtime reads and writes. A different major version is a different format.</summary>
    public const ushort MajorVersion = 1;

    /// <summary>The minor version this runtime writes: 1.1 added the convolution kinds (Conv2d,
    /// FactorizedConv2d, MaxPool2d), 1.2 row-major weight matrices (packed at load), 1.3 int8 weight matrices with one
    /// scale per column, 1.4 the Tanh, Sigmoid and AvgPool2d kinds, 1.5 the DepthwiseConv2d kind, 1.6 the Add kind
    /// (residual connections) and the Relu6 kind, 1.7 the Branch kind (shortcuts with layers of their own), 1.8 the Concat kind
    /// (paths joined by stacking their channels) and the ChannelSlice and ChannelShuffle kinds, 1.9 the HardSwish, HardSigmoid,
    /// Silu and ChannelScale kinds (MobileNetV3's and EfficientNet's activations and squeeze-and-excitation), 1.10 integer
    /// products (Dense and FactorizedDense layers that quantize their inputs as they run), 1.11 integer convolutions (Conv2d
    /// and FactorizedConv2d layers that do), 1.12 the LeakyRelu kind (its slope below zero in the record), 1.13 windows padded differently per side (the bottom and right padding appended to layer records). Readers accept any minor version
    /// of their major version.</summary>
    public const ushort MinorVersion = 13;

    /// <summary>The magic bytes every file starts with: 0x89 "ELR" CR LF 0x1A LF. The high byte and the
    /// line endings are damaged by 7-bit and text-mode transfers, so such damage is detected at once.</summary>
    public static ReadOnlySpan<byte> Magic => [0x89, (byte)'E', (byte)'L', (byte)'R', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The size of the v1 header in bytes.</summary>
    public const int HeaderSize = 64;

    /// <summary>The size of one section table entry in bytes.</summary>
    public const int SectionEntrySize = 32;

    /// <summary>The size of one v1 tensor record in bytes.</summary>
    public const int TensorRecordSize = 64;

    /// <summary>The size of one v1 layer record in bytes.</summary>
    public const int LayerRecordSize = 80;

    /// <summary>The size of a layer record with the bottom and right padding (since 1.13), which a writer uses when some
    /// layer pads unevenly and otherwise not, so that files of evenly padded models stay as they were.</summary>
    public const int UnevenPaddingRecordSize = 88;

    /// <summary>Tensor data starts at a file offset that is a multiple of this, so mapped weights are cache-line and vector aligned.</summary>
    public const int TensorAlignment = 64;

    /// <summary>The largest file this reader accepts: parsing works on a span, whose length is an int.</summary>
    public const long MaxFileLength = int.MaxValue;

    /// <summary>The most sections a file may list.</summary>
    public const int MaxSections = 64;

    /// <summary>The most layers a model may have.</summary>
    public const int MaxLayers = 4096;

    /// <summary>The most tensors a file may list.</summary>
    public const int MaxTensors = 4 * MaxLayers;

    /// <summary>The most metadata entries a file may hold.</summary>
    public const int MaxMetadataEntries = 65536;

    /// <summary>The longest metadata key in bytes.</summary>
    public const int MaxMetadataKeyLength = 256;

    /// <summary>The largest record size a table may declare; later minor versions may grow records up to this.</summary>
    public const int MaxRecordSize = 4096;

    /// <summary>The value of a layer's tensor slot that holds no tensor.</summary>
    public const int NoTensor = -1;

    /// <summary>Section flag: a reader that does not know the section's kind must reject the file.</summary>
    public const uint SectionRequired = 1;
}
