using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using System.Text.Json;
using EdgeLowRank.Compressor.IO;
using EdgeLowRank.Runtime.IO;

namespace EdgeLowRank.Compressor.Compression;

/// <summary>
/// The state after a completed LC step: every network parameter, Θ_l, λ_l, the ranks and the step
/// reports. Written atomically (temporary file beside the target, then renamed), so a run killed at
/// any moment leaves the previous checkpoint or the new one, never half of one. The L step starts
/// each step with a fresh optimizer, unless --keep-velocity carries the momentum across steps: then the velocity is saved
/// too, so a resumed run continues exactly either way. A CRC-64 of the content ends the
/// file: a damaged checkpoint is refused rather than resumed into a different run.
/// </summary>
internal sealed class LcCheckpoint
{
    private const string Magic = "ELR-LC-CHECKPOINT";

    /// <summary>The magic as <see cref="BinaryWriter.Write(string)"/> writes it: a one-byte length (it is shorter than 128 bytes), then its UTF-8 bytes.</summary>
    private static readonly byte[] MagicBytes = [(byte)Magic.Length, .. Encoding.UTF8.GetBytes(Magic)];

    /// <summary>
    /// 7: the classifier stays dense unless --compress-classifier, and the fingerprint says which; a version-6 checkpoint
    /// may hold a factorized classifier under settings that now keep it dense.
    /// 6: the fingerprint names the reference's weights (XxHash64); version 5 resumed a checkpoint made from another
    /// reference of the same architecture.
    /// 5: the optimizer's velocity (with --keep-velocity; version 4 resumed such a run from zero velocity, into other weights).
    /// 4: a CRC-64 of the content ends the file (version 3 resumed a damaged checkpoint without noticing).
    /// 3: the C step changed under the same settings (MinRankSaving inside the choice, the budget fill on by default), so a
    /// version-2 checkpoint would resume into different ranks. 2: the fingerprint is <see cref="LcOptions.CheckpointFingerprint"/>
    /// (version 1 held the serialized options).
    /// </summary>
    internal const int Version = 7;

    /// <summary>The direct compression's report has no loss (NaN), which JSON needs spelled out.</summary>
    internal static readonly JsonSerializerOptions Json = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public required int CompletedSteps { get; init; }
    public required string Fingerprint { get; init; }
    /// <summary>Every parameter's values, then each BatchNorm2d's running mean and running variance (state the L steps
    /// change that is no parameter); a network without batch norm saves its parameters alone, as before.</summary>
    public required float[][] Parameters { get; init; }
    public required float[][] Theta { get; init; }
    public required float[][] Multipliers { get; init; }
    /// <summary>Per layer the left and right factors (empty arrays for a dense layer).</summary>
    public required float[][] Left { get; init; }
    public required float[][] Right { get; init; }
    /// <summary>The optimizer's velocity per network parameter when it carries across L steps; empty otherwise.</summary>
    public required float[][] Velocity { get; init; }
    public required int[] Ranks { get; init; }
    public required bool[] KeepDense { get; init; }
    public required List<LcStepReport> Reports { get; init; }

    /// <summary>The checkpoint file inside <paramref name="directory"/>.</summary>
    public static string PathIn(string directory) => Path.Combine(directory, "lc-checkpoint.bin");

    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        var content = new MemoryStream();
        using (var writer = new BinaryWriter(content, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(Version);
            writer.Write(CompletedSteps);
            writer.Write(Fingerprint);
            WriteArrays(writer, Parameters);
            WriteArrays(writer, Theta);
            WriteArrays(writer, Multipliers);
            WriteArrays(writer, Left);
            WriteArrays(writer, Right);
            WriteArrays(writer, Velocity);
            writer.Write(Ranks.Length);
            for (int i = 0; i < Ranks.Length; i++)
            {
                writer.Write(Ranks[i]);
                writer.Write(KeepDense[i]);
            }
            writer.Write(JsonSerializer.Serialize(Reports, Json));
        }
        AtomicFile.Write(PathIn(directory), stream =>
        {
            stream.Write(content.GetBuffer().AsSpan(0, (int)content.Length));
            Span<byte> crc = stackalloc byte[sizeof(ulong)];
            BinaryPrimitives.WriteUInt64LittleEndian(crc, Crc64.HashToUInt64(content.GetBuffer().AsSpan(0, (int)content.Length)));
            stream.Write(crc);
        });
    }

