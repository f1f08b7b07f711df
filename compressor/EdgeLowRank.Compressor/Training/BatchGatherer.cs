using EdgeLowRank.Compressor.Data;

namespace EdgeLowRank.Compressor.Training;

/// <summary>Copies the samples of one minibatch, in a given order, into contiguous buffers (with the
/// teacher's probabilities for those samples, when distilling).</summary>
internal sealed class BatchGatherer(Dataset data, int batchSize, TeacherTargets? teacher = null)
{
    private readonly float[] _inputs = new float[checked(batchSize * data.SampleShape.Size)];
    private readonly byte[] _labels = new byte[batchSize];
    private readonly float[] _teacher = teacher is null ? [] : new float[checked(batchSize * teacher.Classes)];

    /// <summary>Gathers the samples at <paramref name="indices"/>; returns how many.</summary>
    public int Gather(ReadOnlySpan<int> indices)
    {
        int size = data.SampleShape.Size;
        ReadOnlySpan<float> pixels = data.Pixels.Span;
        ReadOnlySpan<byte> labels = data.Labels.Span;
        for (int i = 0; i < indices.Length; i++)
        {
            pixels.Slice(indices[i] * size, size).CopyTo(_inputs.AsSpan(i * size, size));
            _labels[i] = labels[indices[i]];
            teacher?.Of(indices[i]).CopyTo(_teacher.AsSpan(i * teacher.Classes, teacher.Classes));
        }
        return indices.Length;
    }

    /// <summary>The first <paramref name="count"/> gathered inputs.</summary>
    public ReadOnlySpan<float> Inputs(int count) => _inputs.AsSpan(0, count * data.SampleShape.Size);

    /// <summary>The first <paramref name="count"/> gathered labels.</summary>
    public ReadOnlySpan<byte> Labels(int count) => _labels.AsSpan(0, count);

    /// <summary>The teacher's probabilities for the first <paramref name="count"/> gathered samples; empty without a teacher.</summary>
    public ReadOnlySpan<float> Teacher(int count) => teacher is null ? [] : _teacher.AsSpan(0, count * teacher.Classes);
}
