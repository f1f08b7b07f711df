using EdgeLowRank.Compressor.IO;

namespace EdgeLowRank.Compressor.Training;

/// <summary>
/// The state of <c>elr train</c> after a finished epoch: the network's trained state (every parameter, then each batch norm's
/// running mean and variance), the optimizer's velocity, the epochs' results and the seconds the run took so far. The
/// shuffling needs no state (each epoch's order is drawn from the seed and the epoch alone, <see cref="Trainer.ShuffledOrder"/>)
/// and the learning rate none (a function of the epoch), so this is all a resumed run needs to end with the bits of an
/// uninterrupted one. Written as <see cref="FileName"/>, not an LC checkpoint's name, so a folder of one command is never
/// taken for the other's, in the framing <see cref="CheckpointFile"/> writes (atomic, versioned, a CRC-64 at the end).
/// </summary>
internal sealed class TrainCheckpoint
{
    /// <summary>1: the first version. 2: the fingerprint (<see cref="CheckpointedTraining.Fingerprint"/>) leaves out --epochs
    /// and the parameter count, gives the input's shape and classes, and digests the training part before a --validation
    /// split, so a version 1 fingerprint would be refused as another run's for the wrong reasons.</summary>
    internal const int Version = 2;

    private static readonly CheckpointFile.Kind Format = new("ELR-TRAIN-CHECKPOINT", Version, "an elr train checkpoint", "train checkpoint version");

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

    /// <summary>The bytes <see cref="Save"/> writes for each epoch: its number, four doubles of its result, the test accuracy,
    /// whether it was validated and the validation accuracy.</summary>
    private const int EpochBytes = sizeof(int) + 4 * sizeof(double) + sizeof(double) + sizeof(bool) + sizeof(double);

    public static string PathIn(string directory) => Path.Combine(directory, FileName);

    public void Save(string directory) => CheckpointFile.Write(PathIn(directory), Format, writer =>
    {
        writer.Write(CompletedEpochs);
        writer.Write(Fingerprint);
        writer.Write(Seconds);
        CheckpointFile.WriteArrays(writer, State);
        CheckpointFile.WriteArrays(writer, Velocity);
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
    });

    /// <summary>Reads the checkpoint in <paramref name="directory"/>, or null when there is none.</summary>
    /// <exception cref="CheckpointFormatException">The file is not a training checkpoint of this version, or it is damaged.</exception>
    public static TrainCheckpoint? Load(string directory)
    {
        string path = PathIn(directory);
        if (!File.Exists(path)) return null;
        return CheckpointFile.Read(path, Format, reader =>
        {
            int completed = reader.ReadInt32();
            string fingerprint = reader.ReadString();
            double seconds = reader.ReadDouble();
            float[][] state = CheckpointFile.ReadArrays(reader), velocity = CheckpointFile.ReadArrays(reader);
            var epochs = new TrainedEpoch[CheckpointFile.ReadCount(reader, EpochBytes, "epoch count")];
            for (int i = 0; i < epochs.Length; i++)
            {
                var result = new EpochResult(reader.ReadInt32(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble());
                double test = reader.ReadDouble();
                bool validated = reader.ReadBoolean();
                double validation = reader.ReadDouble();
                epochs[i] = new TrainedEpoch(result, test, validated ? validation : null);
            }
            return new TrainCheckpoint { CompletedEpochs = completed, Fingerprint = fingerprint, Seconds = seconds, State = state, Velocity = velocity, Epochs = epochs };
        });
    }
}
