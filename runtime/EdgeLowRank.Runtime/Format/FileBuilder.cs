using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Format;

/// <summary>Lays a model out as format v1 bytes: header, section table, META, TENS, LAYR, then DATA
/// with every tensor (and every int8 matrix's scales) at a 64-byte boundary, each weight matrix in the layout the policy picks. Every byte is determined by the model alone (padding is
/// zero, properties are sorted), so equal models give equal files.</summary>
internal static class FileBuilder
{
    private const int SectionCount = 4;

    /// <remarks>A <see cref="WeightLayoutPolicy.Compact"/> plan whose row-major matrices a reader would not pack at load
    /// (<see cref="PackingLimits"/>) is written panel-16 instead, so every file written can be read.</remarks>
    /// <exception cref="NotSupportedException">A reader would refuse the file: a layer kind format v1 cannot store, more layers
    /// than <see cref="FormatConstants.MaxLayers"/>, or more bytes than <see cref="FormatConstants.MaxFileLength"/>.</exception>
    public static byte[] Build(Model model, WeightLayoutPolicy policy)
    {
        if (model.Layers.Count > FormatConstants.MaxLayers)
            throw new NotSupportedException($"The model has {model.Layers.Count:N0} layers; a .elr file holds at most {FormatConstants.MaxLayers:N0} "
                + "(readers refuse more). Nothing was written. Give the network fewer layers.");
        var plan = new TensorPlan(model, policy);
        var metadata = MetadataKeys.ToEntries(model.Metadata, model.OutputShape.ElementCount);
        int metaOffset = FormatConstants.HeaderSize + SectionCount * FormatConstants.SectionEntrySize;
        long metaLength = metadata.Sum(e => 2L * sizeof(uint) + Encoding.UTF8.GetByteCount(e.Key) + Encoding.UTF8.GetByteCount(e.Value));
        long tensorsOffset = Align(metaOffset + metaLength, 8);
        long tensorsLength = (long)plan.Tensors.Count * FormatConstants.TensorRecordSize;
        long layersOffset = tensorsOffset + tensorsLength;
        long layersLength = (long)model.Layers.Count * plan.LayerRecordSize;
        long dataOffset = Align(layersOffset + layersLength, FormatConstants.TensorAlignment);
        var (tensorOffsets, scaleOffsets, end) = LayOutData(plan, dataOffset);
        if (!ReadersPack(plan, end))
        {
            // Only row-major matrices are packed at load; panels are read in place, so the panel-16 plan always fits the
            // reader's packing limits, at the cost of the padding in the file (same tensors, same offsets before DATA).
            plan = new TensorPlan(model, WeightLayoutPolicy.Panel16);
            (tensorOffsets, scaleOffsets, end) = LayOutData(plan, dataOffset);
        }
        if (end > FormatConstants.MaxFileLength)
            throw new NotSupportedException($"The model needs a {end:N0}-byte file; readers accept at most {FormatConstants.MaxFileLength:N0} bytes. Nothing was "
                + "written. Give it fewer weights: smaller layers, a lower rank (elr compress) or int8 weights (elr quantize).");

        var file = new byte[end];
        WriteHeader(file, model.InputShape, end, plan.RequiredFlags);
        int entry = FormatConstants.HeaderSize;
        WriteSection(file, ref entry, SectionKind.Metadata, metaOffset, metaLength, metadata.Count, 0);
        WriteSection(file, ref entry, SectionKind.Tensors, tensorsOffset, tensorsLength, plan.Tensors.Count, FormatConstants.TensorRecordSize);
        WriteSection(file, ref entry, SectionKind.Layers, layersOffset, layersLength, model.Layers.Count, plan.LayerRecordSize);
        WriteSection(file, ref entry, SectionKind.Data, dataOffset, end - dataOffset, 0, 0);
        WriteMetadata(file, metaOffset, metadata);
        for (int i = 0; i < tensorOffsets.Length; i++)
            WriteTensor(file, (int)tensorsOffset + i * FormatConstants.TensorRecordSize, plan.Tensors[i], tensorOffsets[i], scaleOffsets[i]);
        for (int i = 0; i < model.Layers.Count; i++)
            WriteLayer(file, (int)layersOffset + i * plan.LayerRecordSize, plan.LayerRecordSize, model.Layers[i], plan.Slots[i], model.InputShapeOf(i));
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(FileLayout.Header.Crc), FileChecksum.Compute(file));
        return file;
    }

    /// <summary>Where each tensor's data (and each int8 matrix's scales, right after its bytes) start, from
    /// <paramref name="dataOffset"/> at 64-byte boundaries, and where the file ends.</summary>
    private static (long[] TensorOffsets, long[] ScaleOffsets, long End) LayOutData(TensorPlan plan, long dataOffset)
    {
        var tensorOffsets = new long[plan.Tensors.Count];
        var scaleOffsets = new long[plan.Tensors.Count];
        long end = dataOffset;
        for (int i = 0; i < tensorOffsets.Length; i++)
        {
            tensorOffsets[i] = end;
            end = Align(end + plan.Tensors[i].DataBytes, FormatConstants.TensorAlignment);
            if (!plan.Tensors[i].IsInt8) continue;
            scaleOffsets[i] = end;
            end = Align(end + (long)plan.Tensors[i].Scales.Length * sizeof(float), FormatConstants.TensorAlignment);
        }
        return (tensorOffsets, scaleOffsets, end);
    }

    /// <summary>Whether a reader packs the plan's row-major matrices at load (<see cref="PackingLimits"/>): none over the limit of a
    /// matrix, and all of them within the budget of a file of <paramref name="fileLength"/> bytes.</summary>
    private static bool ReadersPack(TensorPlan plan, long fileLength) =>
        plan.LargestPackedAtLoadBytes <= PackingLimits.MaxMatrixBytes && plan.PackedAtLoadBytes <= PackingLimits.Budget(fileLength);

    private static long Align(long value, int alignment) => (value + alignment - 1) / alignment * alignment;

    private static void WriteHeader(Span<byte> file, TensorShape input, long length, uint requiredFeatures)
    {
        FormatConstants.Magic.CopyTo(file);
        BinaryPrimitives.WriteUInt16LittleEndian(file[FileLayout.Header.Major..], FormatConstants.MajorVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(file[FileLayout.Header.Minor..], FormatConstants.MinorVersion);
        BinaryPrimitives.WriteUInt32LittleEndian(file[FileLayout.Header.HeaderSize..], FormatConstants.HeaderSize);
        BinaryPrimitives.WriteUInt64LittleEndian(file[FileLayout.Header.FileLength..], (ulong)length);
        BinaryPrimitives.WriteUInt64LittleEndian(file[FileLayout.Header.SectionTableOffset..], FormatConstants.HeaderSize);
        BinaryPrimitives.WriteUInt32LittleEndian(file[FileLayout.Header.SectionCount..], SectionCount);
        BinaryPrimitives.WriteUInt32LittleEndian(file[FileLayout.Header.RequiredFlags..], requiredFeatures);
        WriteDims(file, FileLayout.Header.InputRank, FileLayout.Header.InputDims, input.Dimensions);
    }

    /// <summary>A u32 rank and four u32 dimensions (unused ones stay zero), as the header's input shape and every tensor record hold them.</summary>
    private static void WriteDims(Span<byte> into, int rankAt, int dimsAt, ReadOnlySpan<int> dims)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(into[rankAt..], (uint)dims.Length);
        for (int i = 0; i < dims.Length; i++)
            BinaryPrimitives.WriteUInt32LittleEndian(into[(dimsAt + i * sizeof(uint))..], (uint)dims[i]);
    }

    private static void WriteSection(Span<byte> file, ref int entry, SectionKind kind, long offset, long length, int count, int recordSize)
    {
        Span<byte> e = file.Slice(entry, FormatConstants.SectionEntrySize);
        BinaryPrimitives.WriteUInt32LittleEndian(e[FileLayout.Section.Kind..], (uint)kind);
        BinaryPrimitives.WriteUInt64LittleEndian(e[FileLayout.Section.Offset..], (ulong)offset);
        BinaryPrimitives.WriteUInt64LittleEndian(e[FileLayout.Section.Length..], (ulong)length);
        BinaryPrimitives.WriteUInt32LittleEndian(e[FileLayout.Section.Count..], (uint)count);
        BinaryPrimitives.WriteUInt32LittleEndian(e[FileLayout.Section.RecordSize..], (uint)recordSize);
        entry += FormatConstants.SectionEntrySize;
    }

    private static void WriteMetadata(Span<byte> file, int at, List<KeyValuePair<string, string>> entries)
    {
        foreach (var (key, value) in entries)
        {
            at = WriteString(file, at, key);
            at = WriteString(file, at, value);
        }
    }

    private static int WriteString(Span<byte> file, int at, string text)
    {
        int length = Encoding.UTF8.GetBytes(text, file[(at + sizeof(uint))..]);
        BinaryPrimitives.WriteUInt32LittleEndian(file[at..], (uint)length);
        return at + sizeof(uint) + length;
    }

    private static void WriteTensor(Span<byte> file, int at, PlannedTensor tensor, long dataOffset, long scaleOffset)
    {
        Span<byte> record = file.Slice(at, FormatConstants.TensorRecordSize);
        BinaryPrimitives.WriteUInt32LittleEndian(record[FileLayout.Tensor.ElementType..], (uint)(tensor.IsInt8 ? ElementType.Int8 : ElementType.Float32));
        BinaryPrimitives.WriteUInt32LittleEndian(record[FileLayout.Tensor.Layout..], (uint)tensor.Layout);
        WriteDims(record, FileLayout.Tensor.Rank, FileLayout.Tensor.Dims, tensor.Dims);
        BinaryPrimitives.WriteUInt64LittleEndian(record[FileLayout.Tensor.DataOffset..], (ulong)dataOffset);
        BinaryPrimitives.WriteUInt64LittleEndian(record[FileLayout.Tensor.ByteLength..], (ulong)tensor.DataBytes);
        if (!tensor.IsInt8)
        {
            WriteFloats(file.Slice((int)dataOffset, tensor.Floats.Length * sizeof(float)), tensor.Floats.Span);
            return;
        }
        MemoryMarshal.AsBytes(tensor.Bytes.Span).CopyTo(file[(int)dataOffset..]);
        BinaryPrimitives.WriteUInt64LittleEndian(record[FileLayout.Tensor.ScaleOffset..], (ulong)scaleOffset);
        BinaryPrimitives.WriteUInt64LittleEndian(record[FileLayout.Tensor.ScaleLength..], (ulong)tensor.Scales.Length * sizeof(float));
        WriteFloats(file.Slice((int)scaleOffset, tensor.Scales.Length * sizeof(float)), tensor.Scales.Span);
    }

    private static void WriteFloats(Span<byte> destination, ReadOnlySpan<float> values)
    {
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(values).CopyTo(destination);
            return;
        }
        for (int i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(destination[(i * sizeof(float))..], values[i]);
    }

    private static void WriteLayer(Span<byte> file, int at, int recordSize, Layer layer, int[] slots, TensorShape input)
    {
        Span<byte> record = file.Slice(at, recordSize);
        BinaryPrimitives.WriteUInt32LittleEndian(record[FileLayout.Layer.Kind..], (uint)layer.Kind);
        BinaryPrimitives.WriteUInt32LittleEndian(record[FileLayout.Layer.Activation..], (uint)layer.Activation);
        BinaryPrimitives.WriteUInt32LittleEndian(record[FileLayout.Layer.Method..], (uint)layer.Method);
        BinaryPrimitives.WriteUInt32LittleEndian(record[FileLayout.Layer.Rank..], (uint)layer.Rank);
        for (int s = 0; s < slots.Length; s++)
            BinaryPrimitives.WriteInt32LittleEndian(record[(FileLayout.Layer.Tensors + s * sizeof(int))..], slots[s]);
        WriteWindow(record, layer);
        BinaryPrimitives.WriteUInt64LittleEndian(record[FileLayout.Layer.ParameterCount..], (ulong)layer.ParameterCount);
        BinaryPrimitives.WriteUInt64LittleEndian(record[FileLayout.Layer.MultiplyAccumulates..], (ulong)layer.MultiplyAccumulates(input));
    }

    /// <summary>Kernel and stride of a convolution, pool size and stride of a pooling layer, each as a (height, width) pair
    /// of the square window, and their padding side by side; an Add, Branch, Concat or ChannelScale layer's source activation (and a
    /// Concat's channel order); a ChannelSlice's first channel and count, a ChannelShuffle's groups, a HardSigmoid's slope and
    /// offset, a LeakyRelu's slope; a matrix layer's input quantization; zero for every other kind.</summary>
    private static void WriteWindow(Span<byte> record, Layer layer)
    {
        switch (layer)
        {
            case Conv2dLayer { Geometry: var g }:
                WriteConvWindow(record, g);
                WriteInputQuantization(record, layer);
                break;
            case FactorizedConv2dLayer { Geometry: var g }:
                WriteConvWindow(record, g);
                WriteInputQuantization(record, layer);
                break;
            case DepthwiseConv2dLayer { Geometry: var g }:
                WriteConvWindow(record, g);
                break;
            case AddLayer add:
                BinaryPrimitives.WriteUInt32LittleEndian(record[FileLayout.Layer.Source..], (uint)add.Source);
                break;
            case BranchLayer branch:
                BinaryPrimitives.WriteUInt32LittleEndian(record[FileLayout.Layer.Source..], (uint)branch.Source);
                break;
            case ConcatLayer concat:
                BinaryPrimitives.WriteUInt32LittleEndian(record[FileLayout.Layer.Source..], (uint)concat.Source);
                BinaryPrimitives.WriteUInt32LittleEndian(record[FileLayout.Layer.ConcatOrder..], concat.InputFirst ? 1u : 0u);
                break;
            case ChannelSliceLayer slice:
                BinaryPrimitives.WriteUInt32LittleEndian(record[FileLayout.Layer.SliceStart..], (uint)slice.Start);
                BinaryPrimitives.WriteUInt32LittleEndian(record[FileLayout.Layer.SliceCount..], (uint)slice.Count);
                break;
            case ChannelShuffleLayer shuffle:
                BinaryPrimitives.WriteUInt32LittleEndian(record[FileLayout.Layer.ShuffleGroups..], (uint)shuffle.Groups);
                break;
            case ChannelScaleLayer scale:
                BinaryPrimitives.WriteUInt32LittleEndian(record[FileLayout.Layer.Source..], (uint)scale.Source);
                break;
            case DenseLayer or FactorizedDenseLayer:
                WriteInputQuantization(record, layer);
                break;
            case HardSigmoidLayer gate:
                BinaryPrimitives.WriteSingleLittleEndian(record[FileLayout.Layer.HardSigmoidAlpha..], gate.Alpha);
                BinaryPrimitives.WriteSingleLittleEndian(record[FileLayout.Layer.HardSigmoidBeta..], gate.Beta);
                break;
            case LeakyReluLayer leaky:
                BinaryPrimitives.WriteSingleLittleEndian(record[FileLayout.Layer.LeakyReluAlpha..], leaky.Alpha);
                break;
            case PoolLayer { Geometry: var g }:
                WritePair(record, FileLayout.Layer.Pool, g.KernelSize);
                WritePair(record, FileLayout.Layer.Stride, g.Stride);
                WritePads(record, g.Pads);
                break;
        }
    }

    /// <summary>A matrix layer's input quantization, at the pooling kinds' pool height.</summary>
    private static void WriteInputQuantization(Span<byte> record, Layer layer) =>
        BinaryPrimitives.WriteUInt32LittleEndian(record[FileLayout.Layer.InputQuantization..], (uint)layer.InputQuantization);

    private static void WriteConvWindow(Span<byte> record, ConvolutionGeometry geometry)
    {
        WritePair(record, FileLayout.Layer.Kernel, geometry.KernelSize);
        WritePair(record, FileLayout.Layer.Stride, geometry.Stride);
        WritePads(record, geometry.Pads);
    }

    /// <summary>Top and left at the padding pair; bottom and right after the record's 1.0 fields when the records have room
    /// for them (<see cref="TensorPlan.LayerRecordSize"/>), which they do whenever some layer pads unevenly.</summary>
    private static void WritePads(Span<byte> record, WindowPadding pads)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(record[FileLayout.Layer.Padding..], (uint)pads.Top);
        BinaryPrimitives.WriteUInt32LittleEndian(record[(FileLayout.Layer.Padding + sizeof(uint))..], (uint)pads.Left);
        if (record.Length < FormatConstants.UnevenPaddingRecordSize) return;
        BinaryPrimitives.WriteUInt32LittleEndian(record[FileLayout.Layer.PaddingBottom..], (uint)pads.Bottom);
        BinaryPrimitives.WriteUInt32LittleEndian(record[FileLayout.Layer.PaddingRight..], (uint)pads.Right);
    }

    private static void WritePair(Span<byte> record, int at, int value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(record[at..], (uint)value);
        BinaryPrimitives.WriteUInt32LittleEndian(record[(at + sizeof(uint))..], (uint)value);
    }
}
