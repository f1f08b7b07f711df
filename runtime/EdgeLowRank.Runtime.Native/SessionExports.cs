using System.Runtime.InteropServices;
using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.IO;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Native;

/// <summary>
/// The session functions of include/elr.h. Each checks its arguments with messages that name the function and the
/// parameter, then calls <see cref="InferenceSession"/>; no exception crosses into C (it would end the process), every
/// failure becomes a <see cref="Status"/> and the thread's <see cref="LastError"/>.
/// </summary>
internal static unsafe class SessionExports
{
    /// <summary>elr_session_open.</summary>
    [UnmanagedCallersOnly(EntryPoint = "elr_session_open")]
    public static Status Open(byte* modelPath, NativeOptions* options, nint* session)
    {
        try
        {
            ClearOutput(session);
            if (modelPath is null) throw new ApiArgumentException("model_path is NULL; pass the .elr file's path.");
            NativeOptions settings = Settings(options);
            // Checked first, so a folder, a pipe or an empty file is named as such rather than as a read error.
            string given = Utf8Text.Decode(modelPath, "model_path", NotUtf8Path);
            string path = FilePaths.RequireInput(given, "model_path", WhenMissing(given));
            *session = Create(ModelReader.Load(path), settings);
            return LastError.Succeeded();
        }
        catch (Exception e)
        {
            return LastError.Failed("elr_session_open", e);
        }
    }

    /// <summary>elr_session_open_bytes.</summary>
    [UnmanagedCallersOnly(EntryPoint = "elr_session_open_bytes")]
    public static Status OpenBytes(byte* modelBytes, nuint length, NativeOptions* options, nint* session)
    {
        try
        {
            ClearOutput(session);
            if (modelBytes is null) throw new ApiArgumentException("model_bytes is NULL; pass the .elr file's bytes.");
            if (length > int.MaxValue) throw new ApiArgumentException($"length is {length} bytes; a model in memory has at most {int.MaxValue}.");
            NativeOptions settings = Settings(options);
            *session = Create(ModelReader.Load(new ReadOnlySpan<byte>(modelBytes, (int)length)), settings);
            return LastError.Succeeded();
        }
        catch (Exception e)
        {
            return LastError.Failed("elr_session_open_bytes", e);
        }
    }

    /// <summary>elr_session_input_shape.</summary>
    [UnmanagedCallersOnly(EntryPoint = "elr_session_input_shape")]
    public static Status InputShape(nint session, NativeShape* shape) => WriteShape(session, shape, input: true);

    /// <summary>elr_session_output_shape.</summary>
    [UnmanagedCallersOnly(EntryPoint = "elr_session_output_shape")]
    public static Status OutputShape(nint session, NativeShape* shape) => WriteShape(session, shape, input: false);

    /// <summary>elr_session_label.</summary>
    [UnmanagedCallersOnly(EntryPoint = "elr_session_label")]
    public static Status Label(nint session, int index, byte** label)
    {
        try
        {
            using SessionCall call = SessionHandles.Enter(session);
            OpenSession target = call.Session;
            if (label is null) throw new ApiArgumentException("label is NULL; pass the address of a const char * to receive the label.");
            *label = null;
            int classes = target.Session.OutputLength;
            if (index < 0 || index >= classes)
                throw new ApiArgumentException($"index is {index}, but the model's outputs are classes 0 to {classes - 1}.");
            *label = target.Label(index);
            return LastError.Succeeded();
        }
        catch (Exception e)
        {
            return LastError.Failed("elr_session_label", e);
        }
    }

    /// <summary>elr_session_run.</summary>
    [UnmanagedCallersOnly(EntryPoint = "elr_session_run")]
    public static Status Run(nint session, float* input, nuint inputLength, float* output, nuint outputLength, int batchSize)
    {
        try
        {
            using SessionCall call = SessionHandles.Enter(session);
            InferenceSession target = call.Session.Session;
            RequireBatch(batchSize);
            int inputFloats = Elements("input", input, inputLength, batchSize, target.Model.InputShape, "floats");
            int outputFloats = Elements("output", output, outputLength, batchSize, target.Model.OutputShape, "floats");
            // A batch larger than the session's passes reads later samples after earlier outputs are written.
            if (input < output + outputFloats && output < input + inputFloats)
                throw new ApiArgumentException("output overlaps input; give the outputs a buffer of their own.");
            target.Run(new ReadOnlySpan<float>(input, inputFloats), new Span<float>(output, outputFloats), batchSize);
            return LastError.Succeeded();
        }
        catch (Exception e)
        {
            return LastError.Failed("elr_session_run", e);
        }
    }

