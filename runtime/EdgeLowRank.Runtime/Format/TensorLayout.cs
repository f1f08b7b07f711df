namespace EdgeLowRank.Runtime.Format;

/// <summary>How a tensor's elements are ordered in the file.</summary>
public enum TensorLayout : uint
{
    /// <summary>Row-major (C order): the last dimension varies fastest. Biases and vectors.</summary>
    RowMajor = 1,
    /// <summary>A K×N matrix in column panels of 16 (see <see cref="Layers.PackedMatrix"/>), zero padded:
    /// exactly the floats the kernels read, so a mapped file runs in place.</summary>
    Panel16 = 2,
}
