namespace EdgeLowRank.Runtime.Format;

/// <summary>Byte offsets of the fields of the fixed-size structures of format v1, shared by the
/// writer, the reader and the tests so the three cannot drift apart (docs/FORMAT.md: "Header", "Section table", "TENS" and "LAYR").</summary>
internal static class FileLayout
{
    /// <summary>Header fields, from the start of the file, after the 8-byte <see cref="FormatConstants.Magic"/> at 0.</summary>
    public static class Header
    {
        public const int Major = 8;
        public const int Minor = 10;
        public const int HeaderSize = 12;
        public const int FileLength = 16;
        public const int SectionTableOffset = 24;
        public const int SectionCount = 32;
        public const int Crc = 36;
        public const int RequiredFlags = 40;
        public const int InputRank = 44;
        public const int InputDims = 48;
    }

    /// <summary>Section table entry fields, from the start of the entry.</summary>
    public static class Section
    {
        public const int Kind = 0;
        public const int Flags = 4;
        public const int Offset = 8;
        public const int Length = 16;
        public const int Count = 24;
        public const int RecordSize = 28;
    }

    /// <summary>Tensor record fields, from the start of the record.</summary>
    public static class Tensor
    {
        public const int ElementType = 0;
        public const int Layout = 4;
        public const int Rank = 8;
        public const int Dims = 16;
        public const int DataOffset = 32;
        public const int ByteLength = 40;
        public const int ScaleOffset = 48;
        public const int ScaleLength = 56;
    }

    /// <summary>Layer record fields, from the start of the record.</summary>
    public static class Layer
    {
        public const int Kind = 0;
        public const int Activation = 4;
        public const int Method = 8;
        public const int Rank = 12;
        public const int Tensors = 16;
        public const int TensorSlots = 4;
        public const int Kernel = 32;
        /// <summary>An Add layer's source activation (format 1.6), a Branch layer's (format 1.7), a Concat layer's (format 1.8) or a ChannelScale layer's (format 1.9), where the other kinds keep their kernel height.</summary>
        public const int Source = 32;
        /// <summary>A Concat layer's channel order (format 1.8): 0 the source's channels first, 1 the input's; the other kinds keep their kernel width there.</summary>
        public const int ConcatOrder = 36;
        /// <summary>A ChannelSlice layer's first channel (format 1.8).</summary>
        public const int SliceStart = 32;
        /// <summary>A ChannelSlice layer's channel count (format 1.8).</summary>
        public const int SliceCount = 36;
        /// <summary>A ChannelShuffle layer's group count (format 1.8).</summary>
        public const int ShuffleGroups = 32;
        /// <summary>A HardSigmoid layer's slope α, an IEEE float32 (format 1.9).</summary>
        public const int HardSigmoidAlpha = 32;
        /// <summary>A HardSigmoid layer's offset β, an IEEE float32 (format 1.9).</summary>
        public const int HardSigmoidBeta = 36;
        /// <summary>A LeakyRelu layer's slope α below zero, an IEEE float32 (format 1.12).</summary>
        public const int LeakyReluAlpha = 32;
        public const int Stride = 40;
        /// <summary>The padding height (top, since 1.13) and at +4 its width (left, since 1.13).</summary>
        public const int Padding = 48;
        public const int Pool = 56;
        /// <summary>A Dense or FactorizedDense layer's input quantization (format 1.10), a Conv2d or FactorizedConv2d layer's (format 1.11): 0 none, 1 dynamic; the pooling kinds keep their pool height there.</summary>
        public const int InputQuantization = 56;
        public const int ParameterCount = 64;
        public const int MultiplyAccumulates = 72;
        /// <summary>The padding below the image (format 1.13, in records of at least <see cref="FormatConstants.UnevenPaddingRecordSize"/> bytes; before, or in shorter records, the top's).</summary>
        public const int PaddingBottom = 80;
        /// <summary>The padding right of the image (format 1.13, as <see cref="PaddingBottom"/>; otherwise the left's).</summary>
        public const int PaddingRight = 84;
    }

    /// <summary>The meaning of a layer's four tensor slots.</summary>
    public static class Slot
    {
        public const int Weights = 0;
        public const int SecondFactor = 1;
        public const int Bias = 2;
    }
}
