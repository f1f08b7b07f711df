using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.Layers;
using SharpFuzz.Common;

namespace EdgeLowRank.Fuzz;

/// <summary>
/// An .elr file as elr-run and libelr load it: read, then sessions made on it and a batch run through them. A file the
/// reader accepts must run; the loading API may refuse a file only with <see cref="ModelFormatException"/> or, from the
/// session, <see cref="NotSupportedException"/> (both documented, and both reported to users as an invalid or
/// unsupported model). The run's settings come from the sealed file's CRC, so a crash file replays alone: a batch of
/// 1–9 samples, 1–3 threads, a largest pass of 1–9 samples and split thresholds lowered so that a small file's layers and
/// batches are split too (<see cref="RunOptions"/>). The outputs must be what the runtime promises (SessionOptions.Threads,
/// InferenceSession's passes): bit for bit those of one thread, and each sample's those of the same batch run in one pass,
/// or, for a sample the run computes alone (a pass of one), those of the sample run alone. Anything else is a
/// <see cref="BatchMismatchException"/>.
/// </summary>
internal static class ElrTarget
{
    // docs/FORMAT.md, Header and Integrity: the CRC-32 at byte 36 covers the whole file with its own field taken as zero.
    private const int CrcOffset = 36;

    public static void Run(byte[] bytes)
    {
        uint crc = Seal(bytes); // a mutation that broke only the CRC would stop at it: re-sealed, it reaches the structural checks
        try
        {
            using Model model = ModelReader.Load(bytes);
            RunOptions options = RunOptions.From(crc, InferenceSession.LargestBatchSizeFor(model));
            Check(model, options, Inputs(crc, options.Batch * model.InputShape.ElementCount));
        }
        catch (Exception e) when (e is ModelFormatException or NotSupportedException)
        {
        }
    }

    /// <summary>Checks every run option (batch, threads, largest pass, threshold scale; one scale on one thread) on each file
    /// of <paramref name="paths"/>, as the target checks the options a file's CRC picks, and returns how many runs it made.
    /// Not under AFL: a sweep of the corpus's neighbourhood that needs no luck.</summary>
    /// <exception cref="BatchMismatchException">A run's outputs differ from what the runtime promises.</exception>
    public static int Sweep(IEnumerable<string> paths)
    {
        int runs = 0;
        foreach (string path in paths)
        {
            using Model model = ModelReader.Load(path);
            int largest = InferenceSession.LargestBatchSizeFor(model);
            for (uint bits = 0; bits < 9 * 3 * 9 * 4; bits++)
            {
                RunOptions options = RunOptions.From(bits, largest);
                if (options.Threads == 1 && options.SplitScale > 0) continue;
                Check(model, options, Inputs(bits, options.Batch * model.InputShape.ElementCount));
                runs++;
            }
        }
        return runs;
    }

    /// <summary>Runs <paramref name="input"/> as options say and against its references; throws on a difference.</summary>
    private static void Check(Model model, RunOptions options, float[] input)
    {
        int batch = options.Batch, inputLength = model.InputShape.ElementCount, outputLength = model.OutputShape.ElementCount;
        float[] actual = new float[batch * outputLength];
        var settings = new SessionOptions { MaxBatchSize = options.MaxBatchSize, Threads = options.Threads, Split = options.SplitThresholds };
        if (options.Threads == 1) RunSession(model, settings, input, actual, batch);
        else Uncovered(() => RunSession(model, settings, input, actual, batch));

        // One thread, the whole batch in one pass; and each sample alone, as a pass of one computes it.
        using var reference = new InferenceSession(model, new SessionOptions { MaxBatchSize = batch });
        float[] together = new float[actual.Length], alone = new float[actual.Length];
        reference.Run(input, together, batch);
        for (int i = 0; i < batch; i++)
            reference.Run(input.AsSpan(i * inputLength, inputLength), alone.AsSpan(i * outputLength, outputLength));

        for (int i = 0; i < batch; i++)
        {
            bool lone = options.ComputesAlone(i);
            float[] expected = lone ? alone : together;
            for (int j = i * outputLength; j < (i + 1) * outputLength; j++)
                if (!SameBits(expected[j], actual[j]))
                    throw new BatchMismatchException($"{options}: sample {i}, output {j - i * outputLength}: {actual[j]:R} "
                        + $"(0x{BitConverter.SingleToInt32Bits(actual[j]):x8}), where {(lone ? "the sample run alone" : "one thread in one pass")} "
                        + $"gives {expected[j]:R} (0x{BitConverter.SingleToInt32Bits(expected[j]):x8})");
        }
    }

