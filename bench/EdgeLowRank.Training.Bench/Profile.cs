using System.Diagnostics;
using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Training;

namespace EdgeLowRank.Training.Bench;

/// <summary>
/// Where a training step's time goes: runs batches of <paramref name="batchSize"/> through the layers of
/// a network one by one (forward, loss, backward, optimizer) with a stopwatch around each phase, on the
/// layers' own multi-threaded kernels (the path <see cref="Network.Forward"/> takes). A diagnostic, not
/// the trainer's own step (which splits the batch into shards); use it to see which phase dominates.
/// </summary>
internal static class Profile
{
    public static void Run(Network network, Dataset train, int threads, int steps, int batchSize)
    {
        var compute = new ComputeThreads(threads);
        int layers = network.Layers.Count;
        var activations = new float[layers + 1][];
        var gradients = new float[layers + 1][];
        for (int i = 0; i <= layers; i++)
        {
            int size = i == layers ? network.OutputShape.ElementCount : network.InputShapeOf(i).ElementCount;
            activations[i] = new float[batchSize * size];
            gradients[i] = new float[batchSize * size];
        }
        // Like Network.Backward: the first layer with parameters computes no input gradient.
        int first = Math.Max(0, network.Layers.ToList().FindIndex(l => l.Parameters.Count > 0));
        var optimizer = new NesterovSgd(network.Parameters, 0.9, 1e-4);
        var forward = new double[layers];
        var backward = new double[layers];
        double loss = 0, step = 0;
        int size0 = train.SampleShape.Size, classes = network.OutputShape.ElementCount;
        var clock = new Stopwatch();
        for (int s = 0; s < steps; s++)
        {
            int start = s * batchSize % (train.Count - batchSize);
            train.Pixels.Span.Slice(start * size0, batchSize * size0).CopyTo(activations[0]);
            bool measure = s >= steps / 5; // skip the JIT warm-up
            for (int i = 0; i < layers; i++)
            {
                clock.Restart();
                network.Layers[i].Forward(activations[i], activations[i + 1], batchSize, compute);
                if (measure) forward[i] += clock.Elapsed.TotalMilliseconds;
            }
            clock.Restart();
            SoftmaxCrossEntropy.Compute(activations[layers].AsSpan(0, batchSize * classes), train.Labels.Span.Slice(start, batchSize), classes, gradients[layers]);
            if (measure) loss += clock.Elapsed.TotalMilliseconds;
            for (int i = layers - 1; i >= first; i--)
            {
                clock.Restart();
                network.Layers[i].Backward(activations[i], activations[i + 1], gradients[i + 1], i == first ? null : gradients[i], batchSize, compute);
                if (measure) backward[i] += clock.Elapsed.TotalMilliseconds;
            }
            clock.Restart();
            optimizer.Step(0.01);
            if (measure) step += clock.Elapsed.TotalMilliseconds;
        }
        int measured = steps - steps / 5;
        double total = forward.Sum() + backward.Sum() + loss + step;
        Console.WriteLine($"{network.Name}, {threads} thread(s), batch {batchSize}: ms per step (mean of {measured}), total {total / measured:F3} ms = {batchSize * measured / total * 1000:N0} samples/s");
        Console.WriteLine("| layer | forward | backward |");
        Console.WriteLine("|---|---:|---:|");
        for (int i = 0; i < layers; i++)
            Console.WriteLine($"| {i} {network.Layers[i].Name} | {forward[i] / measured:F3} | {backward[i] / measured:F3} |");
        Console.WriteLine($"| loss | {loss / measured:F3} | |");
        Console.WriteLine($"| optimizer | {step / measured:F3} | |");
    }
}
