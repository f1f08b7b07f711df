using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Tests.Execution;

/// <summary>Concat layers in a session: paths joined by stacking their channels read the earlier path's output from the
/// buffer the plan held it in, in either order, and give what the paths give apart, stacked by hand.</summary>
public class ConcatSessionTests
{
    /// <summary>A SqueezeNet Fire module over a 12×12×8 image: squeeze 1×1 to 6 (ReLU), expand 1×1 to 10 (ReLU), Branch back
    /// to the squeeze's output, expand 3×3 padded to 14 (ReLU), Concat of the expand 1×1 output (24 channels, in
    /// <paramref name="inputFirst"/>'s order), then a 1×1 convolution to 16 that reads the stacked channels.
    /// <paramref name="paths"/> leaves out the join: "e1" and "e3" are the squeeze and one expand path alone.</summary>
    private static Model Fire(bool inputFirst, string paths = "fire")
    {
        var random = new Random(12);
        Layer squeeze = new Conv2dLayer(TestModels.RandomMatrix(random, 8, 6), TestModels.RandomFloats(random, 6, 0.1f), 8, new ConvolutionGeometry(1), Activation.Relu);
        Layer expand1 = new Conv2dLayer(TestModels.RandomMatrix(random, 6, 10), TestModels.RandomFloats(random, 10, 0.1f), 6, new ConvolutionGeometry(1), Activation.Relu);
        Layer expand3 = new Conv2dLayer(TestModels.RandomMatrix(random, 9 * 6, 14), TestModels.RandomFloats(random, 14, 0.1f), 6, new ConvolutionGeometry(3, 1, 1), Activation.Relu);
        Layer mix = new Conv2dLayer(TestModels.RandomMatrix(random, 24, 16), TestModels.RandomFloats(random, 16, 0.1f), 24, new ConvolutionGeometry(1));
        Layer[] layers = paths switch
        {
            "e1" => [squeeze, expand1],
            "e3" => [squeeze, expand3],
            _ => [squeeze, expand1, new BranchLayer(1), expand3, new ConcatLayer(2, inputFirst), mix],
        };
        return new Model(new TensorShape(12, 12, 8), layers, new ModelMetadata());
    }

    /// <summary>Each pixel's channels of <paramref name="first"/> (<paramref name="a"/> of them), then those of
    /// <paramref name="second"/> (<paramref name="b"/>).</summary>
    private static float[] Stacked(float[] first, int a, float[] second, int b) =>
        Enumerable.Range(0, first.Length / a).SelectMany(p => first.Skip(p * a).Take(a).Concat(second.Skip(p * b).Take(b))).ToArray();

    /// <summary>What <see cref="Fire"/> holds before its last convolution: the two expand paths run apart and stacked.</summary>
    private static float[] FireJoin(bool inputFirst, float[] input, int batch, KernelPath path)
    {
        float[] Run(string paths)
        {
            using Model model = Fire(inputFirst, paths);
            using var session = new InferenceSession(model, new SessionOptions { KernelPath = path });
            var output = new float[batch * session.OutputLength];
            session.Run(input, output, batch);
            return output;
        }
        float[] e1 = Run("e1"), e3 = Run("e3");
        return inputFirst ? Stacked(e3, 14, e1, 10) : Stacked(e1, 10, e3, 14);
    }

    public static TheoryData<bool, KernelPath, int> FireCases()
    {
        var data = new TheoryData<bool, KernelPath, int>();
        foreach (bool inputFirst in (bool[])[false, true])
            foreach (KernelPath path in (KernelPath[])[KernelPath.Auto, KernelPath.Vector128, KernelPath.Scalar])
                foreach (int batch in (int[])[1, 3])
                    data.Add(inputFirst, path, batch);
        return data;
    }

