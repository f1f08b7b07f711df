using System.IO.MemoryMappedFiles;

namespace EdgeLowRank.Runtime.Format;

/// <summary>A model file mapped read-only into memory: weights are read in place, and pages are
/// loaded by the OS on first touch and shared between processes running the same model.</summary>
internal sealed unsafe class MappedModelMemory : NativeModelMemory
{
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;

    private MappedModelMemory(MemoryMappedFile file, MemoryMappedViewAccessor view, byte* pointer, int length)
        : base(pointer, length)
    {
        _file = file;
        _view = view;
    }

    /// <summary>Maps <paramref name="length"/> bytes of the open <paramref name="stream"/> (taking ownership of it).</summary>
    public static MappedModelMemory Map(FileStream stream, int length)
    {
        var file = MemoryMappedFile.CreateFromFile(stream, null, length, MemoryMappedFileAccess.Read,
            HandleInheritability.None, leaveOpen: false);
        MemoryMappedViewAccessor? view = null;
        try
        {
            view = file.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
            byte* pointer = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            return new MappedModelMemory(file, view, pointer + view.PointerOffset, length);
        }
        catch
        {
            view?.Dispose();
            file.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    protected override void Release(byte* pointer)
    {
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
    }
}
