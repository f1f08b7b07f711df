namespace EdgeLowRank.Runtime.Format;

/// <summary>The kinds of section a v1 file holds. Each value is its four ASCII letters read as a
/// little-endian uint, so the name is legible in a hex dump.</summary>
internal enum SectionKind : uint
{
    /// <summary>"META": metadata key/value pairs (UTF-8).</summary>
    Metadata = 'M' | 'E' << 8 | 'T' << 16 | 'A' << 24,
    /// <summary>"TENS": the tensor table, one fixed-size record per tensor.</summary>
    Tensors = 'T' | 'E' << 8 | 'N' << 16 | 'S' << 24,
    /// <summary>"LAYR": the layer table, one fixed-size record per layer, in execution order.</summary>
    Layers = 'L' | 'A' << 8 | 'Y' << 16 | 'R' << 24,
    /// <summary>"DATA": the tensor bytes, each tensor 64-byte aligned.</summary>
    Data = 'D' | 'A' << 8 | 'T' << 16 | 'A' << 24,
}