    /// <summary>elr_session_close.</summary>
    [UnmanagedCallersOnly(EntryPoint = "elr_session_close")]
    public static void Close(nint session)
    {
        try
        {
            SessionHandles.Close(session);
        }
        catch
        {
            // Nothing to report through a void function, and an exception here would end the caller's process.
        }
    }

    /// <summary>What to do about a model_path that does not exist. A relative one is taken from the process's working
    /// folder, which a service's user may not know, so the message names the file that was looked for.</summary>
    private static string WhenMissing(string path) =>
        string.IsNullOrWhiteSpace(path) || Path.IsPathRooted(path) ? "check the path"
            : $"it was looked for as '{Path.GetFullPath(path)}', since a relative path is taken from the process's working folder; give the model's absolute path";

    // .NET names files by UTF-16 strings, which hold no byte that is not UTF-8: such a file cannot be named at all.
    private const string NotUtf8Path = "libelr opens files by UTF-8 names only (a name in Latin-1 or another encoding "
        + "cannot be given): rename the file, or read it yourself and pass its bytes to elr_session_open_bytes";

    private static void ClearOutput(nint* session)
    {
        if (session is null) throw new ApiArgumentException("session is NULL; pass the address of an elr_session pointer to receive the session.");
        *session = 0;
    }

    /// <summary>A session that owns <paramref name="model"/>, or the model disposed and the reason thrown.</summary>
    private static nint Create(Model model, NativeOptions options)
    {
        try
        {
            var settings = new SessionOptions
            {
                MaxBatchSize = MaxBatch(options.MaxBatchSize, InferenceSession.LargestBatchSizeFor(model)),
                Threads = Math.Max(1, options.Threads),
            };
            return SessionHandles.Create(new OpenSession(new InferenceSession(model, settings, ownsModel: true)));
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>The session's largest pass for the max_batch_size a caller gave: 0 takes the default, 64, or the
    /// model's <paramref name="largest"/> when that is less; a larger request than <paramref name="largest"/> is refused.
    /// (The library refuses it too, but in a managed caller's words.)</summary>
    internal static int MaxBatch(int requested, int largest) => requested switch
    {
        0 => Math.Min(SessionOptions.DefaultMaxBatchSize, largest),
        _ when requested > largest => throw new ApiArgumentException($"options->max_batch_size is {requested:N0}, but this model runs at most {largest:N0} samples per pass "
            + "(a pass's activation and scratch buffers are each one span, of under 2^31 floats); give a smaller one: larger batches are split into passes anyway."),
        _ => requested,
    };

    /// <summary>The caller's options, checked, or the defaults for NULL.</summary>
    private static NativeOptions Settings(NativeOptions* options)
    {
        NativeOptions settings = options is null ? default : *options;
        settings.Validate();
        return settings;
    }

    private static Status WriteShape(nint session, NativeShape* shape, bool input)
    {
        string function = input ? "elr_session_input_shape" : "elr_session_output_shape";
        try
        {
            using SessionCall call = SessionHandles.Enter(session);
            InferenceSession target = call.Session.Session;
            if (shape is null) throw new ApiArgumentException("shape is NULL; pass the address of an elr_shape to fill.");
            NativeShape.Write(input ? target.Model.InputShape : target.Model.OutputShape, shape);
            return LastError.Succeeded();
        }
        catch (Exception e)
        {
            return LastError.Failed(function, e);
        }
    }

    /// <summary>Refuses a batch of no samples.</summary>
    internal static void RequireBatch(int batchSize)
    {
        if (batchSize < 1) throw new ApiArgumentException($"batch_size is {batchSize}; run at least 1 sample.");
    }

    /// <summary>The elements (<paramref name="unit"/>: floats, bytes) a buffer must hold for <paramref name="batchSize"/>
    /// samples of <paramref name="shape"/>, checked against the <paramref name="length"/> the caller gave.</summary>
    internal static int Elements(string name, void* buffer, nuint length, int batchSize, TensorShape shape, string unit)
    {
        if (buffer is null) throw new ApiArgumentException($"{name} is NULL; pass a buffer of batch_size × {shape.ElementCount} {unit}.");
        long needed = (long)batchSize * shape.ElementCount;
        if (needed > int.MaxValue)
            throw new ApiArgumentException($"batch_size {batchSize} needs {needed:N0} {name} {unit}, more than one call takes ({int.MaxValue:N0}); run the samples in smaller batches.");
        if (length != (ulong)needed)
            throw new ApiArgumentException($"{name}_length is {length} {unit}, but batch_size {batchSize} needs {needed} ({batchSize} × {shape.ElementCount}, one sample of shape {shape}).");
        return (int)needed;
    }
}
