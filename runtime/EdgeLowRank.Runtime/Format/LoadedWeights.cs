using System.Diagnostics;
using System.Runtime.InteropServices;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Format;

/// <summary>
/// The memory a loaded model's weights live in, owned by the <see cref="Model"/> and released with it:
/// the file's bytes (mapped or copied), whose panel-16 matrices and vectors are used in place, and the
/// panels packed at load from the matrices the file stores row-major (since format 1.2). Each row-major
/// tensor is packed once, into its own 64-byte-aligned block, however many layers refer to it, so the
/// packed memory is at most 16× the file's row-major bytes (a one-column matrix fills 1 float of 16).
/// </summary>
internal sealed class LoadedWeights : IDisposable
{
    private readonly Dictionary<TensorEntry, PackedMatrix> _packed = new(ReferenceEqualityComparer.Instance);
    private readonly List<AlignedModelMemory> _blocks = [];

    /// <summary>Takes ownership of <paramref name="file"/>.</summary>
    public LoadedWeights(NativeModelMemory file) => File = file;

    /// <summary>The file's bytes.</summary>
    public NativeModelMemory File { get; }

    /// <summary>Bytes allocated so far for panels packed at load.</summary>
    public long PackedBytes { get; private set; }

    /// <summary>The most this model may allocate for packed panels (<see cref="PackingLimits.Budget"/>): a file written with
    /// the 1/16 padding policy stores row-major only matrices of fewer than 226 columns, which pack to less than 2× when they
    /// have more than 8 (a 784×19 factor: 32/19), and ModelWriter refuses a model whose narrower ones would cross it.</summary>
    public long PackingBudget => PackingLimits.Budget(File.Bytes.Length);

    /// <summary>True once <paramref name="tensor"/> has been packed (a second layer sharing it costs nothing more).</summary>
    public bool IsPacked(TensorEntry tensor) => _packed.ContainsKey(tensor);

    /// <summary>A rank-2 tensor as the kernels read it: a panel-16 one in place, a row-major one packed (once); an int8
    /// one with its scales, in place. The caller has checked that a row-major matrix's packed size fits in an int.</summary>
    public PackedMatrix Matrix(TensorEntry tensor)
    {
        Debug.Assert(tensor.Dims.Length == 2);
        int rows = tensor.Dims[0], columns = tensor.Dims[1];
        bool int8 = tensor.ElementType == ElementType.Int8;
        if (tensor.Layout == TensorLayout.Panel16)
            return int8 ? new PackedMatrix(rows, columns, SignedBytes(tensor), Scales(tensor)) : new PackedMatrix(rows, columns, Vector(tensor));
        if (_packed.TryGetValue(tensor, out PackedMatrix? packed)) return packed;
        long bytes = PackedBytesOf(tensor);
        Debug.Assert(bytes <= PackingLimits.MaxMatrixBytes);
        AlignedModelMemory block = AlignedModelMemory.Allocate((int)bytes);
        _blocks.Add(block);
        PackedBytes += bytes;
        if (int8)
        {
            var panels = block.SignedBytes(0, (int)bytes);
            PackedMatrix.PackInto(SignedBytes(tensor).Span, rows, columns, transposed: false, MemoryMarshal.AsMemory(panels).Span);
            packed = new PackedMatrix(rows, columns, panels, Scales(tensor));
        }
        else
        {
            PackedMatrix.PackInto(Vector(tensor).Span, rows, columns, transposed: false, block.GetSpan());
            packed = new PackedMatrix(rows, columns, block.Memory);
        }
        _packed.Add(tensor, packed);
        return packed;
    }

    /// <summary>The bytes a row-major matrix takes once packed into panels at load.</summary>
    public static long PackedBytesOf(TensorEntry tensor) => PackingLimits.PackedBytes(tensor.Dims[0], tensor.Dims[1], tensor.ElementType);

    /// <summary>The tensor's floats as stored, in place.</summary>
    public ReadOnlyMemory<float> Vector(TensorEntry tensor)
    {
        Debug.Assert(tensor.ElementType == ElementType.Float32, "an int8 tensor's bytes are not floats");
        return File.Floats(tensor.DataOffset, tensor.ElementCount);
    }

    private ReadOnlyMemory<sbyte> SignedBytes(TensorEntry tensor) => File.SignedBytes(tensor.DataOffset, tensor.ElementCount);

    private ReadOnlyMemory<float> Scales(TensorEntry tensor) => File.Floats(tensor.ScaleOffset, tensor.ScaleCount);

    /// <summary>Releases the packed panels and the file.</summary>
    public void Dispose()
    {
        foreach (IDisposable block in _blocks) block.Dispose();
        _blocks.Clear();
        _packed.Clear();
        ((IDisposable)File).Dispose();
    }
}
