using EdgeLowRank.Runtime.IO;

namespace EdgeLowRank.Runtime.Tests.IO;

public sealed class UserFailureTests
{
    [Fact]
    public void A_message_quoting_a_damaged_files_bytes_stays_on_one_line()
    {
        // A wrong metadata key length quoted up to 250 raw bytes, NULs and line breaks among them, over seven lines.
        Assert.Equal(@"key 'a\x00b\x0Ac\x0D' is not UTF-8 — ok", UserFailure.Printable("key 'a\0b\nc\r' is not UTF-8 — ok"));
    }
}
