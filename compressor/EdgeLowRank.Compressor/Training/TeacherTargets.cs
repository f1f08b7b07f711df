using EdgeLowRank.Compressor.Data;

namespace EdgeLowRank.Compressor.Training;

/// <summary>
/// A teacher network's softened class probabilities softmax(z/T) for every sample of a data set, computed
/// once: the reference network does not change while it teaches, and the samples are not augmented, so
/// there is nothing to recompute per batch.
/// </summary>
public sealed class TeacherTargets
{
    private readonly float[] _probabilities;

    private TeacherTargets(float[] probabilities, int classes, float temperature)
    {
        _probabilities = probabilities;
        Classes = classes;
        Temperature = temperature;
    }

    /// <summary>Classes per sample.</summary>
    public int Classes { get; }

    /// <summary>The temperature T the probabilities were softened with.</summary>
    public float Temperature { get; }

    /// <summary>Runs <paramref name="teacher"/> over <paramref name="data"/> and keeps softmax(logits/T) per sample.</summary>
    public static TeacherTargets Compute(Network teacher, Dataset data, float temperature, ComputeThreads threads)
    {
        if (!(temperature > 0) || !float.IsFinite(temperature)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "The temperature must be a positive number.");
        Trainer.RequireCompatible(teacher, data);
        int classes = data.ClassCount, size = data.SampleShape.Size, batch = teacher.MaxBatch;
        var probabilities = new float[checked(data.Count * classes)];
        for (int start = 0; start < data.Count; start += batch)
        {
            int count = Math.Min(batch, data.Count - start);
            ReadOnlySpan<float> logits = teacher.Forward(data.Pixels.Span.Slice(start * size, count * size), count, threads);
            for (int b = 0; b < count; b++)
                DistillationLoss.SoftenedSoftmax(logits.Slice(b * classes, classes), temperature, probabilities.AsSpan((start + b) * classes, classes));
        }
        return new TeacherTargets(probabilities, classes, temperature);
    }

    /// <summary>The probabilities of sample <paramref name="sample"/>.</summary>
    public ReadOnlySpan<float> Of(int sample) => _probabilities.AsSpan(sample * Classes, Classes);
}
