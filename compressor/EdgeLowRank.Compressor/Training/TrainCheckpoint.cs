using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using EdgeLowRank.Compressor.IO;

namespace EdgeLowRank.Compressor.Training;

/// <summary>
/// The state of <c>elr train</c> after a finished epoch: the network's trained state (every parameter, then each batch norm's
/// running mean and variance), the optimizer's velocity, the epochs' results and the seconds the run took so far. The
/// shuffling needs no state (each epoch's order is drawn from the seed and the epoch alone, <see cref="Trainer.ShuffledOrder"/>)
/// and the learning rate none (a function of the epoch), so this is all a resumed run needs to end with the bits of an
/// uninterrupted one. Written as <see cref="FileName"/>, not an LC checkpoint's name, so a folder of one command is never
/// taken for the other's; atomically (a temporary file renamed over the old one), with a CRC-64 of the content at the end.
/// </summary>
internal sealed class TrainCheckpoint
{
    private const string Magic = "ELR-TRAIN-CHECKPOINT";

    private static readonly byte[] MagicBytes = [(byte)Magic.Length, .. Encoding.UTF8.GetBytes(Magic)];

    /// <summary>1: the first version.</summary>
    internal const int Version = 1;

    /// <summary>The checkpoint's file name in its folder.</summary>
    public const string FileName = "train-checkpoint.bin";

    public required int CompletedEpochs { get; init; }
    public required string Fingerprint { get; init; }
    /// <summary>The seconds the run had taken when this was written, from the start of its first process.</summary>
    public required double Seconds { get; init; }
    /// <summary><see cref="Network.TrainedState"/>.</summary>
    public required float[][] State { get; init; }
    /// <summary><see cref="NesterovSgd.Velocity"/>, per parameter.</summary>
    public required float[][] Velocity { get; init; }
    public required IReadOnlyList<TrainedEpoch> Epochs { get; init; }

    public static string PathIn(string directory) => Path.Combine(directory, FileName);

    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        var content = new MemoryStream();
        using (var writer = new BinaryWriter(content, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(Version);
            writer.Write(CompletedEpochs);
            writer.Write(Fingerprint);
            writer.Write(Seconds);
            WriteArrays(writer, State);
            WriteArrays(writer, Velocity);
            writer.Write(Epochs.Count);
            foreach (TrainedEpoch e in Epochs)
            {
                writer.Write(e.Result.Epoch);
                writer.Write(e.Result.LearningRate);
                writer.Write(e.Result.Loss);
                writer.Write(e.Result.Seconds);
                writer.Write(e.Result.SamplesPerSecond);
                writer.Write(e.TestAccuracy);
                writer.Write(e.ValidationAccuracy is not null);
                writer.Write(e.ValidationAccuracy ?? 0);
            }
        }
        EdgeLowRank.Runtime.IO.AtomicFile.Write(PathIn(directory), stream =>
        {
            ReadOnlySpan<byte> bytes = content.GetBuffer().AsSpan(0, (int)content.Length);
            stream.Write(bytes);
            Span<byte> crc = stackalloc byte[sizeof(ulong)];
            BinaryPrimitives.WriteUInt64LittleEndian(crc, Crc64.HashToUInt64(bytes));
            stream.Write(crc);
        });
    }

    /// <summary>Reads the checkpoint in <paramref name="directory"/>, or null when there is none.</summary>
    /// <exception cref="TrainingException">The file is not a training checkpoint of this version, or it is damaged.</exception>
    public static TrainCheckpoint? Load(string directory)
    {
        string path = PathIn(directory);
        if (!File.Exists(path)) return null;
        try
        {
            byte[] bytes = File.ReadAllBytes(path);
            int length = bytes.Length - sizeof(ulong);
            if (!bytes.AsSpan().StartsWith(MagicBytes))
                throw new CheckpointFormatException($"{path} is not an elr train checkpoint (it does not start with one's magic: another file, or its start is damaged); "
                    + "delete it or choose another --checkpoint folder.");
            using var reader = new BinaryReader(new MemoryStream(bytes, 0, Math.Max(length, 0)), Encoding.UTF8);
            reader.ReadString();
            if (reader.ReadInt32() is var version && version != Version)
                throw new CheckpointFormatException($"{path} was written by {(version < Version ? "an older" : "a newer")} elr (train checkpoint version {version}; this one reads "
                    + $"version {Version}), so it cannot be resumed; delete it to start over, or choose another --checkpoint folder.");
            if (BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(length)) != Crc64.HashToUInt64(bytes.AsSpan(0, length)))
                throw new CheckpointFormatException($"{path} is damaged (its CRC-64 does not match its content); delete it to start over, or give another --checkpoint folder.");
            int completed = reader.ReadInt32();
            string fingerprint = reader.ReadString();
            double seconds = reader.ReadDouble();
            float[][] state = ReadArrays(reader), velocity = ReadArrays(reader);
            var epochs = new TrainedEpoch[reader.ReadInt32()];
            for (int i = 0; i < epochs.Length; i++)
            {
                var result = new EpochResult(reader.ReadInt32(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble());
                double test = reader.ReadDouble();
                bool validated = reader.ReadBoolean();
                double validation = reader.ReadDouble();
                epochs[i] = new TrainedEpoch(result, test, validated ? validation : null);
            }
            return new TrainCheckpoint { CompletedEpochs = completed, Fingerprint = fingerprint, Seconds = seconds, State = state, Velocity = velocity, Epochs = epochs };
        }
        catch (EndOfStreamException)
        {
            throw new CheckpointFormatException($"{path} is too short to be an elr train checkpoint ({new FileInfo(path).Length} bytes): it was cut short; delete it to start over.");
        }
        catch (IOException e)
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
            writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(array.AsSpan()));
        }
    }

    private static float[][] ReadArrays(BinaryReader reader)
    {
        var arrays = new float[reader.ReadInt32()][];
        for (int a = 0; a < arrays.Length; a++)
        {
            arrays[a] = new float[reader.ReadInt32()];
            byte[] raw = reader.ReadBytes(checked(arrays[a].Length * sizeof(float)));
            if (raw.Length != arrays[a].Length * sizeof(float)) throw new EndOfStreamException();
            raw.AsSpan().CopyTo(System.Runtime.InteropServices.MemoryMarshal.AsBytes(arrays[a].AsSpan()));
        }
        return arrays;
    }
}
