using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Export;
using EdgeLowRank.Compressor.Models;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Tests.Export;

/// <summary><c>elr quantize</c> writes the file, so the file names elr as its producer, as compress and train do, and keeps
/// the input's producer in a property of its own.</summary>
public sealed class QuantizedProducerTests
{
    private static Model Lenet300(ModelMetadata metadata) =>
        NetworkExporter.ToModel(ModelZoo.Create("lenet300", new SampleShape(28, 28, 1), 10, seed: 3), metadata);

    [Fact]
    public void An_imported_models_quantized_file_names_elr_and_keeps_the_importers_producer_apart()
    {
        using Model imported = Lenet300(new ModelMetadata { Producer = "pytorch", ProducerVersion = "1.13.0" });

        (Model quantized, _) = WeightQuantization.Apply(imported, []);

        using (quantized)
        {
            Assert.Equal(ExportMetadata.Producer, quantized.Metadata.Producer);
            Assert.Equal(ExportMetadata.InformationalVersion, quantized.Metadata.ProducerVersion);
            Assert.Equal("pytorch 1.13.0", quantized.Metadata.Properties[WeightQuantization.SourceProducerProperty]);
        }
    }

    [Fact]
    public void A_model_that_names_no_producer_records_no_source_producer()
    {
        using Model unnamed = Lenet300(new ModelMetadata());

        (Model quantized, _) = WeightQuantization.Apply(unnamed, []);

        using (quantized)
        {
            Assert.Equal(ExportMetadata.Producer, quantized.Metadata.Producer);
            Assert.False(quantized.Metadata.Properties.ContainsKey(WeightQuantization.SourceProducerProperty));
        }
    }
}
