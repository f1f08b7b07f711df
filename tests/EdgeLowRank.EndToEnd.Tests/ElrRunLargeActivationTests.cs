using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.EndToEnd.Tests;

/// <summary>A model whose activations are large for its file: elr-run sizes a session by the samples it runs and says
/// what a session of it holds, where it made one for 64 samples a pass whatever it ran.</summary>
public class ElrRunLargeActivationTests : TempFiles
{
    [Fact]
    public void Run_takes_one_sample_of_a_model_that_holds_fewer_than_64_in_a_pass_and_info_says_what_it_needs()
    {
        // Each Concat stacks the activation before it on its own (Fibonacci widths) up to about 38 million floats a sample, so
        // a pass of 64 would be over 2^31 floats, past a span: run refused it with an internal error (exit 70), and a session
        // of passes of 64 of a smaller such chain held 2.5 GB for one sample (a security trial's 2 KB file).
        var layers = new List<Layer> { new ReluLayer() };
        for (long before = 784, last = 784; before + last <= 40_000_000; (before, last) = (last, before + last))
            layers.Add(new ConcatLayer(layers.Count - 1));
        layers.Add(new ChannelSliceLayer(0, 10));
        string model = PathOf("wide.elr");
        using (var wide = new Model(new TensorShape(784), layers, new ModelMetadata())) ModelWriter.Write(wide, model);
        string input = Write("one.f32", Enumerable.Repeat(0.5f, 784).SelectMany(BitConverter.GetBytes).ToArray());

        ToolResult run = Tool.ElrRun("run", model, "--input", input, "--output", PathOf("out.f32"));
        ToolResult info = Tool.ElrRun("info", model);

        Assert.True(run.ExitCode == 0, run.Error);
        float[] outputs = File.ReadAllBytes(PathOf("out.f32")).Chunk(4).Select(b => BitConverter.ToSingle(b)).ToArray();
        Assert.Equal(Enumerable.Repeat(0.5f, 10), outputs);
        Assert.Equal(0, info.ExitCode);
        Assert.Matches(@"memory      activations [\d.]+ MiB for one sample, [\d.]+ GiB for passes of \d\d \(the most this model takes in one pass\)", info.Output);
    }
}
