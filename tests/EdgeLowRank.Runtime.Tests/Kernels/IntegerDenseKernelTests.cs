using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Tests.Kernels;

/// <summary>The integer product (<see cref="IntegerDenseKernel"/>): its sums are exact, so every SIMD path gives the scalar
/// reference's bits, for GEMV and batches, partial panels, odd depths and every epilogue; and the reference stays within the
/// quantization's own error bound of the float64 product of the weights' values.</summary>
public class IntegerDenseKernelTests
{
    /// <summary>The SIMD paths this machine runs: the lanes call x64 or arm64 instructions by name, so a width without
    /// hardware has no software stand-in.</summary>
    internal static KernelPath[] SimdPaths { get; } =
        [.. ((KernelPath[])[KernelPath.Vector128, KernelPath.Vector256, KernelPath.Vector512]).Where(KernelPaths.IsSupported)];

    public static TheoryData<KernelPath> Paths => new(SimdPaths);

    [Theory, MemberData(nameof(Paths))]
    public void EveryPathGivesTheReferencesBits(KernelPath path) =>
        EveryCaseGivesTheReferencesBits((x, batch, weights, bias, activation) => Run(x, batch, weights, bias, activation, path));

    /// <summary>Every kind of lanes this CPU runs, by name: a path takes the best one (the dot product of four bytes where x64
    /// has it), so the others are reached here.</summary>
    public static TheoryData<string> LanesHere => new(LanesNamesHere);

    private static string[] LanesNamesHere => [.. LanesRunners.Where(l => l.Value.Supported).Select(l => l.Key)];

    [Theory, MemberData(nameof(LanesHere))]
    public void EveryKindOfLanesGivesTheReferencesBits(string lanes) =>
        EveryCaseGivesTheReferencesBits(LanesRunners[lanes].Run);

    [Fact]
    public void AVX2AndAVX512CPUsRunTheirLanesHere()
    {
        // So the theory above cannot pass empty on the machines CI runs on (x64 with AVX2 at least).
        if (System.Runtime.Intrinsics.X86.Avx2.IsSupported) Assert.Contains(nameof(IntegerLanes256), LanesNamesHere);
        if (System.Runtime.Intrinsics.X86.Avx512BW.IsSupported) Assert.Contains(nameof(IntegerLanes512), LanesNamesHere);
        if (System.Runtime.Intrinsics.X86.AvxVnni.IsSupported) Assert.Contains(nameof(IntegerDotLanes256), LanesNamesHere);
    }

    private delegate float[] Runner(float[] x, int batch, PackedMatrix weights, float[] bias, FusedActivation activation);

    private static readonly Dictionary<string, (bool Supported, Runner Run)> LanesRunners = new()
    {
        [nameof(IntegerLanes128)] = (IntegerLanes128.IsSupported, RunWith<IntegerLanes128, ushort>),
        [nameof(IntegerLanes256)] = (IntegerLanes256.IsSupported, RunWith<IntegerLanes256, ushort>),
        [nameof(IntegerLanes512)] = (IntegerLanes512.IsSupported, RunWith<IntegerLanes512, ushort>),
        [nameof(IntegerDotLanes256)] = (IntegerDotLanes256.IsSupported, RunWith<IntegerDotLanes256, byte>),
    };

    private static void EveryCaseGivesTheReferencesBits(Runner run)
    {
        foreach (int batch in (int[])[0, 1, 2, 5, 9])
            foreach (var (inputs, outputs) in ((int, int)[])[(1, 1), (3, 16), (4, 17), (5, 15), (37, 29), (64, 48), (300, 10), (784, 30)])
                foreach (FusedActivation activation in (FusedActivation[])[FusedActivation.None, FusedActivation.Relu, FusedActivation.Relu6, FusedActivation.HardSwish])
                    foreach (bool bias in (bool[])[false, true])
                    {
                        var random = new Random(batch * 1000 + inputs + outputs);
                        PackedMatrix weights = PackedMatrix.FromRowMajor(RandomData.Uniform(random, inputs * outputs), inputs, outputs).Quantize();
                        float[] x = RandomData.Uniform(random, batch * inputs, -3, 5);
                        float[] b = bias ? RandomData.Uniform(random, outputs) : [];
                        Assert.Equal(Run(x, batch, weights, b, activation, KernelPath.Scalar), run(x, batch, weights, b, activation));
                    }
    }

    /// <summary>The product with the lanes <typeparamref name="TLanes"/>, on rows quantized by the reference (and narrowed to
    /// bytes, which the lanes of 16-bit levels do not read).</summary>
    private static float[] RunWith<TLanes, TLevel>(float[] x, int batch, PackedMatrix weights, float[] bias, FusedActivation activation)
        where TLanes : struct, IIntegerPanelLanes<TLevel> where TLevel : unmanaged
    {
        var y = new float[batch * weights.Columns];
        Array.Fill(y, -12345.5f);
        var scratch = new float[IntegerDenseKernel.ScratchFloats(batch, weights.Rows)];
        QuantizedRows rows = IntegerDenseKernel.Quantize(x, batch, weights.Rows, scratch, KernelPath.Scalar);
        rows.NarrowToBytes();
        IntegerDenseKernel.Products<TLanes, TLevel>(weights.IntegerPanels, bias, activation, y, rows, batch, PanelShare.Whole);
        return y;
    }

