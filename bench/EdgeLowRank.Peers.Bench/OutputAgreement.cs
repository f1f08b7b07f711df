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
}
