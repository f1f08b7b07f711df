using EdgeLowRank.Compressor.Compression;
using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Export;
using EdgeLowRank.Compressor.Models;
using EdgeLowRank.Compressor.Tests.Data;
using EdgeLowRank.Compressor.Tests.Export;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Tests.Compression;

public sealed class MnistCompressionTests
{
    /// <summary>
    /// A shortened schedule end to end: LeNet-300-100 trained 3 epochs, 6 LC steps with CUR at target
    /// ratio 6, 2 fine-tune epochs, written to a file and scored by the runtime session on that file.
    /// </summary>
    [RealDataFact("mnist")]
    public void CompressedLeNet300IsFiveTimesSmallerAndNinetySixPercentAccurate()
    {
        DatasetParts data = RealData.Load("mnist");
        Network network = ModelZoo.Create("lenet300", data.Train.SampleShape, 10, seed: 1);
        var trainer = new Trainer(network, new TrainingOptions { Schedule = new ExponentialSchedule(0.1, 0.9) });
        for (int e = 0; e < 3; e++) trainer.RunEpoch(data.Train, e);

        LcResult result = LearningCompression.Run(network, data, new LcOptions
        {
            Method = FactorizationMethod.Cur, TargetRatio = 6, Steps = 6, Mu0 = 1e-3, MuGrowth = 2, FinetuneEpochs = 2,
        });

        using var folder = new TempDirectory();
        var metadata = new ModelMetadata { Dataset = data.Test.Name, Accuracy = result.Accuracy, ReferenceAccuracy = result.ReferenceAccuracy };
        using (Model model = NetworkExporter.ToModel(result.Network, metadata)) ModelWriter.Write(model, folder.File("c.elr"));
        using InferenceSession session = InferenceSession.Load(folder.File("c.elr"), new SessionOptions { MaxBatchSize = 500 });
        Assert.True((double)session.Model.DenseEquivalentParameterCount / session.Model.ParameterCount >= 5);
        double accuracy = RuntimeAgreement.Accuracy(session, data.Test);
        Assert.True(accuracy >= 0.96, $"accuracy {accuracy:P2}");
        Assert.Equal(result.Accuracy, accuracy, 3);
    }
}
