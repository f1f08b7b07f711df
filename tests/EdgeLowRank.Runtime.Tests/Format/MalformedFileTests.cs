using EdgeLowRank.Runtime.Layers;
using EdgeLowRank.Runtime.Format;
using L = EdgeLowRank.Runtime.Format.FileLayout.Layer;
using S = EdgeLowRank.Runtime.Format.FileLayout.Section;
using T = EdgeLowRank.Runtime.Format.FileLayout.Tensor;

namespace EdgeLowRank.Runtime.Tests.Format;

/// <summary>One malformed variant of <see cref="TestModels.Small"/> (or <see cref="TestModels.Conv"/>), written with every weight
/// panel-16, per check the reader makes, each with the byte offset the error must name (row-major weights:
/// <see cref="RowMajorWeightTests"/>). Unless a case is about the CRC, the CRC is re-sealed so the
/// check under test is the one that fires.</summary>
public sealed class MalformedFileTests
{
    private static readonly FileBytes Good;
    private static readonly FileBytes GoodConv;
    private static readonly FileBytes GoodClassic;
    private static readonly FileBytes GoodDepthwise;
    private static readonly FileBytes GoodResidual;
    private static readonly FileBytes GoodBranch;
    private static readonly FileBytes GoodConcat;
    private static readonly FileBytes GoodExcite;
    private static readonly FileBytes GoodLeaky;
    private static readonly FileBytes GoodUneven;
    private static readonly Dictionary<string, (byte[] Bytes, long Offset, string Says)> Cases;

