using System.Globalization;
using System.Reflection;
using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Models;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Export;

/// <summary>The metadata a network trained by <c>elr train</c> is written with: a reference network, or (with fixed ranks) a compressed shape trained from scratch.</summary>
public static class ExportMetadata
{
    /// <summary>The producer recorded in every model: "elr".</summary>
    public const string Producer = "elr";

    /// <summary>The property that names the network (lenet300, or an imported file's name), which <see cref="NetworkImporter"/>
    /// gives the network it rebuilds.</summary>
    public const string ModelNameProperty = "model";

    /// <summary>This build's version with the commit it was built from ("0.1.0+cf68492…"), as <c>elr --version</c> prints it, the
    /// logs record it (producerVersion) and every model written records it as its producer version (ONNX's producer_version
    /// holds the same, as PyTorch's "2.1.0+cu121" does), so that a pipeline can tell which build made a model.</summary>
    public static string InformationalVersion { get; } =
        typeof(ExportMetadata).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>Records in <paramref name="properties"/> the full scale of a data set's integer pixels
    /// (<see cref="DatasetInfo.IntegerPixelMax"/>, <see cref="ModelMetadata.InputPixelMaxProperty"/>), so that elr-run scales
    /// integer input as training did; records nothing for float pixels (null), whose scale the file then leaves unknown.</summary>
    public static void RecordInputScale(IDictionary<string, string> properties, int? integerPixelMax)
    {
        ArgumentNullException.ThrowIfNull(properties);
        if (integerPixelMax is int max) properties[ModelMetadata.InputPixelMaxProperty] = max.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Metadata for a network trained with <paramref name="options"/>, whose accuracy on <paramref name="test"/> is
    /// <paramref name="accuracy"/>: stored as both the reference and the model accuracy of a dense network, and as the model
    /// accuracy only of one with factorized layers (<see cref="FixedRanks"/>), which no reference network was compressed into.</summary>
    /// <param name="network">The trained network (its name is recorded).</param>
    /// <param name="test">The data set the accuracy was measured on; its name, e.g. "mnist/test", and class names are recorded.</param>
    /// <param name="accuracy">Test accuracy in [0, 1].</param>
    /// <param name="options">The training settings, recorded as "train.*" properties.</param>
    /// <param name="trainingSeconds">Wall time of the training.</param>
    /// <param name="validation">The share of the training set held out and the final accuracy on it, recorded as
    /// "train.validation" and "train.validation-accuracy"; null when nothing was held out.</param>
    /// <param name="integerPixelMax">The data set's <see cref="DatasetInfo.IntegerPixelMax"/>, recorded (<see cref="RecordInputScale"/>).</param>
    public static ModelMetadata ForTraining(Network network, Dataset test, double accuracy, TrainingOptions options, double trainingSeconds,
        (double Fraction, double Accuracy)? validation = null, int? integerPixelMax = null)
    {
        var properties = new Dictionary<string, string>(options.ToProperties())
        {
            [ModelNameProperty] = network.Name,
            ["train.seconds"] = trainingSeconds.ToString("F1", CultureInfo.InvariantCulture),
        };
        RecordInputScale(properties, integerPixelMax);
        string ranks = FixedRanks.Describe(network);
        if (ranks.Length > 0) properties["train.ranks"] = ranks;
        if (validation is var (fraction, heldOutAccuracy))
        {
            properties["train.validation"] = fraction.ToString("R", CultureInfo.InvariantCulture);
            properties["train.validation-accuracy"] = heldOutAccuracy.ToString("F4", CultureInfo.InvariantCulture);
        }
        return new ModelMetadata
        {
            Producer = Producer,
            ProducerVersion = InformationalVersion,
            Labels = test.ClassNames,
            Dataset = test.Name,
            ReferenceAccuracy = ranks.Length > 0 ? null : accuracy,
            Accuracy = accuracy,
            Properties = properties,
        };
    }
}
