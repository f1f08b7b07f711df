using EdgeLowRank.Runtime.Layers;
using Onnx;

namespace EdgeLowRank.Onnx;

// Nodes that pool, flatten, reshape or transpose the chain's tensor, and those that leave it as it is or end the chain:
// the layout (channels-first, channels-last, a flattened image's order) they need and keep.
internal sealed partial class GraphWalk
{
    private void Pool(string op, NodeAttributes a)
    {
        RequireChannelsFirstImage(a);
        foreach (PoolLayer layer in PoolingNodes.Read(op, a, _shape)) Add(layer);
    }

    /// <summary>x.mean([2, 3]): an average pooling over the whole image, then a flatten unless the node keeps the dimensions.</summary>
    private void ReduceMean(NodeProto node, NodeAttributes a)
    {
        RequireChannelsFirstImage(a);
        (IReadOnlyList<AvgPool2dLayer> pools, bool keepsDims) = PoolingNodes.ReduceMean(a, _weights.Axes(node, a), _shape);
        foreach (AvgPool2dLayer pool in pools) Add(pool);
        if (!keepsDims) FlattenCurrent();
    }

    private void Flatten(NodeAttributes a)
    {
        a.AllowOnly("axis");
        a.Require(a.Int("axis", 1) == 1, "only axis 1 (batch × everything else) is supported.");
        FlattenCurrent();
    }

    private void Reshape(NodeProto node, NodeAttributes a)
    {
        a.AllowOnly("allowzero");
        long?[] shape = _shapes.ReshapeTarget(node, a);   // null: the batch size, as x.size(0) computed it
        long n = _shape.ElementCount;
        a.Require(a.Int("allowzero", 0) == 0, "allowzero must be 0 (a 0 in the shape copies that dimension).");
        if (_shuffle.UnderWay)
        {
            Add(_shuffle.Finish(shape, _shape, a, _fixedBatch));
            return;
        }
        // Groups of channels in ONNX's layout, the first step of a channel shuffle; not of a flattened or transposed image.
        if (_flattenedImage is null && !_channelsLast && _shuffle.TryStart(shape, _shape, a, _fixedBatch))
        {
            Settle();
            _open = _factorable = _reluJoins = false;   // the shuffle's layer comes between the layer before and what follows
            return;
        }
        // The batch stays what it is: 0 copies it, −1 infers it, x.size(0) is it, and so is the batch size the graph was
        // exported for (without dynamic_axes, torch.onnx.export folds x.view(x.size(0), -1) into (1, −1) for a batch-1
        // example); any other fixed number would tie the model to one batch size.
        bool Batch(long? d) => d is null or 0 || d == _fixedBatch;
        bool flattens = shape.Length == 2 && (shape[1] == n && (Batch(shape[0]) || shape[0] == -1) || shape[1] == -1 && Batch(shape[0]));
        string exported = _fixedBatch is { } b ? $", or {b} (the batch size the graph's input states)" : "";
        string groups = ChannelsFirst.IsImage(_shape) ? $"(batch, g, {_shape[2]} / g, {_shape[0]}, {_shape[1]})" : $"(batch, g, {n} / g)";
        a.Require(flattens, $"only a reshape to (batch, {n}) is supported, written (0, -1), (0, {n}) or (-1, {n}), or x.size(0) for the batch{exported}; "
            + $"this one is to ({string.Join(", ", shape.Select(d => d?.ToString() ?? "batch"))}). A reshape into g ≥ 2 groups of channels {groups} is "
            + "read too, as the first step of a channel shuffle (then a Transpose of the groups and a Reshape back).");
        FlattenCurrent();
    }

    /// <summary>A Squeeze of axes of size 1 (<see cref="SqueezeNodes"/>): a flatten where it leaves a vector, else nothing, but
    /// where it leaves a tensor on its way to a vector, its dimensions kept for the next Squeeze.</summary>
    private void Squeeze(NodeProto node, NodeAttributes a)
    {
        int[] dims = OnnxDims, left = SqueezeNodes.Read(node, a, _weights, dims);
        if (left.Length == dims.Length) return;
        _squeezed = left.Length > 1 ? left : null;
        if (left.Length == 1) FlattenCurrent();
    }

