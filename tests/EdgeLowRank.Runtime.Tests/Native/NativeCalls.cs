using System.Runtime.InteropServices;
using System.Text;
using EdgeLowRank.Runtime.Native;

namespace EdgeLowRank.Runtime.Tests.Native;

/// <summary>The C API's functions called as C calls them: through unmanaged function pointers, so each call crosses the
/// same boundary (no exception may pass it) and takes the same raw pointers as from libelr.so.</summary>
internal static unsafe class NativeCalls
{
    /// <summary>elr_session_open with options { maxBatchSize, threads }, or NULL options when both are null.</summary>
    public static Status Open(string? path, int? maxBatchSize, out nint session, int? threads = null)
    {
        var options = new NativeOptions { MaxBatchSize = maxBatchSize ?? 0, Threads = threads ?? 0 };
        nint result = 0x5EED; // not NULL: a failed open must set it to NULL
        Status status = OpenRaw(path, maxBatchSize is null && threads is null ? null : &options, &result);
        session = result;
        return status;
    }

    /// <summary>elr_session_open with options whose reserved word <paramref name="word"/> is <paramref name="value"/>.</summary>
    public static Status OpenWithReserved(string path, int word, int value)
    {
        var options = new NativeOptions();
        options.Reserved[word] = value;
        nint session;
        return OpenRaw(path, &options, &session);
    }

    /// <summary>elr_session_open with NULL for the session pointer.</summary>
    public static Status OpenWithoutResult(string path) => OpenRaw(path, null, null);

    /// <summary>elr_session_open of a path given as its bytes (a NUL is added), which need not be UTF-8.</summary>
    public static Status OpenPathBytes(byte[] path, out nint session)
    {
        delegate* unmanaged<byte*, NativeOptions*, nint*, Status> open = &SessionExports.Open;
        byte[] terminated = [.. path, 0];
        nint result = 0x5EED;
        Status status;
        fixed (byte* text = terminated) status = open(text, null, &result);
        session = result;
        return status;
    }

    private static Status OpenRaw(string? path, NativeOptions* options, nint* session)
    {
        delegate* unmanaged<byte*, NativeOptions*, nint*, Status> open = &SessionExports.Open;
        if (path is null) return open(null, options, session);
        fixed (byte* text = Utf8(path)) return open(text, options, session);
    }

    public static Status OpenBytes(byte[]? bytes, int? maxBatchSize, out nint session, int threads = 0)
    {
        delegate* unmanaged<byte*, nuint, NativeOptions*, nint*, Status> open = &SessionExports.OpenBytes;
        nint result = 0x5EED;
        var options = new NativeOptions { MaxBatchSize = maxBatchSize ?? 0, Threads = threads };
        Status status;
        fixed (byte* data = bytes) status = open(data, (nuint)(bytes?.Length ?? 16), maxBatchSize is null && threads == 0 ? null : &options, &result);
        session = result;
        return status;
    }

    public static Status InputShape(nint session, out NativeShape shape)
    {
        delegate* unmanaged<nint, NativeShape*, Status> get = &SessionExports.InputShape;
        fixed (NativeShape* target = &shape) return get(session, target);
    }

    public static Status OutputShape(nint session, out NativeShape shape)
    {
        delegate* unmanaged<nint, NativeShape*, Status> get = &SessionExports.OutputShape;
        fixed (NativeShape* target = &shape) return get(session, target);
    }

    public static Status Label(nint session, int index, out string? label)
    {
        delegate* unmanaged<nint, int, byte**, Status> get = &SessionExports.Label;
        byte* text = (byte*)0x5EED; // not NULL: a failed call must set it to NULL
        Status status = get(session, index, &text);
        label = text is null ? null : Marshal.PtrToStringUTF8((nint)text);
        return status;
    }

    public static Status LabelInto(nint session, int index, byte** label)
    {
        delegate* unmanaged<nint, int, byte**, Status> get = &SessionExports.Label;
        return get(session, index, label);
    }

