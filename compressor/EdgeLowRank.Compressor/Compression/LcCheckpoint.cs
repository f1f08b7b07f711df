using System.Text.Json;
using EdgeLowRank.Compressor.IO;

namespace EdgeLowRank.Compressor.Compression;

/// <summary>
/// The state after a completed LC step: every network parameter, Θ_l, λ_l, the ranks and the step
/// reports, in the framing <see cref="CheckpointFile"/> writes (atomic, versioned, a CRC-64 at the end). The L step starts
/// each step with a fresh optimizer, unless --keep-velocity carries the momentum across steps: then the velocity is saved
/// too, so a resumed run continues exactly either way. A CRC-64 of the content ends the
/// file: a damaged checkpoint is refused rather than resumed into a different run.
/// </summary>
internal sealed class LcCheckpoint
{
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

    private static readonly CheckpointFile.Kind Format = new("ELR-LC-CHECKPOINT", Version, "an LC checkpoint", "checkpoint version");

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

    public void Save(string directory) => CheckpointFile.Write(PathIn(directory), Format, writer =>
    {
        writer.Write(CompletedSteps);
        writer.Write(Fingerprint);
        foreach (float[][] arrays in new[] { Parameters, Theta, Multipliers, Left, Right, Velocity }) CheckpointFile.WriteArrays(writer, arrays);
        writer.Write(Ranks.Length);
        for (int i = 0; i < Ranks.Length; i++)
        {
            writer.Write(Ranks[i]);
            writer.Write(KeepDense[i]);
        }
        writer.Write(JsonSerializer.Serialize(Reports, Json));
    });

    /// <summary>Reads the checkpoint in <paramref name="directory"/>, or null when there is none.</summary>
    /// <exception cref="CheckpointFormatException">The file is not an LC checkpoint of this version, or it is damaged.</exception>
    public static LcCheckpoint? Load(string directory)
    {
        string path = PathIn(directory);
        if (!File.Exists(path)) return null;
        return CheckpointFile.Read(path, Format, reader =>
        {
            int completed = reader.ReadInt32();
            string fingerprint = reader.ReadString();
            float[][] parameters = CheckpointFile.ReadArrays(reader), theta = CheckpointFile.ReadArrays(reader), multipliers = CheckpointFile.ReadArrays(reader);
            float[][] left = CheckpointFile.ReadArrays(reader), right = CheckpointFile.ReadArrays(reader), velocity = CheckpointFile.ReadArrays(reader);
            int count = CheckpointFile.ReadCount(reader, sizeof(int) + sizeof(bool), "layer count");
            var ranks = new int[count];
            var dense = new bool[count];
            for (int i = 0; i < count; i++)
            {
                ranks[i] = reader.ReadInt32();
                dense[i] = reader.ReadBoolean();
            }
            var reports = JsonSerializer.Deserialize<List<LcStepReport>>(reader.ReadString(), Json) ?? [];
            // One report for the direct compression and one per finished LC step: a count that disagrees was resumed as
            // -7 steps done (steps at the wrong μ) or 2,147,483,647 (none run, the model written) by a file whose CRC was resealed.
            if (completed < 0 || reports.Count != completed + 1)
                throw new InvalidDataException($"its count of finished LC steps is {completed:N0}, but it holds {reports.Count:N0} step reports, one more than the finished steps");
            return new LcCheckpoint
            {
                CompletedSteps = completed, Fingerprint = fingerprint, Parameters = parameters, Theta = theta, Multipliers = multipliers, Left = left, Right = right,
                Velocity = velocity, Ranks = ranks, KeepDense = dense, Reports = reports,
            };
        });
    }
}