    private void Transpose(NodeAttributes a)
    {
        if (_shuffle.UnderWay)
        {
            _shuffle.Transpose(a, _shape.Rank + 2);   // the batch, the groups and the sample's dimensions
            return;
        }
        a.AllowOnly("perm");
        a.Require(ChannelsFirst.IsImage(_shape) && !_channelsLast && (a.Ints("perm", 4) ?? []).SequenceEqual([0L, 2, 3, 1]),
            "only a transpose of an image to channels-last (perm 0, 2, 3, 1), before a flatten or at the end, is supported.");
        _channelsLast = true;
        _open = _factorable = _reluJoins = false;
    }

    /// <summary>An Unsqueeze of a vector to N×C×1×1 (axes 2 and 3), a squeeze-and-excitation gate computed by matrix layers
    /// for a Mul with an image (the export writes a ChannelScale of an image by a vector so): no layer, the runtime's
    /// ChannelScale takes the vector as it is.</summary>
    private void Unsqueeze(NodeProto node, NodeAttributes a)
    {
        // The axes are an attribute before opset 13, an input from it; negative ones count from the end of the 4 output dimensions.
        a.AllowOnly("axes");
        long[] axes = _weights.Axes(node, a) ?? [];
        a.Require(_shape.Rank == 1 && _flattenedImage is null && axes.Select(x => x < 0 ? x + 4 : x).Order().SequenceEqual([2L, 3]), $"only an Unsqueeze of a vector (batch × C) at axes 2 and 3, to "
            + $"batch × C × 1 × 1 (a squeeze-and-excitation gate for a Mul with an image), is supported; this one is of {ResidualNodes.Describe(_shape)} at axes "
            + $"({string.Join(", ", axes)}).");
        _vectorAsImage = true;
        _open = _factorable = _reluJoins = false;
    }

    private void Softmax(NodeAttributes a)
    {
        a.AllowOnly("axis");
        long axis = a.Int("axis", _opset >= 13 ? -1 : 1);
        if (ChannelsFirst.IsImage(_shape) || _flattenedImage is not null || axis is not (1 or -1))
            throw new OnnxImportException($"{a.Where}: only a softmax over a vector of class scores (axis 1 of batch × classes, after a Gemm or MatMul) is supported.");
        Add(new SoftmaxLayer());
    }

    private void Dropout(NodeProto node, NodeAttributes a)
    {
        a.AllowOnly("ratio", "seed");
        bool training = node.Input.Count > 2 && node.Input[2].Length > 0
            && (_weights.Constant(node.Input[2]) is not { } mode || mode.RawData.Span.IndexOfAnyExcept((byte)0) >= 0 || mode.Int32Data.Any(v => v != 0));
        a.Require(!training, "training_mode must be a constant false: at inference a dropout passes its input through.");
    }

    /// <summary>Refuses a Conv or pooling node whose input is not a channels-first image (a vector, or an image already
    /// transposed to channels-last).</summary>
    private void RequireChannelsFirstImage(NodeAttributes a)
    {
        if (!ChannelsFirst.IsImage(_shape) || _channelsLast)
            throw new OnnxImportException($"{a.Where}: its input is not a channels-first image ({_shape}).");
    }

    private void FlattenCurrent()
    {
        if (!ChannelsFirst.IsImage(_shape)) return;
        // One channel, one pixel (after a GlobalAveragePool), or already channels-last: ONNX's order is the runtime's.
        _flattenedImage = _channelsLast || _shape[2] == 1 || _shape[0] == 1 && _shape[1] == 1 ? null : _shape;
        _channelsLast = false;
        Add(new FlattenLayer());
    }
}
