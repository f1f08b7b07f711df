using System.Buffers.Binary;
using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.IO;
using EdgeLowRank.Runtime.Layers;
using EdgeLowRank.Runtime.Tests.Format;

namespace EdgeLowRank.Runtime.Tests.IO;

public sealed class UserFailureTests
{
    [Fact]
    public void A_message_quoting_a_damaged_files_bytes_stays_on_one_line()
    {
        // A wrong metadata key length quoted up to 250 raw bytes, NULs and line breaks among them, over seven lines.
        Assert.Equal(@"key 'a\x00b\x0Ac\x0D' is not UTF-8 — ok", UserFailure.Printable("key 'a\0b\nc\r' is not UTF-8 — ok"));
    }

    [Fact]
    public void A_model_whose_layers_outgrow_a_shape_is_refused_in_the_runtimes_words_without_a_parameter_name()
    {
        // Each padded pool grows the image; past 2^31-1 elements the shape's own check refused it, and its message ended
        // " (Parameter 'dims')", under NativeAOT " Arg_ParamName_Name, dims" (a security trial's 800 pools).
        var stream = new MemoryStream();
        using (var model = new Model(new TensorShape(28, 28, 1), [new MaxPool2dLayer(64, 1, 63)], new ModelMetadata())) ModelWriter.Write(model, stream);
        byte[] grown = new FileBytes(stream.ToArray()).Changed(b =>
        {
            // An input of 46,300 × 46,300 (just under 2^31 elements), which the pool grows to 46,363 a side.
            BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(FileLayout.Header.InputDims), 46_300);
            BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(FileLayout.Header.InputDims + sizeof(uint)), 46_300);
        });

        var e = Assert.Throws<ModelFormatException>(() => ModelReader.Load(grown));

        Assert.Contains("does not fit its input: The shape holds more than 2^31-1 elements. Each layer takes the previous layer's output", e.Message);
        Assert.Equal("Dimension 0 is not positive.", UserFailure.Reason(new ArgumentException("Dimension 0 is not positive.", "dims")));
        Assert.Equal("Layer 2: no parameter.", UserFailure.Reason(new ArgumentException("Layer 2: no parameter.")));
    }
}
