using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Tests.Format;

/// <summary>What an application embedding the runtime sees when it misuses the API: the library's own words and a
/// public type, not the framework's message for an open that failed or an internal type's name.</summary>
public class ConsumerFailureTests : TempFolderTest
{
    [Fact]
    public void The_weights_of_a_disposed_model_name_the_model()
    {
        // The ObjectDisposedException named 'EdgeLowRank.Runtime.Format.AlignedModelMemory', a type no caller can see.
        Model model = ModelReader.Load(ModelWriter.ToArray(TestModels.Small()));
        var dense = model.Layers.OfType<DenseLayer>().First();
        model.Dispose();

        var e = Assert.Throws<ObjectDisposedException>(() => dense.Bias.Span.ToArray());
        Assert.Equal(typeof(Model).FullName, e.ObjectName);
        Assert.Equal(typeof(Model).FullName, Assert.Throws<ObjectDisposedException>(() =>
        {
            using var session = new InferenceSession(model);
            session.Run(new float[session.InputLength], new float[session.OutputLength]);
        }).ObjectName);
    }
}
