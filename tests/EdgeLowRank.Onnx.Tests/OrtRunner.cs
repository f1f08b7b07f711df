using Ort = Microsoft.ML.OnnxRuntime;

namespace EdgeLowRank.Onnx.Tests;

/// <summary>ONNX Runtime on an ONNX file's bytes: the engine the import is checked against.</summary>
internal static class OrtRunner
{
    /// <summary>The graph's one output for <paramref name="input"/> of <paramref name="shape"/> (batch first, ONNX layout).</summary>
    public static float[] Run(byte[] model, float[] input, long[] shape)
    {
        using var options = new Ort.SessionOptions { GraphOptimizationLevel = Ort.GraphOptimizationLevel.ORT_ENABLE_ALL };
        // Keeps DequantizeLinear → MatMul as q × scale in f32, as the runtime computes it, instead of integer kernels.
        options.AddSessionConfigEntry("session.disable_quant_qdq", "1");
        using var session = new Ort.InferenceSession(model, options);
        using var value = Ort.OrtValue.CreateTensorValueFromMemory(input, shape);
        using var run = new Ort.RunOptions();
        using var results = session.Run(run, [session.InputNames[0]], [value], [session.OutputNames[0]]);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
