namespace EdgeLowRank.Runtime.Format;

/// <summary>How a tensor's elements are ordered in the file.</summary>
internal enum TensorLayout : uint
{
    /// <summary>Row-major (C order): the last dimension varies fastest. Biases, vectors, and since format 1.2 the weight
    /// matrices the writer keeps row-major (docs/FORMAT.md, "Weight matrices").</summary>
    RowMajor = 1,
    /// <summary>A K×N matrix in column panels of 16 (see <see cref="Layers.PackedMatrix"/>), zero padded:
    /// exactly the floats the kernels read, so a mapped file runs in place.</summary>
    Panel16 = 2,
}
