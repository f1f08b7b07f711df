using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Tests.Format;

public sealed class AtomicWriteTests : TempFolderTest
{
    [Fact]
    public void WriteLeavesOnlyTheTarget()
    {
        using var model = TestModels.Small();
        string path = Path.Combine(Folder, "m.elr");
        ModelWriter.Write(model, path);
        ModelWriter.Write(model, path); // over an existing file
        Assert.Equal(["m.elr"], Directory.GetFiles(Folder).Select(Path.GetFileName));
        Assert.Equal(ModelWriter.ToArray(model), File.ReadAllBytes(path));
    }

    [Fact]
    public void UnwritableModelKeepsTheOldFileAndLeavesNoTemporary()
    {
        string path = Path.Combine(Folder, "m.elr");
        File.WriteAllBytes(path, [1, 2, 3]);
        using var model = new Model(new TensorShape(2), [new UnknownLayer()], new ModelMetadata());
        Assert.Throws<NotSupportedException>(() => ModelWriter.Write(model, path));
        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(Folder));
    }

    [Fact]
    public void FailedRenameDeletesTheTemporary()
    {
        string target = Path.Combine(Folder, "a-directory.elr");
        Directory.CreateDirectory(target); // a file cannot replace a directory
        using var model = TestModels.Small();
        Assert.ThrowsAny<IOException>(() => ModelWriter.Write(model, target));
        Assert.Empty(Directory.GetFiles(Folder));
        Assert.True(Directory.Exists(target));
    }

    /// <summary>A layer kind the v1 writer does not know.</summary>
    private sealed class UnknownLayer : Layer
    {
        public override LayerKind Kind => LayerKind.MaxPool2d;

        public override TensorShape GetOutputShape(TensorShape input) => input;
    }
}
