using EdgeLowRank.Runtime.Native;

namespace EdgeLowRank.Runtime.Tests.Native;

/// <summary>elr_session_metadata, elr_session_metadata_count and elr_session_metadata_key: a model's properties by key
/// and by index, as ONNX Runtime's custom metadata map.</summary>
public class NativeMetadataTests
{
    private static readonly Dictionary<string, string> Properties = new()
    {
        ["model"] = "digits-mlp", ["train.epochs"] = "5", ["input.pixel-max"] = "16", ["note"] = "ünïcödé",
        // UTF-8 puts U+FFFD (EF BF BD) before U+1F600 (F0 9F 98 80), where UTF-16's ordinal order puts it after (FFFD > D83D).
        ["\U0001F600"] = "grin", ["\uFFFD"] = "replacement",
    };

    [Fact]
    public void A_property_is_found_by_its_key_and_an_absent_one_is_NULL()
    {
        nint session = Open(Properties);
        try
        {
            foreach ((string key, string value) in Properties)
            {
                Assert.Equal(Status.Ok, NativeCalls.Metadata(session, key, out string? found));
                Assert.Equal(value, found);
            }
            Assert.Equal(Status.Ok, NativeCalls.Metadata(session, "train.seed", out string? absent));
            Assert.Null(absent);
            Assert.Equal("", NativeCalls.LastError());
            // A key is the property's own name, not its entry in the file ("property.model").
            Assert.Equal(Status.Ok, NativeCalls.Metadata(session, "property.model", out string? prefixed));
            Assert.Null(prefixed);
        }
        finally
        {
            NativeCalls.Close(session);
        }
    }

    [Fact]
    public void The_keys_are_enumerated_in_byte_order_and_an_index_past_them_is_refused()
    {
        nint session = Open(Properties);
        try
        {
            Assert.Equal(Status.Ok, NativeCalls.MetadataCount(session, out int count));
            Assert.Equal(Properties.Count, count);
            var keys = new List<string?>();
            for (int i = 0; i < count; i++)
            {
                Assert.Equal(Status.Ok, NativeCalls.MetadataKey(session, i, out string? key));
                keys.Add(key);
            }
            Assert.Equal(["input.pixel-max", "model", "note", "train.epochs", "\uFFFD", "\U0001F600"], keys);
            Assert.Equal(Status.InvalidArgument, NativeCalls.MetadataKey(session, count, out string? beyond));
            Assert.Null(beyond);
            Assert.StartsWith($"elr_session_metadata_key: index is {count}, but the model's properties are 0 to {count - 1}", NativeCalls.LastError());
            Assert.Equal(Status.InvalidArgument, NativeCalls.MetadataKey(session, -1, out _));
        }
        finally
        {
            NativeCalls.Close(session);
        }
    }

    [Fact]
    public void A_model_without_properties_has_none_to_enumerate()
    {
        nint session = Open(new Dictionary<string, string>());
        try
        {
            Assert.Equal(Status.Ok, NativeCalls.MetadataCount(session, out int count));
            Assert.Equal(0, count);
            Assert.Equal(Status.InvalidArgument, NativeCalls.MetadataKey(session, 0, out _));
            Assert.StartsWith("elr_session_metadata_key: index is 0, but the model records no metadata properties", NativeCalls.LastError());
            Assert.Equal(Status.Ok, NativeCalls.Metadata(session, "model", out string? value));
            Assert.Null(value);
        }
        finally
        {
            NativeCalls.Close(session);
        }
    }

    [Fact]
    public unsafe void Bad_arguments_are_refused_with_the_parameter_named()
    {
        nint session = Open(Properties);
        try
        {
            Assert.Equal(Status.InvalidArgument, NativeCalls.Metadata(session, null, out string? value));
            Assert.Null(value);
            Assert.StartsWith("elr_session_metadata: key is NULL", NativeCalls.LastError());
            Assert.Equal(Status.InvalidArgument, NativeCalls.MetadataInto(session, "model", null));
            Assert.StartsWith("elr_session_metadata: value is NULL", NativeCalls.LastError());
            Assert.Equal(Status.InvalidArgument, NativeCalls.Metadata(0, "model", out _));
            Assert.StartsWith("elr_session_metadata: session is NULL", NativeCalls.LastError());
            Assert.Equal(Status.InvalidArgument, NativeCalls.MetadataCount(0, out _));
            Assert.StartsWith("elr_session_metadata_count: session is NULL", NativeCalls.LastError());
            Assert.Equal(Status.InvalidArgument, NativeCalls.MetadataKey(0, 0, out _));
            Assert.StartsWith("elr_session_metadata_key: session is NULL", NativeCalls.LastError());
        }
        finally
        {
            NativeCalls.Close(session);
        }
    }

    [Fact]
    public void A_value_or_key_with_a_NUL_character_is_refused_rather_than_cut_short()
    {
        nint session = Open(new Dictionary<string, string> { ["a\0b"] = "1", ["cut"] = "x\0y", ["whole"] = "z" });
        try
        {
            Assert.Equal(Status.InvalidModel, NativeCalls.Metadata(session, "cut", out string? cut));
            Assert.Null(cut);
            Assert.Contains("the value of metadata \"cut\" holds a NUL character after \"x\"", NativeCalls.LastError());
            Assert.Equal(Status.InvalidModel, NativeCalls.MetadataKey(session, 0, out string? key));
            Assert.Null(key);
            Assert.Contains("metadata key 0 holds a NUL character after \"a\"", NativeCalls.LastError());
            Assert.Equal(Status.Ok, NativeCalls.Metadata(session, "whole", out string? whole));
            Assert.Equal("z", whole);
        }
        finally
        {
            NativeCalls.Close(session);
        }
    }

    private static nint Open(IReadOnlyDictionary<string, string> properties)
    {
        Assert.Equal(Status.Ok, NativeCalls.OpenBytes(NativePixelTests.WithProperties("tiny-odd", properties), 0, out nint session));
        return session;
    }
}
