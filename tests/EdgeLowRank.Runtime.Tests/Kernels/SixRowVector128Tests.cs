using System.Runtime.CompilerServices;
using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Tests.Kernels;

/// <summary>
/// arm64's dense path: 128-bit panel rows in 6-row GEMM blocks. On x64 without AVX-512 the Vector128 path takes 2-row
/// blocks (16 registers), so the kernel tests there never build a 6-row one; this runs the same driver and micro-kernel
/// with 6-row blocks of <see cref="PanelRow128"/> on any CPU. (CI's arm64 emulation runs the real thing on the golden models.)
/// </summary>
public class SixRowVector128Tests
{
    [Theory]
    [InlineData(6, 784, 300)]   // one full block
    [InlineData(9, 37, 29)]     // a block and a 3-row tail, partial last panel
    [InlineData(64, 300, 100)]  // ten blocks and a 4-row tail
    [InlineData(13, 1, 17)]
    public void Six_row_blocks_of_128_bit_rows_match_the_scalar_reference(int batch, int inputs, int outputs)
    {
        foreach (bool relu in (bool[])[false, true])
        {
            var problem = new DenseCase(batch, inputs, outputs, withBias: true, relu ? Activation.Relu : Activation.None);
            var actual = new float[batch * outputs];
            DenseSimd<SixRows128, Float32Rows<SixRows128>>.Run(problem.X, batch, InputRows.Contiguous(batch, inputs), PanelWeights.Float32(problem.Packed),
                inputs, outputs, problem.Bias, FusedActivation.Of(problem.Activation), actual, PanelShare.Whole);
            problem.AssertMatchesReference(actual, $"6-row Vector128 batch {batch}, {inputs}→{outputs}, relu {relu}");
        }
    }

    /// <summary>The same blocks on int8 weights: what arm64 runs for an int8 model.</summary>
    [Theory]
    [InlineData(6, 784, 300)]
    [InlineData(9, 37, 29)]
    [InlineData(13, 1, 17)]
    public void Six_row_blocks_of_int8_rows_match_the_scalar_reference(int batch, int inputs, int outputs)
    {
        var problem = new DenseCase(batch, inputs, outputs, withBias: true, Activation.Relu);
        PackedMatrix int8 = PackedMatrix.FromRowMajor(problem.RowMajorWeights, inputs, outputs).Quantize();
        var actual = new float[batch * outputs];
        DenseSimd<SixRows128, Int8Rows<SixRows128>>.Run(problem.X, batch, InputRows.Contiguous(batch, inputs), PanelWeights.Of(int8),
            inputs, outputs, problem.Bias, FusedActivation.Relu, actual, PanelShare.Whole);
        Int8KernelTests.AssertMatchesScalar(int8, problem.X, batch, problem.Bias, Activation.Relu, actual, $"6-row Vector128 int8 batch {batch}, {inputs}→{outputs}");
    }

    /// <summary><see cref="PanelRow128"/> with arm64's block height whatever this CPU is.</summary>
    private struct SixRows128(PanelRow128 row) : IPanelRow<SixRows128>
    {
        private PanelRow128 _row = row;

        public static int BlockRows => 6;

        public static SixRows128 Zero => new(PanelRow128.Zero);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static SixRows128 Load(ref readonly float source) => new(PanelRow128.Load(in source));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void MultiplyAdd(float a, in SixRows128 row, ref SixRows128 accumulator) =>
            PanelRow128.MultiplyAdd(a, in row._row, ref accumulator._row);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static SixRows128 Add(SixRows128 left, SixRows128 right) => new(PanelRow128.Add(left._row, right._row));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static SixRows128 LoadInt8(ref readonly sbyte source) => new(PanelRow128.LoadInt8(in source));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static SixRows128 Scale(SixRows128 sum, in SixRows128 scales) => new(PanelRow128.Scale(sum._row, in scales._row));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(SixRows128 sum, ref readonly float bias, FusedActivation activation, ref float destination) =>
            PanelRow128.Store(sum._row, in bias, activation, ref destination);
    }
}