    static MalformedFileTests()
    {
        using var model = TestModels.Small();
        Good = new FileBytes(ModelWriter.ToArray(model, WeightLayoutPolicy.Panel16));
        using (var conv = TestModels.Conv()) GoodConv = new FileBytes(ModelWriter.ToArray(conv, WeightLayoutPolicy.Panel16));
        using (var classic = TestModels.Classic()) GoodClassic = new FileBytes(ModelWriter.ToArray(classic, WeightLayoutPolicy.Panel16));
        using (var depthwise = TestModels.Depthwise()) GoodDepthwise = new FileBytes(ModelWriter.ToArray(depthwise, WeightLayoutPolicy.Panel16));
        using (var residual = TestModels.Residual()) GoodResidual = new FileBytes(ModelWriter.ToArray(residual, WeightLayoutPolicy.Panel16));
        using (var branch = TestModels.Branch()) GoodBranch = new FileBytes(ModelWriter.ToArray(branch, WeightLayoutPolicy.Panel16));
        using (var concat = TestModels.Concat()) GoodConcat = new FileBytes(ModelWriter.ToArray(concat, WeightLayoutPolicy.Panel16));
        using (var excite = TestModels.Excite()) GoodExcite = new FileBytes(ModelWriter.ToArray(excite, WeightLayoutPolicy.Panel16));
        using (var leaky = TestModels.Leaky()) GoodLeaky = new FileBytes(ModelWriter.ToArray(leaky, WeightLayoutPolicy.Panel16));
        using (var uneven = TestModels.Uneven()) GoodUneven = new FileBytes(ModelWriter.ToArray(uneven, WeightLayoutPolicy.Panel16));
        var f = Good;
        var c = GoodConv; // layers: 0 Conv2d 3×3 pad 1, 1 MaxPool 2/2, 2 FactorizedConv2d 3×3 s2 p1 r5, 3 MaxPool 2/1, 4 Conv2d 1×1, 5 Flatten, 6 Softmax
        var k = GoodClassic; // layers: 0 Conv2d, 1 Tanh, 2 AvgPool 2/2, 3 Conv2d, 4 Sigmoid, 5 AvgPool 3/3, 6 Flatten, 7 Dense, 8 Tanh, 9 Softmax
        var d = GoodDepthwise; // layers: 0 Depthwise 3×3 p1 over 5, 1 Conv2d 1×1 (panel-16 W, tensor 2), 2 Depthwise 3×3 s2 over 9, 3 Flatten, 4 Softmax
        var r = GoodResidual; // layers: 0 Conv2d 3×3 p1, 1 Add(0)+ReLU, 2 Conv2d 3×3 p1, 3 Add(2), 4 Flatten, 5 Dense 36→36, 6 Add(5), 7 Relu6, 8 Softmax
        var b = GoodBranch; // layers: 0 Conv2d 3×3 p1, 1 Conv2d 3×3 p1, 2 Branch(1), 3 Conv2d 1×1, 4 Add(2)+ReLU, 5 Branch(0), 6 Conv2d 1×1, 7 Add(5), 8 Flatten, 9 Softmax
        var j = GoodConcat; // layers: 0 Conv2d 1×1 to 2, 1 Conv2d 1×1 to 3, 2 Branch(1), 3 Conv2d 3×3 p1 to 5, 4 Concat(2), 5 Concat(0, input first), 6 ChannelShuffle(3), 7 ChannelSlice(2, 9), 8 Flatten, 9 Dense 81→6
        var e = GoodExcite; // layers: 0 Conv2d 1×1 to 6, 1 HardSwish, 2 AvgPool 3/3, 3 Conv2d 1×1 to 3, 4 Conv2d 1×1 to 6, 5 HardSigmoid, 6 ChannelScale(2), 7 Silu, 8 Flatten, 9 Dense 54→8, 10 HardSigmoid(0.2, 0.5), 11 ChannelScale(10), 12 Dense 8→5
        var y = GoodLeaky; // layers: 0 Conv2d 1×1 to 4, 1 LeakyRelu(0.01), 2 Flatten, 3 Dense 36→5, 4 LeakyRelu(0.2), 5 Dense 5→3
        var u = GoodUneven; // 88-byte records: 0 Conv2d 3×3 s2 (0, 0, 1, 1), 1 Depthwise 3×3 (2, 0, 0, 2), 2 FactorizedConv2d 4×4 (1, 1, 2, 2), 3 MaxPool 3/2 (0, 0, 1, 1), 4 Flatten, 5 Dense
        int length = f.Bytes.Length;
        int table = FileBytes.SectionEntry(0);
        int tens = FileBytes.SectionEntry(1), layr = FileBytes.SectionEntry(2);
        Cases = new()
        {
            ["bad magic"] = (f.WithByte(1, (byte)'X', seal: false), 1, "Bad magic"),
            ["text-mode transfer"] = (f.Changed(b => { }, seal: false)[..4].Concat(f.Bytes[5..]).ToArray(), 4, "text-mode"),
            ["7-bit transfer"] = (f.WithByte(0, 0x09, seal: false), 0, "7-bit"),
            ["future major version"] = (f.With16(FileLayout.Header.Major, 2), 8, "upgrade EdgeLowRank"),
            ["version zero"] = (f.With16(FileLayout.Header.Major, 0), 8, "no such version"),
            ["header size too small"] = (f.With32(FileLayout.Header.HeaderSize, 16), 12, "header"),
            ["header size beyond the file"] = (f.With32(FileLayout.Header.HeaderSize, 4000, seal: false)[..200], 200, "ends at byte 200"),
            ["crc mismatch"] = (f.WithByte(f.Data + 5, 0x7F, seal: false), 36, "CRC-32 mismatch"),
            ["bytes appended"] = (f.Changed(b => { }).Concat(new byte[] { 0 }).ToArray(), length, "after its declared end"),
            ["length field lies"] = (f.With64(FileLayout.Header.FileLength, (ulong)length + 64), length, "truncated"),
            ["length field beyond 2 GiB"] = (f.With64(FileLayout.Header.FileLength, ulong.MaxValue), 16, "length field is damaged: it declares 18,446,744,073,709,551,615 bytes, where the file has"),
            ["unknown required feature flag"] = (f.With32(FileLayout.Header.RequiredFlags, 64), 40, "upgrade"),
            ["no sections"] = (f.With32(FileLayout.Header.SectionCount, 0), 32, "sections"),
            ["too many sections"] = (f.With32(FileLayout.Header.SectionCount, 100_000), 32, "sections"),
            ["section table past the end"] = (f.With64(FileLayout.Header.SectionTableOffset, (ulong)length - 16), 24, "section table"),
            ["section table offset overflows"] = (f.With64(FileLayout.Header.SectionTableOffset, ulong.MaxValue - 8), 24, "section table"),
            ["input rank zero"] = (f.With32(FileLayout.Header.InputRank, 0), 44, "input shape"),
            ["input rank five"] = (f.With32(FileLayout.Header.InputRank, 5), 44, "input shape"),
            ["input dimension zero"] = (f.With32(FileLayout.Header.InputDims, 0), 48, "input shape: dimension 0"),
            ["unused input dimension set"] = (f.With32(FileLayout.Header.InputDims + 4, 3), 52, "unused"),
            ["input shape overflows"] = (f.Changed(b => { Put(b, 44, 2); Put(b, 48, 65536); Put(b, 52, 65536); }), 52, "2^31-1"),
            ["section length lies"] = (f.With64(table + S.Length, (ulong)length), table + S.Offset, "claims bytes"),
            ["section offset overflows"] = (f.With64(table + S.Offset, ulong.MaxValue - 3), table + S.Offset, "claims bytes"),
            ["section inside the header"] = (f.With64(table + S.Offset, 8), table + S.Offset, "claims bytes"),
            ["sections overlap"] = (f.With64(tens + S.Offset, (ulong)f.Meta + 8), tens + S.Offset, "overlaps"),
            ["missing section"] = (f.With32(tens + S.Kind, 0x5858_5858), table, "no 'TENS' section"),
            ["unknown required section"] = (f.Changed(b => { Put(b, tens + S.Kind, 0x5858_5858); Put(b, tens + S.Flags, 1); }), tens, "marked required"),
            ["duplicate section"] = (f.With32(tens + S.Kind, (uint)SectionKind.Metadata), tens, "second 'META'"),
            ["record size too small"] = (f.With32(tens + S.RecordSize, 32), tens + S.RecordSize, "records"),
            ["record count lies"] = (f.With32(tens + S.Count, 8), tens + S.Length, "records of"),
            ["too many layers"] = (f.With32(layr + S.Count, 1_000_000), layr + S.Count, "at most"),
            ["no layers"] = (f.Changed(b => { Put(b, layr + S.Count, 0); Put64(b, layr + S.Length, 0); }), layr + S.Count, "no layers"),
            ["metadata count lies"] = (f.With32(table + S.Count, 100), f.MetaEnd, "runs past the end"),
            ["metadata key length lies"] = (f.With32(f.Meta, 1000), f.Meta, "bytes long"),
            ["metadata not UTF-8"] = (f.WithByte(f.Find("elr"), 0xFF), f.Find("elr"), "UTF-8"),
            ["metadata accuracy not a number"] = (f.WithByte(f.Find("0.5") + 1, (byte)','), f.Find("0.5"), "finite number"),
            ["labels do not match outputs"] = (f.WithByte(f.Find("a\nb") + 1, (byte)','), f.Find("a\nb"), "labels"),
            ["float16 tensor"] = (f.With32(f.Tensor(0) + T.ElementType, 2), f.Tensor(0), "Float16"),
            ["unknown element type"] = (f.With32(f.Tensor(0) + T.ElementType, 99), f.Tensor(0), "element type 99"),
            ["unknown layout"] = (f.With32(f.Tensor(0) + T.Layout, 3), f.Tensor(0) + T.Layout, "layout 3"),
            ["panel tensor of rank 3"] = (f.With32(f.Tensor(0) + T.Rank, 3), f.Tensor(0) + T.Rank, "dimensions"),
            ["overflowing panel dimensions"] = (f.Changed(b => { Put(b, f.Tensor(0) + T.Dims, int.MaxValue); Put(b, f.Tensor(0) + T.Dims + 4, int.MaxValue); }), f.Tensor(0) + T.Dims, "2^31-1"),
            ["overflowing vector dimensions"] = (f.Changed(b => { Put(b, f.Tensor(1) + T.Rank, 4); for (int d = 0; d < 4; d++) Put(b, f.Tensor(1) + T.Dims + 4 * d, 65535); }), f.Tensor(1) + T.Dims, "2^31-1"),
            ["dimension above 2^31"] = (f.With32(f.Tensor(1) + T.Dims, 0x8000_0000), f.Tensor(1) + T.Dims, "dimension 0"),
            ["byte length lies"] = (f.With64(f.Tensor(0) + T.ByteLength, 4), f.Tensor(0) + T.ByteLength, "declares 4 bytes"),
            ["misaligned tensor"] = (f.With64(f.Tensor(0) + T.DataOffset, f.U64(f.Tensor(0) + T.DataOffset) + 4), f.Tensor(0) + T.DataOffset, "multiple of 64"),
            ["tensor past the data"] = (f.With64(f.Tensor(0) + T.DataOffset, (ulong)f.DataEnd), f.Tensor(0) + T.DataOffset, "outside the DATA"),
            ["tensor offset overflows"] = (f.With64(f.Tensor(0) + T.DataOffset, ulong.MaxValue - 63), f.Tensor(0) + T.DataOffset, "outside the DATA"),
            ["tensor before the data"] = (f.With64(f.Tensor(0) + T.DataOffset, 64), f.Tensor(0) + T.DataOffset, "outside the DATA"),
            ["tensors overlap"] = (f.With64(f.Tensor(3) + T.DataOffset, f.U64(f.Tensor(1) + T.DataOffset)), f.Tensor(3) + T.DataOffset, "overlap"),
            ["scale block on a float32 tensor"] = (f.With64(f.Tensor(0) + T.ScaleOffset, 64), f.Tensor(0) + T.ScaleOffset, "is Float32 but has a scale block"),
            ["unknown layer kind"] = (f.With32(f.Layer(0) + L.Kind, 99), f.Layer(0), "kind 99"),
            ["dense record relabelled Conv2d"] = (f.With32(f.Layer(0) + L.Kind, 6), f.Layer(0) + L.Kernel, "kernel height"),
            ["unknown activation"] = (f.With32(f.Layer(0) + L.Activation, 7), f.Layer(0) + L.Activation, "activation 7"),
            ["unknown method"] = (f.With32(f.Layer(2) + L.Method, 9), f.Layer(2) + L.Method, "method 9"),
            ["dense layer claims a method"] = (f.With32(f.Layer(0) + L.Method, 1), f.Layer(0) + L.Method, "not factorized"),
            ["tensor index past the table"] = (f.With32(f.Layer(0) + L.Tensors, 99), f.Layer(0) + L.Tensors, "refers to tensor 99"),
            ["negative tensor index"] = (f.With32(f.Layer(1) + L.Tensors + 8, unchecked((uint)-2)), f.Layer(1) + L.Tensors + 8, "refers to tensor -2"),
            ["missing weights"] = (f.With32(f.Layer(0) + L.Tensors, uint.MaxValue), f.Layer(0) + L.Tensors, "no weights"),
            ["bias as weights"] = (f.With32(f.Layer(0) + L.Tensors, 1), f.Layer(0) + L.Tensors, "panel-16"),
            ["bias of the wrong length"] = (f.With32(f.Layer(0) + L.Tensors + 8, 3), f.Layer(0) + L.Tensors + 8, "vector of 3"),
            ["factors disagree on rank"] = (f.With32(f.Layer(2) + L.Tensors + 4, 2), f.Layer(2) + L.Tensors + 4, "disagree"),
            ["shape disagreement between layers"] = (f.Changed(b => { Put(b, f.Layer(1) + L.Tensors, 0); Put(b, f.Layer(1) + L.Tensors + 8, 1); }), f.Layer(1), "does not fit"),
            ["input shape disagrees with first layer"] = (f.With32(FileLayout.Header.InputDims, 6), f.Layer(0), "does not fit"),
            ["weights on a softmax"] = (f.With32(f.Layer(3) + L.Tensors, 0), f.Layer(3) + L.Tensors, "slot 0"),
            ["rank field lies"] = (f.With32(f.Layer(2) + L.Rank, 3), f.Layer(2) + L.Rank, "inner dimension"),
            ["conv parameter on a dense layer"] = (f.With32(f.Layer(0) + L.Kernel, 3), f.Layer(0) + L.Kernel, "kernel"),
            ["non-square kernel"] = (c.With32(c.Layer(0) + L.Kernel + 4, 2), c.Layer(0) + L.Kernel + 4, "square"),
            ["kernel above 64"] = (c.Changed(b => { Put(b, c.Layer(0) + L.Kernel, 65); Put(b, c.Layer(0) + L.Kernel + 4, 65); }), c.Layer(0) + L.Kernel, "1 to 64"),
            ["zero stride"] = (c.With32(c.Layer(0) + L.Stride, 0), c.Layer(0) + L.Stride, "stride height"),
            ["non-square stride"] = (c.With32(c.Layer(2) + L.Stride + 4, 1), c.Layer(2) + L.Stride + 4, "square"),
            ["padding not below the kernel"] = (c.Changed(b => { Put(b, c.Layer(0) + L.Padding, 3); Put(b, c.Layer(0) + L.Padding + 4, 3); }), c.Layer(0) + L.Padding, "less than the 3×3 kernel"),
            ["weight rows not a multiple of k·k"] = (c.Changed(b => { Put(b, c.Layer(0) + L.Kernel, 2); Put(b, c.Layer(0) + L.Kernel + 4, 2); }), c.Layer(0) + L.Tensors, "not a multiple of 2·2"),
            ["first factor rows not a multiple of k·k"] = (c.Changed(b => { Put(b, c.Layer(2) + L.Kernel, 2); Put(b, c.Layer(2) + L.Kernel + 4, 2); }), c.Layer(2) + L.Tensors, "first factor matrix has 153 rows"),
            ["channels disagree with the input"] = (c.Changed(b => { for (int d = 0; d < 2; d++) { Put(b, c.Layer(0) + L.Kernel + 4 * d, 1); Put(b, c.Layer(0) + L.Padding + 4 * d, 0); } }), c.Layer(0), "expects 27 input channels"),
            ["channels disagree with the previous layer"] = (c.Changed(b => { Put(b, c.Layer(4) + L.Tensors, 3); Put(b, c.Layer(4) + L.Rank, 5); }), c.Layer(4), "expects 5 input channels"),
            ["window larger than its input"] = (c.Changed(b => { Put(b, c.Layer(3) + L.Pool, 3); Put(b, c.Layer(3) + L.Pool + 4, 3); }), c.Layer(3), "does not fit"),
            ["pool height on a conv, where its input quantization lies"] = (c.With32(c.Layer(0) + L.Pool, 2), c.Layer(0) + L.Pool, "input quantization 2"),
            ["pool size on a factorized conv"] = (c.With32(c.Layer(2) + L.Pool + 4, 2), c.Layer(2) + L.Pool + 4, "pool width"),
            ["kernel on a max pool"] = (c.With32(c.Layer(1) + L.Kernel, 2), c.Layer(1) + L.Kernel, "not a kernel"),
            ["non-square padding on a max pool"] = (c.With32(c.Layer(1) + L.Padding + 4, 1), 40, "pads its sides differently (top 0, left 1, bottom 0, right 1; top and left at +48, bottom and right at +80 since 1.13), but the header's required features (offset 40) lack 0x00000020"),
            ["uneven padding without its required feature"] = (u.With32(FileLayout.Header.RequiredFlags, u.U32(FileLayout.Header.RequiredFlags) & ~RequiredFeatures.UnevenPadding), 40, "pads its sides differently (top 0, left 0, bottom 1, right 1;"),
            ["bottom padding as large as the kernel"] = (u.With32(u.Layer(0) + L.PaddingBottom, 3), u.Layer(0) + L.PaddingBottom, "its padding bottom (at +80) is 3; expected 0 to 2 for a Conv2d layer (less than the 3×3 kernel)"),
            ["right padding as large as the depthwise kernel"] = (u.With32(u.Layer(1) + L.PaddingRight, 3), u.Layer(1) + L.PaddingRight, "its padding right (at +84) is 3; expected 0 to 2 for a DepthwiseConv2d layer"),
            ["bottom padding beyond the factorized kernel"] = (u.With32(u.Layer(2) + L.PaddingBottom, 4), u.Layer(2) + L.PaddingBottom, "its padding bottom (at +80) is 4; expected 0 to 3 for a FactorizedConv2d layer (less than the 4×4 kernel)"),
            ["right padding as large as the pool"] = (u.With32(u.Layer(3) + L.PaddingRight, 3), u.Layer(3) + L.PaddingRight, "its padding right (at +84) is 3; expected 0 to 2 for a MaxPool2d layer with a pool size of 3"),
            ["bottom padding on a dense layer"] = (u.With32(u.Layer(5) + L.PaddingBottom, 1), u.Layer(5) + L.PaddingBottom, "its padding bottom (at +80) is 1; expected 0: a Dense layer has no window"),
            ["right padding on a flatten"] = (u.With32(u.Layer(4) + L.PaddingRight, 1), u.Layer(4) + L.PaddingRight, "its padding right (at +84) is 1; expected 0: a Flatten layer has no window"),
            ["max pool padding without its required feature"] = (c.Changed(b => { Put(b, c.Layer(1) + L.Padding, 1); Put(b, c.Layer(1) + L.Padding + 4, 1); }), 40, "lack 0x00000004, which every file with a padded max pooling must set"),
            ["max pool padding as large as the pool"] = (c.Changed(b => { Put(b, c.Layer(1) + L.Padding, 2); Put(b, c.Layer(1) + L.Padding + 4, 2); }), c.Layer(1) + L.Padding, "expected 0 to 1 for a MaxPool2d layer with a pool size of 2"),
            ["padding on an average pool"] = (k.With32(k.Layer(2) + L.Padding, 1), k.Layer(2) + L.Padding, "average pooling has no padding"),
            ["max pool without a pool size"] = (c.Changed(b => { Put(b, c.Layer(1) + L.Pool, 0); Put(b, c.Layer(1) + L.Pool + 4, 0); }), c.Layer(1) + L.Pool, "pool size height"),
            ["non-square pool"] = (c.With32(c.Layer(1) + L.Pool + 4, 3), c.Layer(1) + L.Pool + 4, "square"),
            ["zero stride on a max pool"] = (c.Changed(b => { Put(b, c.Layer(3) + L.Stride, 0); Put(b, c.Layer(3) + L.Stride + 4, 0); }), c.Layer(3) + L.Stride, "stride height"),
            ["weights on a max pool"] = (c.With32(c.Layer(1) + L.Tensors, 0), c.Layer(1) + L.Tensors, "slot 0"),
            ["activation on a max pool"] = (c.With32(c.Layer(1) + L.Activation, 1), c.Layer(1) + L.Activation, "no fused activation"),
            ["padding on an average pool"] = (k.With32(k.Layer(2) + L.Padding, 1), k.Layer(2) + L.Padding, "no padding"),
            ["kernel on an average pool"] = (k.With32(k.Layer(5) + L.Kernel + 4, 3), k.Layer(5) + L.Kernel + 4, "AvgPool2d layer has a pool size, not a kernel"),
            ["average pool larger than its input"] = (k.Changed(b => { Put(b, k.Layer(5) + L.Pool, 4); Put(b, k.Layer(5) + L.Pool + 4, 4); }), k.Layer(5), "does not fit"),
            ["weights on an average pool"] = (k.With32(k.Layer(2) + L.Tensors + 8, 0), k.Layer(2) + L.Tensors + 8, "slot 2"),
            ["window on a tanh"] = (k.With32(k.Layer(1) + L.Stride, 1), k.Layer(1) + L.Stride, "Tanh layers have no kernel"),
            ["activation on a sigmoid"] = (k.With32(k.Layer(4) + L.Activation, 1), k.Layer(4) + L.Activation, "Sigmoid layer has no fused activation"),
            ["weights on a tanh"] = (k.With32(k.Layer(8) + L.Tensors, 1), k.Layer(8) + L.Tensors, "slot 0"),
            ["depthwise claims a method"] = (d.With32(d.Layer(0) + L.Method, 2), d.Layer(0) + L.Method, "depthwise convolution is not factorized"),
            ["depthwise claims a rank"] = (d.With32(d.Layer(0) + L.Rank, 5), d.Layer(0) + L.Rank, "no matrix to factorize"),
            ["pool size on a depthwise"] = (d.With32(d.Layer(2) + L.Pool, 2), d.Layer(2) + L.Pool, "has a kernel, not a pool size"),
            ["depthwise without filters"] = (d.With32(d.Layer(0) + L.Tensors, uint.MaxValue), d.Layer(0) + L.Tensors, "no filter tensor"),
            ["depthwise filters in panels"] = (d.With32(d.Layer(2) + L.Tensors, 2), d.Layer(2) + L.Tensors, "row-major f32 9 × c table"),
            ["depthwise filters unlike the kernel"] = (d.Changed(b => { Put(b, d.Layer(0) + L.Kernel, 2); Put(b, d.Layer(0) + L.Kernel + 4, 2); }), d.Layer(0) + L.Tensors, "4 × c table"),
            ["depthwise bias of the wrong length"] = (d.With32(d.Layer(0) + L.Tensors + 8, 3), d.Layer(0) + L.Tensors + 8, "vector of 5"),
            ["second factor on a depthwise"] = (d.With32(d.Layer(0) + L.Tensors + 4, 4), d.Layer(0) + L.Tensors + 4, "slot 1"),
            ["depthwise channels unlike its input"] = (d.With32(d.Layer(2) + L.Tensors, 0), d.Layer(2), "expects 5 input channels but receives 9"),
            ["padding as large as a depthwise kernel"] = (d.Changed(b => { Put(b, d.Layer(0) + L.Padding, 3); Put(b, d.Layer(0) + L.Padding + 4, 3); }), d.Layer(0) + L.Padding, "less than the 3×3 kernel"),
            ["add of its own input"] = (r.With32(r.Layer(3) + L.Source, 3), r.Layer(3) + L.Source, "adds an earlier activation, 0 (the model's input) to 2 (the input of layer 2)"),
            ["add as the first layer"] = (r.With32(r.Layer(0) + L.Kind, (uint)LayerKind.Add), r.Layer(0) + L.Kind, "the first layer's input is the model's input, and nothing comes before it"),
            ["add of a later activation"] = (r.With32(r.Layer(1) + L.Source, 5), r.Layer(1) + L.Source, "not its own input or a later one"),
            ["add of another shape"] = (r.With32(r.Layer(6) + L.Source, 2), r.Layer(6) + L.Source, "adds activation 2 (at +32; the output of layer 1, 3×3×4) to its input (36)"),
            ["window field on an add"] = (r.With32(r.Layer(3) + L.Stride, 1), r.Layer(3) + L.Stride, "uses only the source field"),
            ["add claims a method"] = (r.With32(r.Layer(3) + L.Method, 1), r.Layer(3) + L.Method, "has no weights"),
            ["add claims a rank"] = (r.With32(r.Layer(3) + L.Rank, 4), r.Layer(3) + L.Rank, "has no weights"),
            ["tensor on an add"] = (r.With32(r.Layer(3) + L.Tensors + 8, 1), r.Layer(3) + L.Tensors + 8, "uses no tensor in slot 2"),
            ["branch as the first layer"] = (b.With32(b.Layer(0) + L.Kind, (uint)LayerKind.Branch), b.Layer(0) + L.Kind, "a Branch layer, which continues from an earlier activation instead of its input; the first layer's input is the model's input"),
            ["branch to its own input"] = (b.With32(b.Layer(2) + L.Source, 2), b.Layer(2) + L.Source, "continues from an earlier activation, 0 (the model's input) to 1 (the input of layer 1), not its own input or a later one"),
            ["branch whose input no add reads"] = (b.With32(b.Layer(4) + L.Source, 1), b.Layer(2) + L.Kind, "leaves its input (activation 2) for an earlier activation, but no later Add, Concat or ChannelScale reads activation 2"),
            ["activation on a branch"] = (b.With32(b.Layer(2) + L.Activation, 1), b.Layer(2) + L.Activation, "a Branch layer computes nothing"),
            ["window field on a branch"] = (b.With32(b.Layer(5) + L.Padding, 1), b.Layer(5) + L.Padding, "uses only the source field"),
            ["tensor on a branch"] = (b.With32(b.Layer(2) + L.Tensors, 4), b.Layer(2) + L.Tensors, "uses no tensor in slot 0"),
            ["concat of its own input"] = (j.With32(j.Layer(4) + L.Source, 4), j.Layer(4) + L.Source, "joins an earlier activation, 0 (the model's input) to 3 (the input of layer 3), not its own input or a later one"),
            ["concat as the first layer"] = (j.With32(j.Layer(0) + L.Kind, (uint)LayerKind.Concat), j.Layer(0) + L.Kind, "a Concat layer, which joins an earlier activation to its input; the first layer's input is the model's input"),
            ["concat order neither 0 nor 1"] = (j.With32(j.Layer(5) + L.ConcatOrder, 2), j.Layer(5) + L.ConcatOrder, "expected 0 (the source's channels first) or 1 (the input's first)"),
            ["window field on a concat"] = (j.With32(j.Layer(4) + L.Stride, 1), j.Layer(4) + L.Stride, "uses only the source (+32) and channel order (+36) fields"),
            ["activation on a concat"] = (j.With32(j.Layer(4) + L.Activation, 1), j.Layer(4) + L.Activation, "a Concat layer only copies"),
            ["tensor on a concat"] = (j.With32(j.Layer(4) + L.Tensors + 4, 2), j.Layer(4) + L.Tensors + 4, "uses no tensor in slot 1"),
            ["concat claims a rank"] = (j.With32(j.Layer(5) + L.Rank, 3), j.Layer(5) + L.Rank, "has no weights"),
            ["shuffle of one group"] = (j.With32(j.Layer(6) + L.ShuffleGroups, 1), j.Layer(6) + L.ShuffleGroups, "expected 2 or more groups of channels"),
            ["shuffle of groups that do not divide the channels"] = (j.With32(j.Layer(6) + L.ShuffleGroups, 5), j.Layer(6), "is not a multiple of 5"),
            ["window field on a shuffle"] = (j.With32(j.Layer(6) + L.Stride, 2), j.Layer(6) + L.Stride, "a ChannelShuffle layer uses only the group count field (+32)"),
            ["activation on a shuffle"] = (j.With32(j.Layer(6) + L.Activation, 1), j.Layer(6) + L.Activation, "no fused activation"),
            ["slice of no channels"] = (j.With32(j.Layer(7) + L.SliceCount, 0), j.Layer(7) + L.SliceCount, "expected 1 to 2^31-1 channels kept"),
            ["slice past the last channel"] = (j.With32(j.Layer(7) + L.SliceStart, 4), j.Layer(7), "keeps channels 4 to 12 but receives 3×3×12"),
            ["slice start beyond an int"] = (j.With32(j.Layer(7) + L.SliceStart, 0x8000_0000), j.Layer(7) + L.SliceStart, "a channel index is below 2^31"),
            ["pool field on a slice"] = (j.With32(j.Layer(7) + L.Pool, 2), j.Layer(7) + L.Pool, "a ChannelSlice layer uses only the first channel (+32) and count (+36) fields"),
            ["tensor on a slice"] = (j.With32(j.Layer(7) + L.Tensors + 8, 1), j.Layer(7) + L.Tensors + 8, "uses no tensor in slot 2"),
            ["unknown activation on an add"] = (r.With32(r.Layer(1) + L.Activation, 2), r.Layer(1) + L.Activation, "activation 2"),
            ["stride on a flatten"] = (c.With32(c.Layer(5) + L.Stride, 1), c.Layer(5) + L.Stride, "no kernel, stride"),
            ["conv claims a method"] = (c.With32(c.Layer(0) + L.Method, 1), c.Layer(0) + L.Method, "not factorized"),
            ["conv rank field lies"] = (c.With32(c.Layer(0) + L.Rank, 27), c.Layer(0) + L.Rank, "min(rows, columns)"),
            ["factorized conv rank field lies"] = (c.With32(c.Layer(2) + L.Rank, 6), c.Layer(2) + L.Rank, "inner dimension"),
            ["conv bias of the wrong length"] = (c.With32(c.Layer(0) + L.Tensors + 8, 4), c.Layer(0) + L.Tensors + 8, "vector of 17"),
            ["factorized conv bias of the wrong length"] = (c.With32(c.Layer(2) + L.Tensors + 8, 1), c.Layer(2) + L.Tensors + 8, "vector of 6"),
            ["conv factors disagree on rank"] = (c.With32(c.Layer(2) + L.Tensors + 4, 5), c.Layer(2) + L.Tensors + 4, "disagree"),
            ["hard sigmoid slope NaN"] = (e.With32(e.Layer(5) + L.HardSigmoidAlpha, BitConverter.SingleToUInt32Bits(float.NaN)), e.Layer(5) + L.HardSigmoidAlpha, "its slope α (at +32, a float32) is NaN; expected a finite number"),
            ["hard sigmoid offset infinite"] = (e.With32(e.Layer(10) + L.HardSigmoidBeta, BitConverter.SingleToUInt32Bits(float.PositiveInfinity)), e.Layer(10) + L.HardSigmoidBeta, "its offset β (at +36, a float32) is Infinity; expected a finite number"),
            ["window field on a hard sigmoid"] = (e.With32(e.Layer(5) + L.Padding, 1), e.Layer(5) + L.Padding, "a HardSigmoid layer uses only the slope (+32) and offset (+36) fields"),
            ["leaky relu slope NaN"] = (y.With32(y.Layer(1) + L.LeakyReluAlpha, BitConverter.SingleToUInt32Bits(float.NaN)), y.Layer(1) + L.LeakyReluAlpha, "its slope α (at +32, a float32) is NaN; expected a finite number"),
            ["leaky relu slope infinite"] = (y.With32(y.Layer(4) + L.LeakyReluAlpha, BitConverter.SingleToUInt32Bits(float.NegativeInfinity)), y.Layer(4) + L.LeakyReluAlpha, "its slope α (at +32, a float32) is -Infinity; expected a finite number"),
            ["window field on a leaky relu"] = (y.With32(y.Layer(1) + L.LeakyReluAlpha + 4, 1), y.Layer(1) + L.LeakyReluAlpha + 4, "a LeakyRelu layer uses only the slope field (+32)"),
            ["activation on a leaky relu"] = (y.With32(y.Layer(4) + L.Activation, 1), y.Layer(4) + L.Activation, "a LeakyRelu layer has no fused activation"),
            ["activation on a hard sigmoid"] = (e.With32(e.Layer(5) + L.Activation, 1), e.Layer(5) + L.Activation, "a HardSigmoid layer has no fused activation"),
            ["tensor on a hard swish"] = (e.With32(e.Layer(1) + L.Tensors, 0), e.Layer(1) + L.Tensors, "a HardSwish layer uses no tensor in slot 0"),
            ["window field on a silu"] = (e.With32(e.Layer(7) + L.Stride, 1), e.Layer(7) + L.Stride, "Silu layers have no kernel, stride, padding or pool size"),
            ["scale of its own input"] = (e.With32(e.Layer(6) + L.Source, 6), e.Layer(6) + L.Source, "scales an earlier activation, 0 (the model's input) to 5 (the input of layer 5), not its own input or a later one"),
            ["scale as the first layer"] = (e.With32(e.Layer(0) + L.Kind, (uint)LayerKind.ChannelScale), e.Layer(0) + L.Kind, "a ChannelScale layer, which scales an earlier activation's channels by its input; the first layer's input is the model's input"),
            ["scale of an activation with other channels"] = (e.With32(e.Layer(6) + L.Source, 0), e.Layer(6), "it scales activation 0 (3×3×4) by its input (1×1×6); the input must hold one value per channel of it"),
            ["activation on a scale"] = (e.With32(e.Layer(11) + L.Activation, 1), e.Layer(11) + L.Activation, "a ChannelScale layer has no activation to fuse"),
            ["window field on a scale"] = (e.With32(e.Layer(11) + L.ConcatOrder, 1), e.Layer(11) + L.ConcatOrder, "uses only the source field (+32)"),
            ["factorized conv without a second factor"] = (c.With32(c.Layer(2) + L.Tensors + 4, uint.MaxValue), c.Layer(2) + L.Tensors + 4, "no second factor"),
            ["second factor on a conv"] = (c.With32(c.Layer(0) + L.Tensors + 4, 3), c.Layer(0) + L.Tensors + 4, "slot 1"),
            ["conv multiply-accumulates lie"] = (c.With64(c.Layer(2) + L.MultiplyAccumulates, 4 * 5 * 159 + 1), c.Layer(2) + L.MultiplyAccumulates, "multiply-accumulates"),
            ["parameter count lies"] = (f.With64(f.Layer(0) + L.ParameterCount, 1), f.Layer(0) + L.ParameterCount, "parameters"),
            ["multiply-accumulates lie"] = (f.With64(f.Layer(2) + L.MultiplyAccumulates, 1), f.Layer(2) + L.MultiplyAccumulates, "multiply-accumulates"),
        };
    }

