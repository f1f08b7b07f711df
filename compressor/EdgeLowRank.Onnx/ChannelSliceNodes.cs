using EdgeLowRank.Runtime.Layers;
using Onnx;

namespace EdgeLowRank.Onnx;

/// <summary>
/// ONNX's Slice of the channels read as the runtime's <see cref="ChannelSliceLayer"/>: a slice along axis 1 of an N×C×H×W
/// image (the runtime's last dimension) or of a batch × features vector, with step 1. torch.chunk(x, 2, dim=1) (ShuffleNet's
/// channel split) exports as two Slices of one tensor whose bounds the exporter computes from the tensor's shape
/// (<see cref="ShapeValues"/>); the second reads a tensor the chain has left, so it is a Branch back and a slice, as any
/// node reading an earlier tensor is. A Split has several outputs, which the chain of layers cannot hold at once, and is refused.
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
        bool image = ChannelsFirst.IsImage(shape);
        string dims = image ? "batch × C × H × W" : "batch × features", what = image ? "channels" : "features";
        long channelsAxis = image ? -3 : -1;
        a.Require(layoutKept, $"it slices {shape}, which ONNX holds in another order than the runtime (a flattened channels-first image, or an image "
            + $"transposed to channels-last); the runtime's slice keeps a range of the {what} of its own layout: slice before the flatten or the Transpose.");
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

    /// <summary>The refusal of a Split node, whose outputs the runtime's chain of layers cannot hold at once.</summary>
    public static OnnxImportException Split(NodeAttributes a, string input) =>
        new($"{a.Where}: it splits '{input}' into several outputs at once; the runtime keeps a range of channels with a slice layer, and the import reads "
            + "ONNX's Slice as one (torch 1.13's torch.onnx.export wrote ShuffleNet v2's torch.chunk(x, 2, dim=1) as two Slices), "
            + "but not a Split: export the split as Slices, one per part (x[:, :c], x[:, c:]).");

    private static long?[]? Known(long[]? values) => values?.Select(v => (long?)v).ToArray();

    private static string List(long?[] values) => string.Join(", ", values.Select(v => v?.ToString() ?? "batch"));
}