    public static Status ShapeInto(nint session, NativeShape* shape)
    {
        delegate* unmanaged<nint, NativeShape*, Status> get = &SessionExports.InputShape;
        return get(session, shape);
    }

    public static Status Run(nint session, float[]? input, int inputLength, float[]? output, int outputLength, int batchSize)
    {
        fixed (float* x = input)
        fixed (float* y = output)
            return Run(session, x, inputLength, y, outputLength, batchSize);
    }

    public static Status Run(nint session, float* input, int inputLength, float* output, int outputLength, int batchSize)
    {
        delegate* unmanaged<nint, float*, nuint, float*, nuint, int, Status> run = &SessionExports.Run;
        return run(session, input, (nuint)inputLength, output, (nuint)outputLength, batchSize);
    }

    public static Status InputPixelMax(nint session, out int pixelMax)
    {
        int result = -1; // a call that succeeds must write it
        Status status = InputPixelMaxInto(session, &result);
        pixelMax = result;
        return status;
    }

    public static Status InputPixelMaxInto(nint session, int* pixelMax)
    {
        delegate* unmanaged<nint, int*, Status> get = &PixelExports.InputPixelMax;
        return get(session, pixelMax);
    }

    public static Status RunPixels(nint session, byte[]? pixels, int pixelsLength, int pixelMax, float[]? output, int outputLength, int batchSize)
    {
        delegate* unmanaged<nint, byte*, nuint, int, float*, nuint, int, Status> run = &PixelExports.RunPixels;
        fixed (byte* p = pixels)
        fixed (float* y = output)
            return run(session, p, (nuint)pixelsLength, pixelMax, y, (nuint)outputLength, batchSize);
    }

    /// <summary>elr_session_metadata for <paramref name="key"/> (NULL when null).</summary>
    public static Status Metadata(nint session, string? key, out string? value)
    {
        byte* text = (byte*)0x5EED; // not NULL: an absent key and a failed call must set it to NULL
        Status status = MetadataInto(session, key, &text);
        value = text is null ? null : Marshal.PtrToStringUTF8((nint)text);
        return status;
    }

    public static Status MetadataInto(nint session, string? key, byte** value)
    {
        delegate* unmanaged<nint, byte*, byte**, Status> get = &MetadataExports.Value;
        if (key is null) return get(session, null, value);
        fixed (byte* text = Utf8(key)) return get(session, text, value);
    }

    public static Status MetadataCount(nint session, out int count)
    {
        delegate* unmanaged<nint, int*, Status> get = &MetadataExports.Count;
        int result = -1;
        Status status = get(session, &result);
        count = result;
        return status;
    }

    public static Status MetadataKey(nint session, int index, out string? key)
    {
        delegate* unmanaged<nint, int, byte**, Status> get = &MetadataExports.Key;
        byte* text = (byte*)0x5EED;
        Status status = get(session, index, &text);
        key = text is null ? null : Marshal.PtrToStringUTF8((nint)text);
        return status;
    }

    public static void Close(nint session)
    {
        delegate* unmanaged<nint, void> close = &SessionExports.Close;
        close(session);
    }

    public static int ApiVersion()
    {
        delegate* unmanaged<int> get = &LibraryExports.GetApiVersion;
        return get();
    }

    public static string Version()
    {
        delegate* unmanaged<byte*> get = &LibraryExports.GetVersion;
        return Marshal.PtrToStringUTF8((nint)get())!;
    }

    public static string StatusName(Status status)
    {
        delegate* unmanaged<Status, byte*> get = &LibraryExports.GetStatusName;
        return Marshal.PtrToStringUTF8((nint)get(status))!;
    }

    public static string LastError()
    {
        delegate* unmanaged<byte*> get = &LibraryExports.GetLastErrorMessage;
        return Marshal.PtrToStringUTF8((nint)get())!;
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text + "\0");
}
