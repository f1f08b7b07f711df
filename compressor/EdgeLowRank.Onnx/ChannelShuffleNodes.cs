using EdgeLowRank.Runtime.Layers;
using Onnx;

namespace EdgeLowRank.Onnx;

/// <summary>
/// ShuffleNet's channel shuffle read as the runtime's <see cref="ChannelShuffleLayer"/>. PyTorch writes it as
/// x.view(n, g, c / g, h, w).transpose(1, 2).reshape(n, c, h, w), which ONNX holds as three nodes: a Reshape into g groups
/// of channels, a Transpose of the groups (perm 0, 2, 1, 3, 4) and a Reshape back; a batch × features vector's analogue
/// is (n, g, c / g), perm 0, 2, 1, (n, c). The walk meets them one at a time: the first Reshape starts the pattern here,
/// the Transpose continues it and the second Reshape ends it with one layer. Between them only the computation of the
/// second shape may come; any other node, and a tensor in the middle that another node reads (the 5-D groups), is refused.
/// </summary>
internal sealed class ChannelShuffleNodes
{
    private int _groups;         // the groups of a shuffle under way, 0 when none is
    private bool _transposed;    // its Transpose came
    private string _start = "";  // where it started, for messages

    /// <summary>Whether a shuffle is under way: its first Reshape came, not its last.</summary>
    public bool UnderWay => _groups > 0;

    /// <summary>What the middle of a shuffle is, for messages: a tensor there is no activation of the runtime.</summary>
    public string Middle => $"the middle of the channel shuffle that {_start} starts (the channels in {_groups} groups, a tensor of one more dimension), "
        + "no activation of the runtime";

    /// <summary>Starts a shuffle when <paramref name="target"/> (a Reshape's shape, null for the batch size) splits the
    /// channels of <paramref name="shape"/> (in ONNX's layout) into two or more groups; false for any other reshape.</summary>
    public bool TryStart(long?[] target, TensorShape shape, NodeAttributes a, long? fixedBatch)
    {
        int[] dims = ChannelsFirst.OnnxShape(shape);
        if (target.Length != dims.Length + 2 || Resolved(target, dims, fixedBatch) is not { } grouped) return false;
        long groups = grouped[0];
        if (groups < 2 || grouped[1] * groups != dims[0] || !grouped[2..].SequenceEqual(dims[1..].Select(d => (long)d))) return false;
        (_groups, _transposed, _start) = ((int)groups, false, a.Where);
        return true;
    }

    /// <summary>The shuffle's Transpose of the groups (<see cref="RequireNext"/> let no other node come first).</summary>
    /// <exception cref="OnnxImportException">Another permutation.</exception>
    public void Transpose(NodeAttributes a, int rank)
    {
        a.AllowOnly("perm");
        long[] swap = [0, 2, 1, .. Enumerable.Range(3, rank - 3).Select(i => (long)i)];
        a.Require((a.Ints("perm", rank) ?? []).SequenceEqual(swap), $"{_start} split the channels into {_groups} groups, the first step of a "
            + $"channel shuffle; expected its second, one Transpose of the groups (perm {string.Join(", ", swap)}), then a Reshape back. Only that pattern "
            + "(ShuffleNet's channel_shuffle) is read with groups of channels.");
        _transposed = true;
    }

    /// <summary>The layer for the shuffle's last Reshape, to <paramref name="target"/>, back to <paramref name="shape"/>
    /// (<see cref="RequireNext"/> let it come only after the Transpose).</summary>
    /// <exception cref="OnnxImportException">The Reshape is not back to the shape before the shuffle.</exception>
    public ChannelShuffleLayer Finish(long?[] target, TensorShape shape, NodeAttributes a, long? fixedBatch)
    {
        int[] dims = ChannelsFirst.OnnxShape(shape);
        bool back = target.Length == dims.Length + 1 && Resolved(target, dims, fixedBatch) is { } resolved && resolved.SequenceEqual(dims.Select(d => (long)d));
        a.Require(back, $"{_start} split the channels into {_groups} groups and a Transpose swapped the groups; a channel shuffle ends with a Reshape "
            + $"back to (batch, {string.Join(", ", dims)}), and this Reshape is to "
            + $"({string.Join(", ", target.Select(d => d?.ToString() ?? "batch"))}). Only that pattern (ShuffleNet's channel_shuffle) is read.");
        var layer = new ChannelShuffleLayer(_groups);
        _groups = 0;
        return layer;
    }

    /// <summary>Refuses <paramref name="node"/> while a shuffle is under way unless it is the shuffle's next step (the
    /// Transpose, then the Reshape) of the chain's tensor <paramref name="current"/>.</summary>
    public void RequireNext(NodeProto node, string current, NodeAttributes a)
    {
        if (!UnderWay) return;
        string next = _transposed ? "Reshape back" : "Transpose of the groups";
        a.Require(node.OpType == (_transposed ? "Reshape" : "Transpose") && node.Input.FirstOrDefault() == current,
            $"it comes in the middle of the channel shuffle that {_start} starts (the channels of '{current}' in {_groups} groups); expected the shuffle's "
            + $"{next} of '{current}', and only the computation of its shape between them. Only that pattern (ShuffleNet's channel_shuffle) is read.");
    }

    /// <summary>The entries after the batch of a Reshape's <paramref name="target"/> of a tensor whose sample has
    /// <paramref name="dims"/>, with a −1 inferred; null when the batch entry is not the batch (null, 0, −1 or the graph's
    /// fixed batch) or another entry is 0 or not a number.</summary>
    private static long[]? Resolved(long?[] target, int[] dims, long? fixedBatch)
    {
        long?[] rest = target[1..];
        bool batch = target[0] is null or 0 || target[0] == fixedBatch || target[0] == -1 && !rest.Contains(-1);
        if (!batch || rest.Any(d => d is null or 0 or < -1) || rest.Count(d => d == -1) > 1) return null;
        long elements = dims.Aggregate(1L, (p, d) => p * d), known = rest.Where(d => d != -1).Aggregate(1L, (p, d) => p * d!.Value);
        if (known == 0 || elements % known != 0) return null;
        return rest.Select(d => d == -1 ? elements / known : d!.Value).ToArray();
    }
}
