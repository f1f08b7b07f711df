using EdgeLowRank.Runtime.IO;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Format;

/// <summary>
/// Writes models as .elr format v1 files (docs/FORMAT.md). The same model and policy always give the same
/// bytes. Each weight matrix is stored in the layout <see cref="WeightLayoutPolicy"/> picks: by default
/// panel-16 (used in place at load) unless that would pad it by more than 1/16, then row-major, unless readers would not
/// pack the row-major ones at load. A model whose file a reader would refuse (more layers or bytes than readers take;
/// docs/FORMAT.md, "Reader limits and checks") is refused before anything is written.
/// </summary>
public static class ModelWriter
{
    /// <summary>Writes <paramref name="model"/> to <paramref name="path"/> atomically: the bytes go to a
    /// temporary file beside the target, which is flushed to disk and then renamed over it. A crash
    /// leaves either the old file or the new one, never half a model; on failure the temporary file is
    /// deleted and an existing file at <paramref name="path"/> is left as it was.</summary>
    /// <exception cref="NotSupportedException">The model has a layer format v1 cannot store, or a reader would refuse its file: more than <see cref="FormatConstants.MaxLayers"/> layers or more than <see cref="FormatConstants.MaxFileLength"/> bytes.</exception>
    /// <exception cref="ArgumentException">The metadata cannot be stored: labels not one per output, a label empty or holding a line feed, an accuracy that is not a finite number, a property key over 247 bytes.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Write(Model model, string path, WeightLayoutPolicy policy = WeightLayoutPolicy.Compact)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes = ToArray(model, policy); // first, so a model that cannot be written never creates a file
        AtomicFile.Write(path, bytes);
    }

    /// <summary>Writes <paramref name="model"/> to <paramref name="stream"/> at its current position.</summary>
    /// <exception cref="NotSupportedException">The model has a layer format v1 cannot store, or a reader would refuse its file: more than <see cref="FormatConstants.MaxLayers"/> layers or more than <see cref="FormatConstants.MaxFileLength"/> bytes.</exception>
    /// <exception cref="ArgumentException">The metadata cannot be stored: labels not one per output, a label empty or holding a line feed, an accuracy that is not a finite number, a property key over 247 bytes.</exception>
    public static void Write(Model model, Stream stream, WeightLayoutPolicy policy = WeightLayoutPolicy.Compact)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(ToArray(model, policy));
    }

    /// <summary>The file's bytes.</summary>
    /// <exception cref="NotSupportedException">The model has a layer format v1 cannot store, or a reader would refuse its file: more than <see cref="FormatConstants.MaxLayers"/> layers or more than <see cref="FormatConstants.MaxFileLength"/> bytes.</exception>
    /// <exception cref="ArgumentException">The metadata cannot be stored: labels not one per output, a label empty or holding a line feed, an accuracy that is not a finite number, a property key over 247 bytes.</exception>
    public static byte[] ToArray(Model model, WeightLayoutPolicy policy = WeightLayoutPolicy.Compact)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!Enum.IsDefined(policy)) throw new ArgumentOutOfRangeException(nameof(policy), policy, "Not a WeightLayoutPolicy.");
        return FileBuilder.Build(model, policy);
    }
}
