using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Tests.Format;

public sealed class RoundTripTests : TempFolderTest
{
    public static TheoryData<string> Models => ["small", "image"];

    private static Model Build(string name) => name == "small" ? TestModels.Small() : TestModels.Image();

    [Theory, MemberData(nameof(Models))]
    public void BytesLoaderReturnsTheSameModel(string name)
    {
        using var model = Build(name);
        using var read = ModelReader.Load(ModelWriter.ToArray(model));
        ModelAssert.Same(model, read);
    }

    [Theory, MemberData(nameof(Models))]
    public void PathLoaderMapsTheSameModel(string name)
    {
        using var model = Build(name);
        string path = Path.Combine(Folder, name + ".elr");
        ModelWriter.Write(model, path);
        using var read = ModelReader.Load(path);
        ModelAssert.Same(model, read);
    }

    [Theory, MemberData(nameof(Models))]
    public void StreamLoaderReadsSeekableAndForwardOnlyStreams(string name)
    {
        using var model = Build(name);
        var buffer = new MemoryStream();
        buffer.Write([1, 2, 3]); // the reader starts at the stream's position
        ModelWriter.Write(model, buffer);
        buffer.Position = 3;
        using (var read = ModelReader.Load(buffer)) ModelAssert.Same(model, read);
        using var forwardOnly = new ForwardOnlyStream(ModelWriter.ToArray(model));
        using var again = ModelReader.Load(forwardOnly);
        ModelAssert.Same(model, again);
    }

    [Fact]
    public void SameModelGivesSameBytes()
    {
        using Model a = TestModels.Small(), b = TestModels.Small();
        Assert.Equal(ModelWriter.ToArray(a), ModelWriter.ToArray(b));
    }

    [Fact]
    public void WeightsAreAlignedInMemoryForEveryLoader()
    {
        using var model = TestModels.Small();
        string path = Path.Combine(Folder, "aligned.elr");
        ModelWriter.Write(model, path);
        using var mapped = ModelReader.Load(path);
        using var copied = ModelReader.Load(File.ReadAllBytes(path));
        foreach (var read in new[] { mapped, copied })
        {
            foreach (var dense in read.Layers.OfType<DenseLayer>())
            {
                using var pin = dense.Weights.Data.Pin();
                unsafe { Assert.Equal(0, (long)pin.Pointer % FormatConstants.TensorAlignment); }
            }
        }
    }

    [Fact]
    public void EmptyMetadataRoundTrips()
    {
        using var model = new Model(new TensorShape(2), [new DenseLayer(TestModels.Matrix(2, 2, 1), ReadOnlyMemory<float>.Empty)], new ModelMetadata());
        using var read = ModelReader.Load(ModelWriter.ToArray(model));
        ModelAssert.Same(model, read);
    }

    [Fact]
    public void WriterRejectsMetadataItCannotStore()
    {
        using var wrongCount = new Model(new TensorShape(2), [new SoftmaxLayer()], new ModelMetadata { Labels = ["only one"] });
        using var newline = new Model(new TensorShape(2), [new SoftmaxLayer()], new ModelMetadata { Labels = ["a\nb", "c"] });
        Assert.Throws<ArgumentException>(() => ModelWriter.ToArray(wrongCount));
        Assert.Throws<ArgumentException>(() => ModelWriter.ToArray(newline));
    }

    /// <summary>A stream that cannot seek or report its length, like a pipe or a socket.</summary>
    private sealed class ForwardOnlyStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    }
}