    private static void Put(byte[] b, int at, uint value) => System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(at), value);

    private static void Put(byte[] b, int at, int value) => Put(b, at, (uint)value);

    private static void Put64(byte[] b, int at, ulong value) => System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(at), value);

    public static TheoryData<string> Names => new(Cases.Keys);

    [Fact]
    public void TheUnchangedFilesLoad()
    {
        using var model = ModelReader.Load(Good.Bytes);
        Assert.Equal(4, model.Layers.Count);
        using var conv = ModelReader.Load(GoodConv.Bytes);
        Assert.Equal(7, conv.Layers.Count);
    }

    [Theory, MemberData(nameof(Names))]
    public void MalformedFileNamesTheOffset(string name)
    {
        var (bytes, offset, says) = Cases[name];
        var error = Assert.Throws<ModelFormatException>(() => ModelReader.Load(bytes));
        Assert.Contains(says, error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(offset, error.Offset);
        Assert.Contains("HINT", error.Message);
    }

    [Fact]
    public void BadMagicHintNamesTheCommandsThatWriteModels()
    {
        // The hint named ModelWriter, a class of the library, which a user of the tools never meets.
        var error = Assert.Throws<ModelFormatException>(() => ModelReader.Load(Cases["bad magic"].Bytes));
        Assert.EndsWith("HINT: this is not an .elr model file; pass an .elr file written by `elr train` or `elr compress`.", error.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0x08, 0x07, 0x12, 0x07, (byte)'p', (byte)'y', (byte)'t', (byte)'o', (byte)'r', (byte)'c', (byte)'h' })] // torch.onnx.export
    [InlineData(new byte[] { 0x08, 0x0A, 0x3A, 0x20, 0x0A, 0x05, (byte)'i', (byte)'n', (byte)'p', (byte)'u', (byte)'t' })]           // onnx.helper.make_model
    [InlineData(new byte[] { 0x08, 0x01, 0x12, 0x40, 0x0A, 0x3E, 0x0A, 0x05, (byte)'s', (byte)'e', (byte)'r' })]                      // TensorFlow's saved_model.pb: "if it is ONNX"
    public void A_protobuf_model_given_as_a_model_is_named_with_the_command_that_converts_an_onnx_one(byte[] start)
    {
        // A user trial passed a .onnx file to elr-run and was told only to pass a file written by elr train or elr compress.
        byte[] file = [.. start, .. new byte[64]];
        var error = Assert.Throws<ModelFormatException>(() => ModelReader.Load(file));
        Assert.EndsWith("HINT: this looks like a protobuf model, as an ONNX file is, not an .elr one; if it is ONNX, convert it on a PC with "
            + "`elr import-onnx MODEL.onnx -o MODEL.elr` and pass that file.", error.Message);
    }
}
