using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Tests.Format;

/// <summary>One .elr file loaded by each of the reader's three loaders: mapped from its path, copied from its bytes, and
/// read from a stream. Disposing it disposes the three models.</summary>
internal sealed class EveryLoader : IDisposable
{
    public EveryLoader(string path)
    {
        Mapped = ModelReader.Load(path);
        Copied = ModelReader.Load(File.ReadAllBytes(path));
        using var stream = File.OpenRead(path);
        Streamed = ModelReader.Load(stream);
    }

    public Model Mapped { get; }

    public Model Copied { get; }

    public Model Streamed { get; }

    /// <summary>The three models, mapped first.</summary>
    public IReadOnlyList<Model> All => [Mapped, Copied, Streamed];

    public void Dispose()
    {
        Mapped.Dispose();
        Copied.Dispose();
        Streamed.Dispose();
    }
}
