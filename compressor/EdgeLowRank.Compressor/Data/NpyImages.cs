using EdgeLowRank.Runtime.IO;

namespace EdgeLowRank.Compressor.Data;

/// <summary>
/// The images of a <see cref="NpyFolderDataset"/>: (N, H, W) grey or (N, H, W, C) channels-last, as the runtime lays
/// samples out; uint8 pixels scaled by 1/255 as the catalog's IDX pixels are (<see cref="PixelScaling"/>), float32 and
/// float64 taken as they are. PyTorch's channels-first (N, C, H, W) is refused rather than misread.
/// </summary>
internal static class NpyImages
{
    /// <summary>The sample shape and count that <paramref name="header"/> declares.</summary>
    /// <exception cref="DataFormatException">Not an image type or shape, channels-first, or no images.</exception>
    public static (SampleShape Shape, int Count) ShapeOf(NpyHeader header, string path)
    {
        if (header.DataType is not (NpyDataType.UInt8 or NpyDataType.Float32 or NpyDataType.Float64))
            throw DataFormatException.OfWholeFile(path, $"{path} holds {NpyHeader.Descr(header.DataType)} values; images must be uint8 (pixels 0 to 255, scaled by 1/255), "
                + "float32 or float64 (taken as they are): save x.astype(np.float32).");
        IReadOnlyList<long> s = header.Shape;
        string shape = $"({string.Join(", ", s)})";
        if (s.Count is not (3 or 4))
            throw DataFormatException.OfWholeFile(path, $"{path} has shape {shape}; images must be (N, H, W), or (N, H, W, C) with channels last.");
        // (N, 1, 28, 28) or (N, 3, 32, 32) read channels-last would be 1×28 images of 28 channels: refused, not misread.
        if (s.Count == 4 && s[1] is 1 or 3 && s[3] > 4)
            throw DataFormatException.OfWholeFile(path, $"{path} has shape {shape}, which looks channels-first (N, C, H, W) as PyTorch stores images; "
                + "images must be channels-last (N, H, W, C): save np.transpose(x, (0, 2, 3, 1)).");
        if (s[0] == 0) throw DataFormatException.OfWholeFile(path, $"{path} holds no images (shape {shape}); give at least one.");
        if (s.Skip(1).Any(d => d == 0)) throw DataFormatException.OfWholeFile(path, $"{path} has shape {shape}: images of no pixels.");
        var sample = new SampleShape((int)s[1], (int)s[2], s.Count == 4 ? (int)s[3] : 1);
        if (s.Skip(1).Aggregate(1L, (a, b) => a * b) > int.MaxValue)
            throw new DatasetException($"{path} has shape {shape}: one image of more than 2^31 values, more than elr takes.");
        return (sample, (int)s[0]);
    }

    /// <summary>Reads the pixels of <paramref name="path"/> into a data set with <paramref name="labels"/>, with the range of
    /// a float array's pixels (null for uint8, which is scaled) for <see cref="UnscaledFloatPixels"/> and the largest byte of
    /// a uint8 array (null for floats) for <see cref="DimBytePixels"/>.</summary>
    /// <exception cref="DatasetException">The file changed since it was opened, or holds NaN or infinity.</exception>
    public static (Dataset Images, FloatPixelRange? Range, byte? LargestByte) Load(string name, string path, SampleShape shape, byte[] labels, IReadOnlyList<string> classNames)
    {
        // uint8 pixels are scaled from the file's bytes; float ones are read straight into the floats the data set keeps.
        NpyDataType type = NpyFolderDataset.ReadHeader(path).DataType;
        if (type == NpyDataType.UInt8)
        {
            NpyArray array = NpyFolderDataset.ReadArray(path);
            RequireUnchanged(array.Header, type, path, shape, labels.Length);
            byte largest = array.Data.IsEmpty ? (byte)0 : System.Numerics.Tensors.TensorPrimitives.Max(array.Data);
            return (new Dataset(name, shape, PixelScaling.ToUnitRange(array.Data, byte.MaxValue), labels, classNames), null, largest);
        }
        (NpyHeader header, float[] pixels) = NpyFolderDataset.ReadSingles(path);
        RequireUnchanged(header, type, path, shape, labels.Length);
        FloatPixelRange range = FiniteRange(pixels, path, shape);
        return (new Dataset(name, shape, pixels, labels, classNames) { UnscaledPixels = UnscaledFloatPixels.Suspect(range) ? range : null }, range, null);
    }

    /// <summary>The header read with the pixels must say what the data set was opened with (and the type the reader was chosen by).</summary>
    /// <exception cref="DatasetException">It does not: the file was replaced since.</exception>
    private static void RequireUnchanged(NpyHeader header, NpyDataType type, string path, SampleShape shape, int count)
    {
        if (header.DataType != type || ShapeOf(header, path) != (shape, count))
            throw new DatasetException($"{path} changed while elr was reading the data set; run the command again.");
    }

    /// <summary>The smallest and largest of <paramref name="pixels"/>, in the one pass that checks each is finite.</summary>
    /// <exception cref="DataFormatException">A pixel is NaN or infinite.</exception>
    private static FloatPixelRange FiniteRange(float[] pixels, string path, SampleShape shape)
    {
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        for (int i = 0; i < pixels.Length; i++)
        {
            float v = pixels[i];
            if (!float.IsFinite(v))
                throw new DataFormatException(path, $"index {i:N0} (image {i / shape.Size:N0})",
                    $"{(float.IsNaN(v) ? "NaN" : "infinity")} where a pixel must be a finite number; fix or drop that image.");
            if (v < min) min = v;
            if (v > max) max = v;
        }
        return new FloatPixelRange(min, max);
    }
}
