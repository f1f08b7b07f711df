using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Data;

/// <summary>
/// Whether a model can run on a data set: one sample is one input, one output per class. Training, compression and
/// evaluation all ask, and say it with the same words.
/// </summary>
public static class ModelFit
{
    /// <summary>Why <paramref name="model"/> cannot run on the data set, or null when it can.</summary>
    /// <param name="model">The model as the user knows it: a file name or a zoo name.</param>
    /// <param name="input">The model's input shape.</param>
    /// <param name="outputs">The model's output count.</param>
    /// <param name="dataset">The data set's name.</param>
    /// <param name="samples">The shape of one sample.</param>
    /// <param name="classes">The number of classes.</param>
    public static string? Mismatch(string model, TensorShape input, int outputs, string dataset, SampleShape samples, int classes)
    {
        if (input.ElementCount != samples.Size)
            return $"{model} takes inputs of {input} ({input.ElementCount:N0} numbers) but {dataset} holds samples of {samples} ({samples.Size:N0}); "
                + "use a model made for this data set.";
        if (outputs != classes)
            return $"{model} has {outputs} outputs but {dataset} has {classes} classes; use a model made for this data set.";
        return null;
    }

    /// <summary>
    /// The classes of <paramref name="model"/>, one per output: the labels it records, or its outputs numbered 0, 1, … where it
    /// records none (or not one per output). What a folder without classes.txt takes when a command measures this model on it.
    /// </summary>
    public static IReadOnlyList<string> ClassesOf(Model model)
    {
        ArgumentNullException.ThrowIfNull(model);
        int outputs = model.OutputShape.ElementCount;
        return model.Metadata.Labels.Count == outputs ? model.Metadata.Labels : NpyClassNames.Numbered(outputs);
    }
}
