using EdgeLowRank.Onnx;

namespace EdgeLowRank.Peers.Bench;

/// <summary>Runs each golden model through both engines at batch 1 and 64 and reports the largest
/// difference relative to the largest output; a benchmark of two engines computing different things
/// would mean nothing. An int8 model is exported both ways that must compute what the runtime computes: as the
/// f32 values the benchmarks give ONNX Runtime, and dequantized in the graph, as elr export-onnx writes it.</summary>
internal static class OutputAgreement
{
    /// <summary>How far apart, relative to ONNX Runtime's largest output, the golden models' outputs may be.</summary>
    public const double Tolerance = 1e-5;

    public static int Check(IEnumerable<string> models)
    {
        bool ok = true;
        foreach (string model in models)
        foreach (Int8Export int8 in model.EndsWith("-int8", StringComparison.Ordinal) ? [Int8Export.Float, Int8Export.Dequantize] : new[] { Int8Export.Float })
        {
            foreach (int batch in new[] { 1, 64 })
            {
                using var sessions = new PeerSessions(model, batch, int8: int8);
                sessions.RunEdgeLowRank();
                sessions.RunOnnxRuntime();
                double relative = sessions.LargestRelativeDifference();
                bool agrees = relative <= Tolerance;
                ok &= agrees;
                string how = int8 == Int8Export.Dequantize ? " (DequantizeLinear)" : "";
                Console.WriteLine($"{model + how,-42} batch {batch,2}: largest relative difference {relative:0.###e+0} {(agrees ? "ok" : "MISMATCH")}");
            }
        }
        return ok ? 0 : 1;
    }

    /// <summary>How far ONNX Runtime's integer kernels are from EdgeLowRank's int8 weights on <paramref name="models"/>:
    /// its dynamic int8 (<see cref="Int8Export.Dynamic"/>), and the DequantizeLinear graph at its default optimizations,
    /// which fuse it into integer kernels too. Both quantize activations as well, so they are reported, not required to
    /// agree; the class each sample scores highest is compared too.</summary>
    public static void ReportIntegerKernels(IEnumerable<string> models)
    {
        foreach (string model in models)
        foreach (var (int8, label) in new[] { (Int8Export.Dynamic, "ORT dynamic int8"), (Int8Export.Dequantize, "ORT's QDQ fusion of DequantizeLinear") })
        {
            using var sessions = new PeerSessions(model, 64, int8: int8, qdqFusion: true);
            sessions.RunEdgeLowRank();
            sessions.RunOnnxRuntime();
            double scale = sessions.Output.Max(v => Math.Abs(v));
            double relative = sessions.Output.Zip(sessions.OrtOutput, (a, b) => Math.Abs(a - b)).Max() / Math.Max(scale, float.Epsilon);
            int outputs = sessions.EdgeLowRank.OutputLength, same = 0;
            for (int s = 0; s < 64; s++)
                same += ArgMax(sessions.Output.AsSpan(s * outputs, outputs)) == ArgMax(sessions.OrtOutput.AsSpan(s * outputs, outputs)) ? 1 : 0;
            Console.WriteLine($"{model,-24} {label}, batch 64: largest relative difference {relative:0.###e+0}, same top class in {same} of 64 samples");
        }
    }

    /// <summary>The index of the largest value: the class a sample scores highest.</summary>
    internal static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        return best;
    }
}
