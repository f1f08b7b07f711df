using System.Runtime.InteropServices;

namespace EdgeLowRank.Runtime.Native;

/// <summary>The metadata functions of include/elr.h: the model's properties by key, and their keys by index, as ONNX
/// Runtime hands over a model's custom metadata map (LookupCustomMetadataMap, GetCustomMetadataMapKeys).</summary>
internal static unsafe class MetadataExports
{
    /// <summary>elr_session_metadata.</summary>
    [UnmanagedCallersOnly(EntryPoint = "elr_session_metadata")]
    public static Status Value(nint session, byte* key, byte** value)
    {
        try
        {
            if (value is null) throw new ApiArgumentException("value is NULL; pass the address of a const char * to receive the value.");
            *value = null;
            using SessionCall call = SessionHandles.Enter(session);
            OpenSession target = call.Session;
            if (key is null) throw new ApiArgumentException("key is NULL; pass a property's name, such as \"input.pixel-max\" (elr_session_metadata_key lists them).");
            *value = target.Properties.Value(key);
            return LastError.Succeeded();
        }
        catch (Exception e)
        {
            return LastError.Failed("elr_session_metadata", e);
        }
    }

    /// <summary>elr_session_metadata_count.</summary>
    [UnmanagedCallersOnly(EntryPoint = "elr_session_metadata_count")]
    public static Status Count(nint session, int* count)
    {
        try
        {
            using SessionCall call = SessionHandles.Enter(session);
            OpenSession target = call.Session;
            if (count is null) throw new ApiArgumentException("count is NULL; pass the address of an int32_t to receive the number of properties.");
            *count = target.Properties.Count;
            return LastError.Succeeded();
        }
        catch (Exception e)
        {
            return LastError.Failed("elr_session_metadata_count", e);
        }
    }

    /// <summary>elr_session_metadata_key.</summary>
    [UnmanagedCallersOnly(EntryPoint = "elr_session_metadata_key")]
    public static Status Key(nint session, int index, byte** key)
    {
        try
        {
            if (key is null) throw new ApiArgumentException("key is NULL; pass the address of a const char * to receive the key.");
            *key = null;
            using SessionCall call = SessionHandles.Enter(session);
            OpenSession target = call.Session;
            int count = target.Properties.Count;
            if (index < 0 || index >= count)
                throw new ApiArgumentException(count == 0 ? $"index is {index}, but the model records no metadata properties (elr_session_metadata_count gives 0)."
                    : $"index is {index}, but the model's properties are 0 to {count - 1} (elr_session_metadata_count gives {count}).");
            *key = target.Properties.Key(index);
            return LastError.Succeeded();
        }
        catch (Exception e)
        {
            return LastError.Failed("elr_session_metadata_key", e);
        }
    }
}
