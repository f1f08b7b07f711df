using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Tests.Kernels;

/// <summary>A matrix product split by output panels (<see cref="PanelShare"/>): the parts deal out every panel once, and
/// run in any order, as threads do, they compute exactly what one call for the whole computes.</summary>
public class PanelShareTests
{
    [Fact]
    public void Every_panel_goes_to_one_part_and_the_partial_one_goes_with_panel_0()
    {
        for (int columns = 1; columns <= 200; columns++)
        {
            int panels = PackedMatrix.PanelsFor(columns);
            bool hasPartial = columns % PackedMatrix.PanelWidth != 0;
            for (int parts = 1; parts <= PanelShare.MostParts(columns); parts++)
            {
                var owners = new int[panels];
                for (int part = 0; part < parts; part++)
                {
                    new PanelShare(part, parts).Panels(columns, out int firstFull, out int endFull, out bool partial);
                    int count = endFull - firstFull + (partial ? 1 : 0);
                    Assert.True(parts == 1 || count >= 2, $"{columns} columns, part {part} of {parts}: {count} panel");
                    for (int panel = firstFull; panel < endFull; panel++) owners[panel]++;
                    if (partial) owners[panels - 1]++;
                    if (partial) Assert.Equal(0, firstFull); // the partial panel's spill lands in panel 0 of the next row
                    for (int column = 0; column < columns; column++)
                    {
                        int panel = column / PackedMatrix.PanelWidth;
                        bool held = hasPartial && panel == panels - 1 ? partial : panel >= firstFull && panel < endFull;
                        Assert.Equal(held, new PanelShare(part, parts).Holds(column, columns));
                    }
                }
                Assert.All(owners, owner => Assert.Equal(1, owner));
            }
        }
    }

    [Theory]
    [InlineData(16, 1)]
    [InlineData(31, 1)]   // a full panel and a partial one: one part
    [InlineData(32, 1)]
    [InlineData(64, 2)]
    [InlineData(72, 2)]   // five panels
    [InlineData(1000, 31)]
    public void A_part_gets_two_panels_at_least(int columns, int mostParts) => Assert.Equal(mostParts, PanelShare.MostParts(columns));

    public static TheoryData<KernelPath, int, int, int> SplitCases()
    {
        var data = new TheoryData<KernelPath, int, int, int>();
        foreach (KernelPath path in (KernelPath[])[KernelPath.Scalar, KernelPath.Vector128, KernelPath.Vector256, KernelPath.Vector512])
        {
            data.Add(path, 1, 100, 2);   // batch 1 (the GEMV), a partial panel of 4 columns
            data.Add(path, 1, 1000, 5);  // ResNet-18's classifier at one image: 62 panels and 8 columns
            data.Add(path, 7, 100, 3);   // the GEMM: blocks and a tail, the partial panel stored straight into Y
            data.Add(path, 7, 40, 1);
            data.Add(path, 13, 64, 2);   // full panels only
            data.Add(path, 13, 72, 2);
            data.Add(path, 13, 200, 6);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(SplitCases))]
    public void Parts_run_in_any_order_compute_what_the_whole_computes(KernelPath path, int batch, int outputs, int parts)
    {
        var problem = new DenseCase(batch, 37, outputs, withBias: true, Activation.Relu, seed: outputs);
        PanelWeights weights = PanelWeights.Float32(problem.Packed);
        float[] whole = Product(problem, weights, path, [PanelShare.Whole]);
        // Backwards, a partial panel dealt to a part without panel 0 would spill over panel 0's finished columns.
        PanelShare[] shares = Enumerable.Range(0, parts).Select(part => new PanelShare(part, parts)).ToArray();
        Assert.Equal(whole, Product(problem, weights, path, shares));
        Assert.Equal(whole, Product(problem, weights, path, shares.Reverse().ToArray()));
        problem.AssertMatchesReference(whole, $"{path}, whole");
    }

    [Theory]
    [InlineData(KernelPath.Vector128)]
    [InlineData(KernelPath.Vector256)]
    public void Parts_of_an_int8_product_compute_what_the_whole_computes(KernelPath path)
    {
        var problem = new DenseCase(5, 61, 90, withBias: true, Activation.None, seed: 3);
        PackedMatrix int8 = PackedMatrix.FromRowMajor(problem.RowMajorWeights, problem.Inputs, problem.Outputs).Quantize();
        float[] whole = Product(problem, PanelWeights.Of(int8), path, [PanelShare.Whole]);
        Assert.Equal(whole, Product(problem, PanelWeights.Of(int8), path, [new PanelShare(2, 3), new PanelShare(1, 3), new PanelShare(0, 3)]));
    }

    /// <summary>Y from the <paramref name="shares"/> run one after another in that order into one buffer, which was
    /// NaN before (a column no part computes stays NaN) and has guards after Y (no part stores past its end).</summary>
    private static float[] Product(DenseCase problem, PanelWeights weights, KernelPath path, PanelShare[] shares)
    {
        int length = problem.Batch * problem.Outputs;
        var buffer = new float[length + 32];
        Array.Fill(buffer, float.NaN);
        buffer.AsSpan(length).Fill(-1.5f);
        foreach (PanelShare share in shares)
            DenseKernel.RunRows(problem.X, problem.Batch, InputRows.Contiguous(problem.Batch, problem.Inputs), weights, problem.Inputs,
                problem.Outputs, problem.Bias, FusedActivation.Of(problem.Activation), buffer.AsSpan(0, length), path, share);
        Assert.All(buffer[length..], guard => Assert.Equal(-1.5f, guard));
        return buffer[..length];
    }
}