    [Theory]
    [MemberData(nameof(FireCases))]
    public void A_fire_module_stacks_what_its_paths_compute_apart_bit_for_bit(bool inputFirst, KernelPath path, int batch)
    {
        // The join itself, read through a 1×1 convolution whose weights are the identity: the session's output is the Concat's.
        using Model fire = Fire(inputFirst);
        var identity = new float[24 * 24];
        for (int c = 0; c < 24; c++) identity[c * 24 + c] = 1;
        var layers = fire.Layers.Take(5).Append(new Conv2dLayer(PackedMatrix.FromRowMajor(identity, 24, 24), ReadOnlyMemory<float>.Empty, 24, new ConvolutionGeometry(1))).ToArray();
        using var joined = new Model(fire.InputShape, layers, new ModelMetadata());
        using var session = new InferenceSession(joined, new SessionOptions { KernelPath = path });
        float[] input = TestModels.RandomFloats(new Random(batch), batch * session.InputLength);
        var output = new float[batch * session.OutputLength];

        session.Run(input, output, batch);

        Assert.Equal(FireJoin(inputFirst, input, batch, path), output);
    }

    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 1)]
    [InlineData(false, 64)]
    public void Threads_compute_what_one_computes_whether_they_split_the_batch_or_the_layers(bool inputFirst, int batch)
    {
        using Model model = Fire(inputFirst);
        using var one = new InferenceSession(model);
        using var two = new InferenceSession(model, new SessionOptions { Threads = 2 });
        float[] input = TestModels.RandomFloats(new Random(3), batch * one.InputLength);
        float[] expected = new float[batch * one.OutputLength], actual = new float[expected.Length];

        one.Run(input, expected, batch);
        two.Run(input, actual, batch);

        Assert.Equal(expected, actual);
    }

    /// <summary>Dense 12→20 (ReLU), then three paths from its output (Dense to 7, 5 and 9) joined in two Concats, the second
    /// with the input first, then a Concat of the model's input and Dense → 4: vectors, a three-way join and the caller's span.</summary>
    private static Model ThreeWayMlp()
    {
        var random = new Random(33);
        Layer Dense(int inputs, int outputs, Activation activation = Activation.None) =>
            new DenseLayer(TestModels.RandomMatrix(random, inputs, outputs), TestModels.RandomFloats(random, outputs, 0.1f), activation);
        return new Model(new TensorShape(12),
        [
            Dense(12, 20, Activation.Relu), // 0 → a1
            Dense(20, 7),                   // 1 → a2
            new BranchLayer(1),             // 2 → a1
            Dense(20, 5, Activation.Relu),  // 3 → a4
            new ConcatLayer(2),             // 4 → a5 = [a2, a4], 12
            new BranchLayer(1),             // 5 → a1
            Dense(20, 9),                   // 6 → a7
            new ConcatLayer(5, inputFirst: true), // 7 → [a7, a5], 21
            new ConcatLayer(0),             // 8 → [input, …], 33
            Dense(33, 4),
        ], new ModelMetadata());
    }

    [Theory]
    [MemberData(nameof(InferenceSessionTests.Paths), MemberType = typeof(InferenceSessionTests))]
    public void A_three_way_join_of_vectors_matches_the_float64_reference_for_every_sample_of_a_split_batch(KernelPath path)
    {
        using Model model = ThreeWayMlp();
        using var session = new InferenceSession(model, new SessionOptions { MaxBatchSize = 8, KernelPath = path });
        float[] input = TestModels.RandomFloats(new Random(6), 19 * session.InputLength);
        float[] original = (float[])input.Clone();

        ReferenceAssert.Matches(model, session, input);
        Assert.Equal(original, input); // the Concat of the model's input read the caller's span
    }

    [Fact]
    public void Steps_name_what_they_join_and_the_plan_holds_each_joined_path()
    {
        using Model model = ThreeWayMlp();
        using var session = new InferenceSession(model);

        Assert.Equal(["Dense+Relu 12→20", "Dense 20→7", "Dense+Relu 20→5", "Concat 5→12 ← 2", "Dense 20→9", "Concat 9→21 → 5", "Concat 21→33 ← 0", "Dense 33→4"],
            session.Steps.Select(s => s.Name));
        Assert.Equal(["Concat ← 2", "Concat → 5", "Concat ← 0"], model.Layers.OfType<ConcatLayer>().Select(c => c.Label));
        Assert.Contains(ConcatLayer.LabelLegend, model.LabelLegends);
        // a1 until the last Branch to it has been read, a2 until the first Concat, a5 until the second: three held buffers.
        Assert.Equal(5, MemoryPlan.Build(model, 1).BufferCount);
    }

    [Fact]
    public void A_model_refuses_a_concat_of_another_image_size_or_of_a_later_activation()
    {
        var random = new Random(2);
        Layer Conv(int stride) => new Conv2dLayer(TestModels.RandomMatrix(random, 9 * 3, 3), ReadOnlyMemory<float>.Empty, 3, new ConvolutionGeometry(3, stride, 1));

        var size = Assert.Throws<ArgumentException>(() => new Model(new TensorShape(8, 8, 3), [Conv(2), new ConcatLayer(0)], new ModelMetadata()));
        var ahead = Assert.Throws<ArgumentException>(() => new Model(new TensorShape(8, 8, 3), [Conv(1), new ConcatLayer(1)], new ModelMetadata()));
        var rank = Assert.Throws<ArgumentException>(() => new Model(new TensorShape(8, 8, 3), [new FlattenLayer(), new ConcatLayer(0)], new ModelMetadata()));
        var dead = Assert.Throws<ArgumentException>(() => new Model(new TensorShape(8, 8, 3), [Conv(1), Conv(1), new BranchLayer(1), Conv(1), new ConcatLayer(1)], new ModelMetadata()));

        Assert.Contains("Layer 1 (Concat): it joins activation 0 (8×8×3) to its input (4×4×3); a Concat stacks channels, so the two must agree in every dimension but the last.", size.Message);
        Assert.Contains("Layer 1 (Concat): it joins activation 1 to its input, but only activations 0 (the model's input) to 0 come before its own input", ahead.Message);
        Assert.Contains("it joins activation 0 (8×8×3) to its input (192)", rank.Message);
        Assert.Contains("Layer 2 (Branch): it leaves its input (activation 2) for an earlier activation, but no later Add, Concat or ChannelScale reads activation 2", dead.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConcatLayer(-1));
        Assert.Throws<InvalidOperationException>(() => new ConcatLayer(0).GetOutputShape(new TensorShape(10)));
    }
}