    [Theory, MemberData(nameof(Paths))]
    public void TheLargestSumsStayExact(KernelPath path) =>
        TheLargestSumsStayExactWith((x, batch, weights, bias, activation) => Run(x, batch, weights, bias, activation, path));

    [Theory, MemberData(nameof(LanesHere))]
    public void TheLargestSumsStayExactWithEveryKindOfLanes(string lanes) => TheLargestSumsStayExactWith(LanesRunners[lanes].Run);

    private static void TheLargestSumsStayExactWith(Runner run)
    {
        // Every input at the top level against weights of ±127: the sums reach 255·127·K, the most an int32 is trusted with.
        const int inputs = Layer.MaxIntegerInputs, outputs = 17;
        var q = new sbyte[inputs * outputs];
        for (int i = 0; i < q.Length; i++) q[i] = (i % outputs) switch { 0 => 127, 1 => -127, _ => (sbyte)(i % 255 - 127) };
        var scales = Enumerable.Repeat(1f / 127, outputs).ToArray();
        PackedMatrix weights = PackedMatrix.FromRowMajor(q, scales, inputs, outputs);
        float[] x = Enumerable.Repeat(1f, inputs).ToArray();
        x[0] = -1e-30f; // lo just below 0: zero point 0, every other input level 255
        float[] y = run(x, 1, weights, [], FusedActivation.None);
        Assert.Equal(Run(x, 1, weights, [], FusedActivation.None, KernelPath.Scalar), y);
        Assert.Equal(inputs - 1, y[0], 0.02); // 255·127·(K − 1) exact in the sum, then scaled by s·s_w = (1/255)·(1/127)
        Assert.Equal(-(inputs - 1), y[1], 0.02);
    }

    [Fact]
    public void TheReferenceStaysWithinTheQuantizationErrorOfTheFloatProduct()
    {
        var random = new Random(3);
        const int inputs = 300, outputs = 40, batch = 4;
        PackedMatrix weights = PackedMatrix.FromRowMajor(RandomData.Uniform(random, inputs * outputs), inputs, outputs).Quantize();
        float[] x = RandomData.Uniform(random, batch * inputs, -1, 2), bias = RandomData.Uniform(random, outputs);
        float[] y = Run(x, batch, weights, bias, FusedActivation.None, KernelPath.Scalar);
        for (int m = 0; m < batch; m++)
        {
            ReadOnlySpan<float> row = x.AsSpan(m * inputs, inputs);
            double step = (Math.Max(0, row.ToArray().Max()) - Math.Min(0, row.ToArray().Min())) / 255;
            for (int n = 0; n < outputs; n++)
            {
                double exact = bias[n], bound = 1e-5;
                for (int k = 0; k < inputs; k++)
                {
                    exact += row[k] * (double)weights[k, n];
                    bound += Math.Abs(weights[k, n]) * step / 2; // each input moves by at most half a step
                }
                Assert.True(Math.Abs(y[m * outputs + n] - exact) <= bound, $"y[{m}, {n}] = {y[m * outputs + n]}, float64 {exact}, bound {bound}");
            }
        }
    }

    [Fact]
    public void ARowWithNaNGivesNaNOutputsAndLeavesTheOthers()
    {
        var random = new Random(9);
        PackedMatrix weights = PackedMatrix.FromRowMajor(RandomData.Uniform(random, 20 * 18), 20, 18).Quantize();
        float[] x = RandomData.Uniform(random, 2 * 20);
        float[] clean = Run(x, 2, weights, [], FusedActivation.None, KernelPath.Scalar);
        x[25] = float.NaN;
        foreach (KernelPath path in (KernelPath[])[KernelPath.Scalar, .. SimdPaths])
        {
            float[] y = Run(x, 2, weights, [], FusedActivation.None, path);
            Assert.Equal(clean[..18], y[..18]);
            Assert.All(y[18..], value => Assert.True(float.IsNaN(value)));
        }
    }

    [Fact]
    public void ThePublicEntryRefusesFloatWeightsAndWrongLengths()
    {
        var random = new Random(1);
        PackedMatrix floats = PackedMatrix.FromRowMajor(RandomData.Uniform(random, 8 * 5), 8, 5);
        var error = Assert.Throws<ArgumentException>(() => IntegerDenseKernel.Run(new float[8], 1, floats, [], Activation.None, new float[5]));
        Assert.Contains("must be int8", error.Message);
        PackedMatrix int8 = floats.Quantize();
        Assert.Throws<ArgumentException>(() => IntegerDenseKernel.Run(new float[7], 1, int8, [], Activation.None, new float[5]));
        Assert.Throws<ArgumentException>(() => IntegerDenseKernel.Run(new float[8], 1, int8, [], Activation.None, new float[4]));
        var y = new float[5];
        IntegerDenseKernel.Run(RandomData.Uniform(random, 8), 1, int8, [], Activation.Relu, y);
        Assert.All(y, value => Assert.True(value >= 0));
    }

    private static float[] Run(float[] x, int batch, PackedMatrix weights, float[] bias, FusedActivation activation, KernelPath path)
    {
        var y = new float[batch * weights.Columns];
        Array.Fill(y, -12345.5f);
        var scratch = new float[IntegerDenseKernel.ScratchFloats(batch, weights.Rows)];
        IntegerDenseKernel.RunValidated(x, batch, weights, bias, activation, y, scratch, path);
        return y;
    }
}
