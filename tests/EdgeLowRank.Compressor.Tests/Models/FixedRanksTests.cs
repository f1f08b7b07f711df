using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Export;
using EdgeLowRank.Compressor.Models;
using EdgeLowRank.Compressor.Tests.Data;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Tests.Models;

/// <summary><c>elr train --ranks</c>: zoo models with layers factorized at fixed ranks, trained from a random start.</summary>
public sealed class FixedRanksTests
{
    private static readonly SampleShape Mnist = new(28, 28, 1);

    private static Network LeNet300(string ranks, ulong seed = 1) => ModelZoo.Create("lenet300", Mnist, 10, seed, ranks: FixedRanks.Parse(ranks));

    [Fact]
    public void Pairs_are_read_with_spaces_around_them() =>
        Assert.Equal(new Dictionary<string, int> { ["fc1"] = 19, ["fc2"] = 11 }, FixedRanks.Parse("fc1=19, fc2 = 11"));

    [Theory]
    [InlineData("fc1", "layer=rank pairs")]
    [InlineData("=3", "layer=rank pairs")]
    [InlineData("fc1=3,", "layer=rank pairs")]
    [InlineData("fc1=0", "whole number of at least 1")]
    [InlineData("fc1=-2", "whole number of at least 1")]
    [InlineData("fc1=1.5", "whole number of at least 1")]
    [InlineData("fc1=3,fc1=4", "names fc1 twice")]
    [InlineData("", "--ranks is empty")]
    [InlineData("fc1=19,,fc2=3", "entry 2 of 3 is empty")]
    [InlineData("fc1=99999999999", "too large for any layer")]
    public void A_malformed_list_is_refused_saying_what_is_wrong(string text, string message) =>
        Assert.Contains(message, Assert.Throws<TrainingException>(() => FixedRanks.Parse(text)).Message);

    [Fact]
    public void The_named_layers_become_factorized_layers_of_their_rank_and_the_rest_stays_dense()
    {
        Network network = LeNet300("fc1=19,fc2=11");

        // 19·(784 + 300) + 300 + 11·(300 + 100) + 100 + 100·10 + 10: the parameters of LC's 10.10× LeNet-300-100.
        Assert.Equal(26_406, network.ParameterCount);
        var fc1 = Assert.IsType<FactorizedLayer>(network.Layers[1]);
        Assert.Equal((19, FactorizationMethod.None), (fc1.Rank, fc1.Method));
        Assert.IsType<Dense>(network.Layers[5]);
        Assert.Equal("fc1=19,fc2=11", FixedRanks.Describe(network));
    }

    [Fact]
    public void The_factors_are_initialized_from_the_seed()
    {
        float[] First(Network n) => ((Dense)((FactorizedLayer)n.Layers[1]).First).Weight.Value;
        float[] weights = First(LeNet300("fc1=19", seed: 1));
        Assert.Contains(weights, w => w != 0);
        Assert.Equal(weights, First(LeNet300("fc1=19", seed: 1)));
        Assert.NotEqual(weights, First(LeNet300("fc1=19", seed: 2)));
    }

    [Fact]
    public void A_convolution_becomes_a_k_by_k_convolution_to_r_channels_then_a_one_by_one()
    {
        Network network = ModelZoo.Create("lenet5", Mnist, 10, seed: 1, ranks: FixedRanks.Parse("conv2=8"));
        var conv2 = Assert.IsType<FactorizedLayer>(network.Layers[2]);
        Assert.Equal((20, 8, 5), (((Conv2d)conv2.First).InputChannels, ((Conv2d)conv2.First).OutputChannels, ((Conv2d)conv2.First).Geometry.KernelSize));
        Assert.Equal((8, 50), (((Conv2d)conv2.Second).InputChannels, ((Conv2d)conv2.Second).OutputChannels));
        Assert.Equal("conv2=8", FixedRanks.Describe(network));
        using Model model = NetworkExporter.ToModel(network, new ModelMetadata());
        Assert.Equal("trained", Assert.Single(model.Layers, l => l.Kind == LayerKind.FactorizedConv2d).MethodLabel);
        // conv1 is 20×25: r·45 < 500 up to r = 11.
        Assert.Contains("rank from 1 to 11", Assert.Throws<TrainingException>(() =>
            ModelZoo.Create("lenet5", Mnist, 10, seed: 1, ranks: FixedRanks.Parse("conv1=12"))).Message);
    }

    [Fact]
    public void A_name_that_is_not_a_weighted_layer_is_refused_with_the_ones_there_are()
    {
        string message = Assert.Throws<TrainingException>(() => LeNet300("relu1=3")).Message;
        Assert.Contains("'relu1'", message);
        Assert.Contains("fc1, fc2, fc3", message);
    }

    [Fact]
    public void A_rank_that_saves_nothing_is_refused_with_the_highest_that_does()
    {
        // fc1 is 300×784: r·1,084 < 235,200 up to r = 216.
        Assert.Equal(216L * 1084 + 300 + 300 * 100 + 100 + 100 * 10 + 10, LeNet300("fc1=216").ParameterCount);
        string message = Assert.Throws<TrainingException>(() => LeNet300("fc1=217")).Message;
        Assert.Contains("rank from 1 to 216", message);
        Assert.Contains("235,228", message);
    }

    [Fact]
    public void The_exported_model_holds_factorized_layers_labelled_trained()
    {
        using Model model = NetworkExporter.ToModel(LeNet300("fc1=19,fc2=11"), new ModelMetadata());
        Assert.Equal(["trained", "trained", "dense"], model.Layers.Where(l => l.ParameterCount > 0).Select(l => l.MethodLabel));
        Assert.Equal(19, model.Layers.First(l => l.Kind == LayerKind.FactorizedDense).Rank);
    }

    [RealDataFact("digits")]
    public void The_factorized_digits_mlp_learns_from_a_random_start()
    {
        DatasetParts data = RealData.Load("digits");
        Network network = ModelZoo.Create("digits-mlp", data.Train.SampleShape, 10, seed: 1, ranks: FixedRanks.Parse("fc1=8,fc2=8"));
        var trainer = new Trainer(network, new TrainingOptions { Epochs = 30, Schedule = new ExponentialSchedule(0.05, 0.95), Threads = 1 });
        for (int epoch = 0; epoch < 30; epoch++) trainer.RunEpoch(data.Train, epoch);

        Assert.InRange(trainer.Evaluate(data.Test).Accuracy, 0.9, 1.0);
    }
}
