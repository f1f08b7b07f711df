using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Layers;
using EdgeLowRank.Runtime.Scoring;

namespace EdgeLowRank.Compressor.Tests.Export;

/// <summary>The check the export tests end with: the runtime, given the exported model, computes what the trainer computes.</summary>
internal static class RuntimeAgreement
{
    /// <summary>Asserts that a runtime session on <paramref name="model"/> computes <paramref name="network"/>'s outputs (its
    /// evaluation pass, on one thread) for <paramref name="batch"/> samples of <paramref name="inputs"/>.</summary>
    public static void AssertSessionComputesNetwork(Network network, Model model, ReadOnlySpan<float> inputs, int batch)
    {
        float[] expected = network.Forward(inputs, batch, ComputeThreads.Single).ToArray(), actual = new float[expected.Length];
        using (var session = new InferenceSession(model, new SessionOptions { MaxBatchSize = batch })) session.Run(inputs, actual, batch);
        AssertSameOutputs(expected, actual);
    }

    /// <summary>The share of <paramref name="test"/> whose highest score <paramref name="session"/> gives its label, scored 500
    /// samples at a time (the session must take batches of 500).</summary>
    public static double Accuracy(InferenceSession session, Dataset test)
    {
        const int batch = 500;
        int size = test.SampleShape.Size, classes = session.Model.OutputShape.ElementCount;
        var matrix = new ConfusionMatrix(classes);
        var scores = new float[batch * classes];
        for (int start = 0; start < test.Count; start += batch)
        {
            int count = Math.Min(batch, test.Count - start);
            session.Run(test.Pixels.Span.Slice(start * size, count * size), scores.AsSpan(0, count * classes), count);
            matrix.Add(scores.AsSpan(0, count * classes), test.Labels.Span.Slice(start, count));
        }
        return matrix.Accuracy;
    }

    /// <summary>The runtime's outputs equal the trainer's to 1e-5 relative (absolute below 1): the same kernels, other sums.</summary>
    public static void AssertSameOutputs(float[] trainer, float[] runtime)
    {
        Assert.Equal(trainer.Length, runtime.Length);
        for (int i = 0; i < trainer.Length; i++)
            Assert.True(Math.Abs(trainer[i] - runtime[i]) <= 1e-5 * Math.Max(1, Math.Abs(trainer[i])), $"output {i}: trainer {trainer[i]}, runtime {runtime[i]}");
    }
}
