using SharpFuzz;

namespace EdgeLowRank.Fuzz;

/// <summary>
/// Entry point of the fuzzing harness: <c>EdgeLowRank.Fuzz TARGET</c> runs one target under AFL++ (its fork server,
/// out of process so a stack overflow is reported as a crash rather than killing the server), or once on stdin outside
/// AFL, which is how a crash file is replayed. A target lets escape only what the code under test must not throw.
/// <c>EdgeLowRank.Fuzz seeds TARGET FIXTURES FOLDER</c> writes the target's starting corpus (run it uninstrumented);
/// <c>EdgeLowRank.Fuzz sweep MODEL.elr…</c> checks every run option of the elr target on each model;
/// <c>EdgeLowRank.Fuzz census N [OP]</c> tallies what the onnx-graph target's builder makes of N random byte strings.
/// </summary>
public static class Program
{
    private static readonly Dictionary<string, Action<byte[]>> Targets = new()
    {
        ["elr"] = ElrTarget.Run,
        ["inputs"] = InputsTarget.Run,
        ["onnx"] = OnnxTarget.Run,
        ["onnx-graph"] = OnnxGraphTarget.Run,
    };

    /// <summary>Runs the target named by the first argument, or writes seeds.</summary>
    /// <returns>2 for an unknown target; otherwise 0 (a crash is an escaping exception, reported to AFL).</returns>
    public static int Main(string[] args)
    {
        if (args is ["seeds", string name, string fixtures, string folder])
        {
            Seeds.Write(name, fixtures, folder);
            return 0;
        }
        if (args is ["census", string tries, .. string[] op] && op.Length <= 1 && int.TryParse(tries, out int count))
        {
            OnnxGraphTarget.Census(count, op.FirstOrDefault());
            return 0;
        }
        if (args is ["sweep", .. string[] models] && models.Length > 0)
        {
            Console.WriteLine($"{ElrTarget.Sweep(models):N0} runs, every sample as promised");
            return 0;
        }
        if (args.Length != 1 || !Targets.TryGetValue(args[0], out Action<byte[]>? target))
        {
            Console.Error.WriteLine($"usage: EdgeLowRank.Fuzz {string.Join('|', Targets.Keys)}  (input on stdin, or from afl-fuzz)");
            return 2;
        }
        Fuzzer.OutOfProcess.Run(stream =>
        {
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            target(copy.ToArray());
        });
        return 0;
    }
}
