using EdgeLowRank.Runtime.Layers;
using Onnx;

namespace EdgeLowRank.Onnx;

// Paths: where the chain leaves its tensor for an earlier one (a Branch, a Split's later part), the tensors that joins or
// several nodes read, and the residual Add that ends a path.
internal sealed partial class GraphWalk
{
    /// <summary>A node whose <paramref name="data"/> inputs leave out the chain's tensor: the chain continues from the earlier
    /// tensor of the chain it reads (a shortcut with nodes of its own starts, or an Add of two such tensors reads one as the
    /// chain's), through a <see cref="BranchLayer"/> unless it is the same activation.</summary>
    private void Branch(string[] data, int index, NodeAttributes a)
    {
        string target = _residuals.BranchTarget(data, a)
            ?? throw new OnnxImportException($"{a.Where}: its input is not a tensor of the chain of nodes from the graph's input (the chain is at "
                + $"'{_current}'); only a chain of nodes is supported, with paths that Adds or Concats join: {ResidualNodes.Shortcuts}; {ConcatNodes.Joins}.");
        if (_residuals.Branch(target, _current, index, _layers.Count, a) is { } source) Add(new BranchLayer(source));
        _current = target;
        _flattenedImage = null;  // a tensor the chain may continue from is an activation: neither a channels-first flatten ...
        _channelsLast = false;   // ... nor transposed to channels-last ...
        _squeezed = null;        // ... nor squeezed on its way to a vector
    }

    /// <summary>A Split of the chain's tensor: the first output's slice now; each other output's slice where a node first
    /// reads it (<see cref="SplitPart"/>), since the chain holds one tensor at a time.</summary>
    private void SplitChannels(NodeProto node, NodeAttributes a, HashSet<string> used)
    {
        if (node.Output.FirstOrDefault(o => !used.Contains(o)) is { } unused)
            throw new OnnxImportException($"{a.Where}: its output '{unused}' is read by no node; the runtime's slices are read, each part a path that an "
                + $"Add or a Concat joins: {ConcatNodes.Joins}. Leave out the part, or slice only what is read (x[:, a:b], a Slice).");
        IReadOnlyList<ChannelSliceLayer> slices = ChannelSliceNodes.ReadSplit(node, a, _shapes, _shape, layoutKept: _flattenedImage is null && !_channelsLast);
        for (int i = 1; i < slices.Count; i++) _splitParts[node.Output[i]] = (_current, slices[i]);
        Add(slices[0]);
        _current = node.Output[0];
        Reached();
    }

    /// <summary>A Split's later output <paramref name="part"/>, first read by node <paramref name="index"/>: a Branch back to
    /// the Split's input, then the part's slice, as two Slices of one tensor import.</summary>
    private void SplitPart(string part, int index, NodeAttributes a)
    {
        (string source, ChannelSliceLayer slice) = _splitParts[part];
        _splitParts.Remove(part);
        Branch([source], index, a);
        Add(slice);
        _current = part;
        Reached();
    }

    /// <summary>The chain is at <see cref="_current"/>. If a join (a residual Add, a Concat) or a second node (a path's first) reads that
    /// tensor, it must be an activation of the runtime model: the layer that made it is finished (no bias, batch norm, Relu
    /// or second factor joins it, so a Relu after it becomes a layer of its own), and the tensor is recorded as that
    /// activation, or with why it cannot be one.</summary>
    private void Reached()
    {
        if (!_residuals.IsShared(_current)) return;
        Settle();
        _open = _factorable = _reluJoins = false;
        string? notAnActivation = _shuffle.UnderWay ? $"{_shuffle.Middle}; read the tensor before the shuffle or after it"
            : _squeezed is not null ? $"squeezed to {Squeezed}, which the runtime has no tensor of; read the tensor before the Squeeze or after the one that makes it a vector"
            : _normalization is { IsIdentity: false }
            ? "the input under a normalization that the import folds into the first Gemm, MatMul or Conv or keeps as a layer before it (Sub, Div, "
                + "Mul or Add of a constant in the graph, or the mean and std given to the import): the runtime model takes the input unnormalized, so "
                + "this tensor is none of its activations; normalize the pixels before the network, or add the input as it comes"
            : _flattenedImage is not null
                ? "a flattened channels-first image, whose elements ONNX orders (c, h, w) and the runtime (h, w, c); join (add or concatenate) the "
                    + "images before the flatten, or flatten after a Transpose to channels-last"
                : _channelsLast
                    ? "an image after a Transpose to channels-last, which ONNX holds (h, w, c) where the chain's other images are (c, h, w) (the "
                        + "import follows that layout only into a flatten); join the images before the Transpose"
                    : null;
        _residuals.Record(_current, _layers.Count, _shape, notAnActivation);
    }

    /// <summary>Why nothing may be folded into the layer before the current tensor when a residual Add or another node reads
    /// that tensor; empty otherwise.</summary>
    private string AlsoAnOperand() => _residuals.IsShared(_current)
        ? $"; its input '{_current}' is also read by a residual Add, a Concat or another node, so it must stay the output of the layer before it, and the "
            + "runtime has no layer that adds a bias or a batch normalization alone: let the join or the other path read the tensor after them"
        : "";

    /// <summary>A squeeze-and-excitation gate: an earlier activation times the chain's tensor, one value per channel.</summary>
    private void Scale(NodeProto node, NodeAttributes a)
    {
        bool gateAsImage = _vectorAsImage;
        _vectorAsImage = false;
        Add(ChannelScaleNodes.Read(node, a, _current, _layers.Count, _shape, gateAsImage, layoutKept: _flattenedImage is null && !_channelsLast, _residuals));
    }

    /// <summary>A residual connection: the chain's tensor plus an earlier activation; a Relu after it joins it.</summary>
    private void Residual(NodeProto node, NodeAttributes a)
    {
        a.AllowOnly();
        Add(_residuals.Read(node, a, _current, _layers.Count, _weights));
        _reluJoins = true;
    }
}