    /// <summary>Runs a session of <paramref name="settings"/> once, and disposes it: its worker threads are joined.</summary>
    private static void RunSession(Model model, SessionOptions settings, float[] input, float[] output, int batch)
    {
        using var session = new InferenceSession(model, settings);
        session.Run(input, output, batch);
    }

    // AFL's map is 64 KB; instrumented code indexes it with edge numbers below that.
    private static readonly unsafe byte* Scratch = (byte*)NativeMemory.AllocZeroed(1 << 16);

    /// <summary>Runs <paramref name="run"/> with its coverage written to a scratch map, not AFL's. SharpFuzz keeps one
    /// previous-location word (<see cref="Trace.PrevLocation"/>) for all threads, so instrumented code on two threads at
    /// once hashes edges that no code has: with the threaded runs covered, 210 s filled 72% of AFL's map and left 2% of
    /// the edges stable. The threaded run is still checked; only its edges, which the single-thread runs of the same
    /// model mostly share, no longer guide AFL. <paramref name="run"/> must join its threads before it returns.</summary>
    private static unsafe void Uncovered(Action run)
    {
        byte* map = Trace.SharedMem;
        Trace.SharedMem = Scratch;
        try
        {
            run();
        }
        finally
        {
            Trace.SharedMem = map;
            Trace.PrevLocation = 0;
        }
    }

    /// <summary>Equal bits; any NaN equals any NaN (which NaN an operation returns is not part of the promise).</summary>
    private static bool SameBits(float expected, float actual) =>
        BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(actual) || (float.IsNaN(expected) && float.IsNaN(actual));

    /// <summary>Inputs in [-2, 2) from a xorshift generator seeded by the file's CRC: not zeros, so that weights matter.</summary>
    private static float[] Inputs(uint seed, int count)
    {
        var values = new float[count];
        var random = new XorShift(seed);
        for (int i = 0; i < count; i++) values[i] = 2 * random.NextFloat();
        return values;
    }

    private static uint Seal(byte[] file)
    {
        if (file.Length < CrcOffset + sizeof(uint)) return 0;
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(CrcOffset), 0);
        uint crc = Crc32.HashToUInt32(file);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(CrcOffset), crc);
        return crc;
    }

    /// <summary>A run's settings, from bits of the file's CRC.</summary>
    private sealed record RunOptions(int Batch, int Threads, int MaxBatchSize, int SplitScale)
    {
        /// <summary>Settings from <paramref name="bits"/>, the batch and pass no larger than <paramref name="largest"/>
        /// (<see cref="InferenceSession.LargestBatchSizeFor"/>).</summary>
        public static RunOptions From(uint bits, int largest) => new(
            Math.Min(1 + (int)(bits % 9), largest),
            1 + (int)(bits / 9 % 3),
            Math.Min(1 + (int)(bits / 27 % 9), largest),
            (int)(bits / 243 % 4));

        /// <summary>The session's split thresholds, the runtime's divided by 1, 1,000, 100,000 or all of them: at the
        /// defaults, only files of a million multiply–adds would be split, and AFL's mutations stay near small files.</summary>
        public SplitThresholds SplitThresholds
        {
            get
            {
                int divisor = SplitScale switch { 0 => 1, 1 => 1_000, 2 => 100_000, _ => int.MaxValue };
                SplitThresholds defaults = SplitThresholds.Default;
                return new(Math.Max(1, defaults.BatchMultiplyAccumulatesPerPart / divisor), Math.Max(1, defaults.KernelMultiplyAccumulatesPerPart / divisor),
                    Math.Max(1, defaults.ElementsPerPart / divisor));
            }
        }

        /// <summary>Whether sample <paramref name="index"/> is computed in a pass of its own: every sample of a batch of
        /// one or in passes of one, and the last of an odd batch in passes of two (InferenceSession.RunSlice, RunTeamPart).</summary>
        public bool ComputesAlone(int index) =>
            Batch == 1 || MaxBatchSize == 1 || (MaxBatchSize == 2 && Batch % 2 == 1 && index == Batch - 1);
    }
}

/// <summary>A session's outputs differ from what the runtime promises for the same samples.</summary>
internal sealed class BatchMismatchException(string message) : Exception(message);
