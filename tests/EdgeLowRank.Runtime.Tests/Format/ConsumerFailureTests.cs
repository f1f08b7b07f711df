using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.IO;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Tests.Format;

/// <summary>What an application embedding the runtime sees when it misuses the API: the library's own words and a
/// public type, not the framework's message for an open that failed or an internal type's name.</summary>
public class ConsumerFailureTests : TempFolderTest
{
    [Fact]
    public void Loading_a_folder_says_it_is_a_folder_as_an_io_exception()
    {
        // Opened as a file, a folder failed with UnauthorizedAccessException "Access to the path '…' is denied".
        var e = Assert.Throws<FilePathException>(() => ModelReader.Load(Folder));
        Assert.Equal($"'{Folder}' is a folder, not a file.", e.Message);
        Assert.IsAssignableFrom<IOException>(e);
        Assert.Throws<FilePathException>(() => InferenceSession.Load(Folder));
    }

    [Fact]
    public void The_weights_of_a_disposed_model_name_the_model()
    {
        // The ObjectDisposedException named 'EdgeLowRank.Runtime.Format.AlignedModelMemory', a type no caller can see.
        Model model = ModelReader.Load(ModelWriter.ToArray(TestModels.Small()));
        var dense = model.Layers.OfType<DenseLayer>().First();
        model.Dispose();

        var e = Assert.Throws<ObjectDisposedException>(() => dense.Bias.Span.ToArray());
        Assert.Equal(typeof(Model).FullName, e.ObjectName);
        // Refused where the session is made, not at its first run (the trial's second finding).
        Assert.Equal(typeof(Model).FullName, Assert.Throws<ObjectDisposedException>(() => new InferenceSession(model)).ObjectName);
    }
}
