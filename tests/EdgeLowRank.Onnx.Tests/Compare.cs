using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Layers;
using Xunit.Abstractions;

namespace EdgeLowRank.Onnx.Tests;

/// <summary>Runs models through the runtime and ONNX Runtime and compares outputs.</summary>
internal static class Compare
{
    /// <summary>The runtime's outputs for <paramref name="batch"/> samples.</summary>
    public static float[] RunRuntime(Model model, float[] input, int batch)
    {
        using var session = new InferenceSession(model, new SessionOptions { MaxBatchSize = batch });
        var output = new float[batch * session.OutputLength];
        session.Run(input, output, batch);
        return output;
    }

    /// <summary>Imports <paramref name="onnx"/>, runs <paramref name="batch"/> random samples through the runtime and ONNX
    /// Runtime, and requires the same outputs within 1e-5 of the largest; with <paramref name="normalization"/>, ONNX Runtime
    /// gets the samples normalized by it and the runtime gets them as they are; <paramref name="ortOutputs"/> maps ONNX
    /// Runtime's outputs to what the runtime gives (exp of a final LogSoftmax).</summary>
    /// <param name="onnx">The ONNX file's bytes.</param>
    /// <param name="onnxSample">One sample's shape in ONNX's layout, which the imported model's input must have.</param>
    /// <param name="normalization">The normalization to import with; null for none.</param>
    /// <param name="ortOutputs">Maps ONNX Runtime's outputs to the runtime's; null when they are the same.</param>
    /// <param name="batch">The number of samples.</param>
    /// <param name="output">Where to write the largest difference seen, as a figure to quote; null for nowhere.</param>
    public static Model ImportAndCompare(byte[] onnx, int[] onnxSample, InputNormalization? normalization = null, Func<float[], float[]>? ortOutputs = null,
        int batch = 5, ITestOutputHelper? output = null)
    {
        Model model = OnnxImporter.Import(onnx, normalization);
        float[] input = Random(batch * model.InputShape.ElementCount, seed: 99);
        var onnxInput = new float[input.Length];
        ChannelsFirst.ToOnnxLayout(input, model.InputShape, onnxInput);
        normalization?.ApplyChannelsFirst(onnxInput, model.InputShape);
        Assert.Equal(onnxSample, ChannelsFirst.OnnxShape(model.InputShape));

        float[] expected = OrtRunner.Run(onnx, onnxInput, [batch, .. onnxSample.Select(d => (long)d)]);
        if (ortOutputs is not null) expected = ortOutputs(expected);

        (double difference, double scale) = Close(expected, RunRuntime(model, input, batch));
        output?.WriteLine($"batch {batch}: max |ONNX Runtime − runtime| = {difference:G3}, largest |output| {scale:G3}");
        return model;
    }

    /// <summary><see cref="ImportAndCompare"/> at batch 1 and 4, with no normalization; the model imported.</summary>
    public static Model AtBatchOneAndFour(byte[] onnx, int[] onnxSample, ITestOutputHelper? output)
    {
        ImportAndCompare(onnx, onnxSample, batch: 1, output: output);
        return ImportAndCompare(onnx, onnxSample, batch: 4, output: output);
    }

    /// <summary>Runs the samples of <paramref name="input"/> one at a time (batch 1) through the runtime and ONNX Runtime on
    /// <paramref name="onnx"/>, each output within <paramref name="tolerance"/> of its largest; returns the largest difference
    /// relative to that largest output, a figure to quote.</summary>
    public static double SampleBySample(Model model, byte[] onnx, float[] input, double tolerance)
    {
        int size = model.InputShape.ElementCount;
        long[] shape = [1, .. ChannelsFirst.OnnxShape(model.InputShape).Select(d => (long)d)];
        double largest = 0;
        for (int sample = 0; sample < input.Length / size; sample++)
        {
            float[] one = input.AsSpan(sample * size, size).ToArray(), onnxInput = new float[size];
            ChannelsFirst.ToOnnxLayout(one, model.InputShape, onnxInput);
            (double difference, double scale) = Close(RunRuntime(model, one, 1), OrtRunner.Run(onnx, onnxInput, shape), tolerance);
            largest = Math.Max(largest, difference / scale);
        }
        return largest;
    }

    /// <summary>Requires <paramref name="actual"/>'s weight matrices int8 with <paramref name="expected"/>'s values and scales, in order.</summary>
    public static void SameInt8Weights(Model expected, Model actual)
    {
        foreach (var (a, b) in expected.Layers.SelectMany(l => l.WeightMatrices).Zip(actual.Layers.SelectMany(l => l.WeightMatrices)))
        {
            Assert.Equal(ElementType.Int8, b.ElementType);
            Assert.Equal(a.QuantizedToRowMajor(), b.QuantizedToRowMajor());
            Assert.Equal(a.Scales.ToArray(), b.Scales.ToArray());
        }
    }

    /// <summary>Every element within <paramref name="tolerance"/> of the largest |expected| (two engines, two summation orders).
    /// Returns the largest difference and that largest |expected|.</summary>
    public static (double Difference, double Scale) Close(float[] expected, float[] actual, double tolerance = 1e-5)
    {
        Assert.Equal(expected.Length, actual.Length);
        Assert.DoesNotContain(expected, float.IsNaN);   // NaN against NaN would pass the comparison below
        Assert.DoesNotContain(actual, float.IsNaN);
        double scale = Math.Max(expected.Max(v => Math.Abs(v)), float.Epsilon);
        double largest = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double difference = Math.Abs(expected[i] - actual[i]);
            Assert.True(difference <= tolerance * scale, $"element {i}: expected {expected[i]}, got {actual[i]} (scale {scale})");
            largest = Math.Max(largest, difference);
        }
        return (largest, scale);
    }

    /// <summary>Deterministic values in [-1, 1).</summary>
    public static float[] Random(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }
}
