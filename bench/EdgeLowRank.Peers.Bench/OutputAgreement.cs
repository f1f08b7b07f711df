namespace EdgeLowRank.Peers.Bench;

/// <summary>Runs each golden model through both engines at batch 1 and 64 and reports the largest
/// difference relative to the largest output; a benchmark of two engines computing different things
/// would mean nothing.</summary>
internal static class OutputAgreement
{
    public static int Check(IEnumerable<string> models)
    {
        bool ok = true;
        foreach (string model in models)
        {
            foreach (int batch in new[] { 1, 64 })
            {
                using var sessions = new PeerSessions(model, batch);
                sessions.RunEdgeLowRank();
                sessions.RunOnnxRuntime();
                double scale = sessions.OrtOutput.Max(v => Math.Abs(v));
                double error = sessions.Output.Zip(sessions.OrtOutput, (a, b) => Math.Abs(a - b)).Max();
                double relative = error / Math.Max(scale, float.Epsilon);
                bool agrees = relative <= 1e-5;
                ok &= agrees;
                Console.WriteLine($"{model,-22} batch {batch,2}: largest relative difference {relative:0.###e+0} {(agrees ? "ok" : "MISMATCH")}");
            }
        }
        return ok ? 0 : 1;
    }

    /// <summary>How far ONNX Runtime's dynamic int8 (which also quantizes activations) is from EdgeLowRank's int8 weights on
    /// <paramref name="models"/>: reported, not required to agree, since the two compute different things; the class
    /// each sample scores highest is compared too.</summary>
    public static void ReportDynamicInt8(IEnumerable<string> models)
    {
        foreach (string model in models)
        {
            using var sessions = new PeerSessions(model, 64, ortDynamicInt8: true);
            sessions.RunEdgeLowRank();
            sessions.RunOnnxRuntime();
            double scale = sessions.Output.Max(v => Math.Abs(v));
            double relative = sessions.Output.Zip(sessions.OrtOutput, (a, b) => Math.Abs(a - b)).Max() / Math.Max(scale, float.Epsilon);
            int outputs = sessions.EdgeLowRank.OutputLength, same = 0;
            for (int s = 0; s < 64; s++)
                same += ArgMax(sessions.Output.AsSpan(s * outputs, outputs)) == ArgMax(sessions.OrtOutput.AsSpan(s * outputs, outputs)) ? 1 : 0;
            Console.WriteLine($"{model,-22} ORT dynamic int8, batch 64: largest relative difference {relative:0.###e+0}, same top class in {same} of 64 samples");
        }
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        return best;
    }
}