    /// <summary>A file in the checkpoint's place that does not start with the magic: another program's, or its start is damaged.</summary>
    private static CheckpointFormatException NotACheckpoint(string path) =>
        new($"{path} is not an LC checkpoint (it does not start with one's magic: another file, or its start is damaged); delete it or choose another --checkpoint folder.");

    /// <summary>Reads the checkpoint in <paramref name="directory"/>, or null when there is none.</summary>
    /// <exception cref="CompressionException">The file is not a checkpoint of this version.</exception>
    public static LcCheckpoint? Load(string directory)
    {
        string path = PathIn(directory);
        if (!File.Exists(path)) return null;
        try
        {
            byte[] bytes = File.ReadAllBytes(path);
            int length = bytes.Length - sizeof(ulong);
            using var reader = new BinaryReader(new MemoryStream(bytes, 0, Math.Max(length, 0)), Encoding.UTF8);
            // Magic and version first: a checkpoint of an older version (which had no CRC) is old, not damaged. The magic is
            // compared as bytes: read as a string, a damaged length prefix asked for more bytes than the file holds.
            if (!bytes.AsSpan().StartsWith(MagicBytes)) throw NotACheckpoint(path);
            reader.ReadString(); // the magic, compared above
            if (reader.ReadInt32() is var version && version != Version)
                throw new CheckpointFormatException($"{path} was written by {(version < Version ? "an older" : "a newer")} elr (checkpoint version {version}; this one reads "
                    + $"version {Version}), so it cannot be resumed; delete it to start over, or choose another --checkpoint folder.");
            if (BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(length)) != Crc64.HashToUInt64(bytes.AsSpan(0, length)))
                throw new CheckpointFormatException($"{path} is damaged (its CRC-64 does not match its content); delete it to start over, or give another --checkpoint folder.");
            int completed = reader.ReadInt32();
            string fingerprint = reader.ReadString();
            float[][] parameters = ReadArrays(reader), theta = ReadArrays(reader), multipliers = ReadArrays(reader);
            float[][] left = ReadArrays(reader), right = ReadArrays(reader), velocity = ReadArrays(reader);
            int count = reader.ReadInt32();
            var ranks = new int[count];
            var dense = new bool[count];
            for (int i = 0; i < count; i++)
            {
                ranks[i] = reader.ReadInt32();
                dense[i] = reader.ReadBoolean();
            }
            var reports = JsonSerializer.Deserialize<List<LcStepReport>>(reader.ReadString(), Json) ?? [];
            return new LcCheckpoint
            {
                CompletedSteps = completed, Fingerprint = fingerprint, Parameters = parameters, Theta = theta, Multipliers = multipliers, Left = left, Right = right,
                Velocity = velocity, Ranks = ranks, KeepDense = dense, Reports = reports,
            };
        }
        catch (EndOfStreamException)
        {
            // Only a file that starts with the magic but ends before its version and CRC gets here (a longer one fails the
            // version or CRC check first): the framework's "Unable to read beyond the end of the stream" would not say which
            // file or what to do.
            throw new CheckpointFormatException($"{path} is too short to be an LC checkpoint ({new FileInfo(path).Length} bytes): it was cut short; delete it to start over.");
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            throw new CheckpointFormatException($"The checkpoint {path} cannot be read ({e.Message}); delete it to start over.");
        }
    }

    private static void WriteArrays(BinaryWriter writer, float[][] arrays)
    {
        writer.Write(arrays.Length);
        foreach (float[] array in arrays)
        {
            writer.Write(array.Length);
            foreach (float x in array) writer.Write(x);
        }
    }

    private static float[][] ReadArrays(BinaryReader reader)
    {
        var arrays = new float[reader.ReadInt32()][];
        for (int a = 0; a < arrays.Length; a++)
        {
            arrays[a] = new float[reader.ReadInt32()];
            for (int i = 0; i < arrays[a].Length; i++) arrays[a][i] = reader.ReadSingle();
        }
        return arrays;
    }
}
