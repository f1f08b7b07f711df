using EdgeLowRank.Runtime.Layers;
using Onnx;

namespace EdgeLowRank.Onnx;

/// <summary>
/// ONNX's Slice of the channels read as the runtime's <see cref="ChannelSliceLayer"/>: a slice along axis 1 of an N×C×H×W
/// image (the runtime's last dimension) or of a batch × features vector, with step 1. torch.chunk(x, 2, dim=1) (ShuffleNet's
/// channel split) exports as two Slices of one tensor whose bounds the exporter computes from the tensor's shape
/// (<see cref="ShapeValues"/>); the second reads a tensor the chain has left, so it is a Branch back and a slice, as any
/// node reading an earlier tensor is. A Split of the channels (other exporters' torch.chunk) is read as one slice per
/// output: the first's at once, each other's where a node first reads that output, after a Branch back to the Split's input.
/// </summary>
internal static class ChannelSliceNodes
{
    /// <summary>The layer for the Slice <paramref name="node"/> of the chain's tensor, of <paramref name="shape"/>, whose
    /// layout is the runtime's (<paramref name="layoutKept"/>: not a flattened channels-first image nor an image transposed to
    /// channels-last).</summary>
    /// <exception cref="OnnxImportException">A slice along another axis, of several axes, with a step other than 1, of
    /// bounds not known, or empty.</exception>
    public static ChannelSliceLayer Read(NodeProto node, NodeAttributes a, ShapeValues shapes, TensorShape shape, bool layoutKept)
    {
        (string dims, string what, long channelsAxis) = Describe(shape, layoutKept, a);
        long?[] starts, ends, axes, steps;
        if (node.Input.Count > 1)
        {
            // Opset 10 on: starts, ends, axes and steps are inputs, constants or computed from the tensor's shape.
            a.AllowOnly();
            starts = shapes.Parameter(node, 1, a) ?? [];
            ends = shapes.Parameter(node, 2, a) ?? [];
            axes = shapes.Parameter(node, 3, a) ?? Enumerable.Range(0, starts.Length).Select(i => (long?)i).ToArray();
            steps = shapes.Parameter(node, 4, a) ?? [1];
        }
        else
        {
            a.AllowOnly("starts", "ends", "axes");   // opsets 9 and before: attributes, one entry each for one axis
            starts = Known(a.Ints("starts", 1)) ?? [];
            ends = Known(a.Ints("ends", 1)) ?? [];
            axes = Known(a.Ints("axes", 1)) ?? [0];
            steps = [1];
        }
        string bounds = $"starts [{List(starts)}], ends [{List(ends)}], axes [{List(axes)}], steps [{List(steps)}]";
        a.Require(starts.Length == 1 && ends.Length == 1 && axes is [{ } axis] && (axis == 1 || axis == channelsAxis) && steps is [1],
            $"it slices a {dims} tensor with {bounds}; the runtime's slice keeps a range of the {what} with step 1: one axis, 1 (or {channelsAxis}), "
            + $"step 1. Slice the {what} only (x[:, a:b]), or compute the part another way.");
        a.Require(starts[0] is not null && ends[0] is not null, $"its bounds ({bounds}) are the batch size; a channel slice's bounds are numbers of {what}.");
        int channels = shape[shape.Rank - 1];
        // ONNX counts negative bounds from the end and clamps them to the dimension (torch writes x[:, a:] with an end of 2⁶³ − 1).
        int Clamped(long bound) => (int)Math.Clamp(bound < 0 ? bound + channels : bound, 0, channels);
        int start = Clamped(starts[0]!.Value), end = Clamped(ends[0]!.Value);
        a.Require(end > start, $"it keeps {what} {start} to {end - 1} of {channels}: none; the runtime's slice keeps at least one.");
        return new ChannelSliceLayer(start, end - start);
    }

    /// <summary>The layers for the Split <paramref name="node"/> of the chain's tensor, of <paramref name="shape"/> (its
    /// layout the runtime's when <paramref name="layoutKept"/>), one per output in order: the parts' sizes as given
    /// (opset 13's input, the attribute before), or equal parts (the last smaller if the channels do not divide, as opset 18's
    /// num_outputs says).</summary>
    /// <exception cref="OnnxImportException">A split along another axis, or sizes that do not add up to the channels.</exception>
    public static IReadOnlyList<ChannelSliceLayer> ReadSplit(NodeProto node, NodeAttributes a, ShapeValues shapes, TensorShape shape, bool layoutKept)
    {
        a.AllowOnly("axis", "split", "num_outputs");
        (string dims, string what, long channelsAxis) = Describe(shape, layoutKept, a);
        long axis = a.Int("axis", 0);
        a.Require(axis == 1 || axis == channelsAxis, $"it splits a {dims} tensor along axis {axis}; the runtime's slice keeps a range of the {what}: "
            + $"axis 1 (or {channelsAxis}). Split the {what} only, or compute the parts another way.");
        int channels = shape[shape.Rank - 1], parts = node.Output.Count;
        long?[] sizes = a.Ints("split") is { } attribute ? attribute.Select(v => (long?)v).ToArray() : shapes.Parameter(node, 1, a)
            ?? Enumerable.Range(0, parts).Select(i => (long?)Math.Min((channels + parts - 1) / parts, channels - i * ((channels + parts - 1) / parts))).ToArray();
        // Each part no larger than the channels before the sum, which then cannot overflow (a trial's [2⁶², 2⁶²] did, an internal error).
        a.Require(sizes.Length == parts && sizes.All(v => v > 0 && v <= channels) && sizes.Sum() == channels, $"it splits {channels} {what} into parts of "
            + $"[{List(sizes)}] for its {parts} outputs; the parts must be positive, one per output, and add up to the {what}.");
        var layers = new List<ChannelSliceLayer>();
        int start = 0;
        foreach (long? size in sizes)
        {
            layers.Add(new ChannelSliceLayer(start, (int)size!.Value));
            start += (int)size.Value;
        }
        return layers;
    }

    /// <summary>The tensor's dimensions and what its axis 1 holds, for messages, and that axis counted from the end;
    /// refused when ONNX's layout of it is not the runtime's.</summary>
    private static (string Dims, string What, long ChannelsAxis) Describe(TensorShape shape, bool layoutKept, NodeAttributes a)
    {
        bool image = ChannelsFirst.IsImage(shape);
        string what = image ? "channels" : "features";
        a.Require(layoutKept, $"it takes part of {shape}, which ONNX holds in another order than the runtime (a flattened channels-first image, or an image "
            + $"transposed to channels-last); the runtime's slice keeps a range of the {what} of its own layout: take the part before the flatten or the Transpose.");
        return (image ? "batch × C × H × W" : "batch × features", what, image ? -3 : -1);
    }

    private static long?[]? Known(long[]? values) => values?.Select(v => (long?)v).ToArray();

    private static string List(long?[] values) => string.Join(", ", values.Select(v => v?.ToString() ?? "batch"));
}
