using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Tests.Data;
using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.IO;
using EdgeLowRank.Runtime.Layers;
using EdgeLowRank.Runtime.Tests.IO;

namespace EdgeLowRank.EndToEnd.Tests;

/// <summary>
/// A model records the scale of the integer pixels it was trained on (input.pixel-max), and elr-run scales uint8 input by
/// it. A user trial fed a digits model the digits' own 0–16 pixels as uint8 and got 22% accuracy, since elr-run divided
/// every byte by 255; as float32 0–16 it got 95% without a word; as float32 / 16, 99%.
/// </summary>
public class ElrInputScaleTests : TempFiles
{
    /// <summary>The digits' test images as their integer pixels 0–16 (the data set's own scale), one row per sample.</summary>
    private static byte[] IntegerPixels(Dataset test)
    {
        ReadOnlySpan<float> pixels = test.Pixels.Span;
        var bytes = new byte[pixels.Length];
        for (int i = 0; i < bytes.Length; i++) bytes[i] = (byte)MathF.Round(pixels[i] * DigitsCsvReader.MaxPixelValue);
        return bytes;
    }

    private string Npy(string name, NpyDataType type, int count, IEnumerable<double> values)
    {
        string path = PathOf(name);
        File.WriteAllBytes(path, NpyBytes.Of(type, [count, 8, 8, 1], [.. values]));
        return path;
    }

    [RealDataFact("digits")]
    public void A_digits_model_takes_its_own_0_to_16_pixels_as_uint8_and_refuses_0_to_255_ones_unless_told()
    {
        string model = PathOf("digits.elr");
        DigitsReference.Train(model);
        Dataset test = RealData.Load("digits").Test;
        byte[] integers = IntegerPixels(test);

        ToolResult info = Tool.ElrRun("info", model);
        Assert.True(info.ExitCode == 0, info.Error);
        Assert.Contains("input       8×8×1 (integer pixels 0–16, fed as p / 16)", info.Output);

        // uint8 0–16 runs exactly as the float pixels elr trained and measured on.
        string bytesOut = PathOf("bytes.f32"), floatsOut = PathOf("floats.f32");
        ToolResult bytes = Tool.ElrRun("run", model, "--input", Npy("u8.npy", NpyDataType.UInt8, test.Count, integers.Select(b => (double)b)), "-q", "-o", bytesOut);
        Assert.True(bytes.ExitCode == 0, bytes.Error);
        File.WriteAllBytes(PathOf("f32.raw"), System.Runtime.InteropServices.MemoryMarshal.AsBytes(integers.Select(b => b / 16f).ToArray().AsSpan()).ToArray());
        ToolResult floats = Tool.ElrRun("run", model, "--input", PathOf("f32.raw"), "-q", "-o", floatsOut);
        Assert.True(floats.ExitCode == 0, floats.Error);
        Assert.Equal(File.ReadAllBytes(floatsOut), File.ReadAllBytes(bytesOut));
        Assert.DoesNotContain("warning", bytes.Error);

        // 0–255 bytes: refused, with the way to take them; --pixel-max 255 takes them.
        string wide = Npy("u8-255.npy", NpyDataType.UInt8, test.Count, integers.Select(b => (double)(b * 255 / 16)));
        string refusedOut = PathOf("refused.f32");
        ToolResult refused = Tool.ElrRun("run", model, "--input", wide, "-q", "-o", refusedOut);
        Assert.Equal(2, refused.ExitCode); // elr-run's exit code for bad input
        Assert.Contains("byte pixels up to 255, above the full scale 16 (the model's input.pixel-max)", refused.Error);
        Assert.Contains("--pixel-max 255", refused.Error);
        Assert.False(File.Exists(refusedOut));
        ToolResult told = Tool.ElrRun("run", model, "--input", wide, "-q", "--pixel-max", "255");
        Assert.True(told.ExitCode == 0, told.Error);

        // Float pixels 0–16 run, as floats are taken as given, but with a warning naming the scale.
        ToolResult unscaled = Tool.ElrRun("run", model, "--input", Npy("f16.npy", NpyDataType.Float32, test.Count, integers.Select(b => (double)b)), "-q");
        Assert.True(unscaled.ExitCode == 0, unscaled.Error);
        Assert.Contains("float pixels up to 16, but the model takes pixels in 0–1, as it was trained (its integer pixels 0–16 divided by 16 (the model's input.pixel-max)): "
            + "divide them by their own full scale", unscaled.Error);

        // Standardized pixels, as PyTorch's Normalize makes them, are other images to it too: the model normalizes inside.
        ToolResult standardized = Tool.ElrRun("run", model, "--input", Npy("std.npy", NpyDataType.Float32, test.Count, integers.Select(b => (b / 16.0 - 0.5) / 0.5)), "-q");
        Assert.True(standardized.ExitCode == 0, standardized.Error);
        Assert.Contains("holds float pixels from -1 to 1, but the model takes pixels in 0–1", standardized.Error);
        Assert.Contains("give the pixels before any normalization (mean and std), which the model applies itself", standardized.Error);

        // A scale the user gives is named as theirs, not the model's.
        ToolResult given = Tool.ElrRun("run", model, "--input", wide, "-q", "--pixel-max", "8");
        Assert.Equal(2, given.ExitCode);
        Assert.Contains("above the full scale 8 (--pixel-max 8; the model records 16)", given.Error);
        // ... and a float file is told it does not apply.
        ToolResult floatsGiven = Tool.ElrRun("run", model, "--input", PathOf("f32.raw"), "-q", "--pixel-max", "16");
        Assert.True(floatsGiven.ExitCode == 0, floatsGiven.Error);
        Assert.Contains("--pixel-max scales uint8 input only", floatsGiven.Error);
    }

    [Fact]
    public void A_model_that_records_only_its_normalization_is_told_of_standardized_pixels_and_of_nothing_else()
    {
        // Imported with --input-mean/--input-std but neither a data set nor --pixel-max: the range of its pixels is not
        // recorded, but pixels before normalization are not negative, and MNIST's standardized reach −0.42. The golden
        // folded-normalization records just that, and scripts/check-native-api.sh runs classify.py on it the same way.
        string model = Tool.Fixture("folded-normalization.elr");
        using (Model golden = ModelReader.Load(model))
        {
            Assert.Null(golden.Metadata.InputPixelMax);
            Assert.NotNull(golden.Metadata.InputNormalization);
        }
        double[] pixels = [.. Enumerable.Range(0, 2 * 784).Select(i => i % 256 / 255.0)];
        string Floats(string name, Func<double, double> f)
        {
            string path = PathOf(name);
            File.WriteAllBytes(path, NpyBytes.Of(NpyDataType.Float32, [2, 28, 28, 1], [.. pixels.Select(f)]));
            return path;
        }

        ToolResult standardized = Tool.ElrRun("run", model, "--input", Floats("std.npy", p => (p - 0.1307) / 0.3081), "-q");
        ToolResult unit = Tool.ElrRun("run", model, "--input", Floats("unit.npy", p => p), "-q");
        ToolResult wide = Tool.ElrRun("run", model, "--input", Floats("wide.npy", p => p * 255), "-q");

        Assert.True(standardized.ExitCode == 0, standardized.Error);
        Assert.Contains("holds float pixels from -0.4242 to 2.821, but the model normalizes its input itself (import.input-normalization: (x - 0.1307) / 0.3081, "
            + "folded into the first layer; the model takes unnormalized inputs): give the pixels before any normalization (mean and std), which the model applies itself.", standardized.Error);
        Assert.Equal(("", ""), (unit.Error, wide.Error));
    }

    [RealDataFact("digits")]
    public void Elr_eval_notes_that_a_model_without_the_digits_scale_would_read_their_bytes_by_255_on_the_board()
    {
        string model = PathOf("digits.elr"), bare = PathOf("bare.elr");
        DigitsReference.Train(model);
        using (Model trained = ModelReader.Load(model))
        {
            var properties = trained.Metadata.Properties.Where(p => p.Key != ModelMetadata.InputPixelMaxProperty).ToDictionary();
            ModelWriter.Write(new Model(trained.InputShape, trained.Layers, trained.Metadata with { Properties = properties }), bare);
        }

        ToolResult recorded = Tool.Elr("eval", model), unrecorded = Tool.Elr("eval", bare);

        Assert.True(recorded.ExitCode == 0 && unrecorded.ExitCode == 0, recorded.Error + unrecorded.Error);
        Assert.DoesNotContain("records no integer pixel scale", recorded.Error);
        Assert.Contains("elr: note: bare.elr records no integer pixel scale, so elr-run and libelr read its uint8 input as p / 255, where the pixels of digits "
            + "are 0–16: on them it would not score this. Record the scale by importing it again with --pixel-max 16 (or --dataset digits), or give elr-run --pixel-max 16.", unrecorded.Error);
    }

    [RealDataFact("digits")]
    public void Compress_and_quantize_keep_the_scale_and_a_model_that_records_none_reads_bytes_by_255()
    {
        string model = PathOf("digits.elr"), small = PathOf("small.elr"), int8 = PathOf("int8.elr");
        DigitsReference.Train(model);
        ToolResult compressed = Tool.Elr("compress", model, "--method", "svd", "--target-ratio", "2", "--steps", "2", "--threads", "1", "-o", small);
        Assert.True(compressed.ExitCode == 0, compressed.Error);
        ToolResult quantized = Tool.Elr("quantize", small, "--no-eval", "-o", int8);
        Assert.True(quantized.ExitCode == 0, quantized.Error);
        foreach (string file in new[] { small, int8 })
        {
            using Model read = ModelReader.Load(file);
            Assert.Equal(16, read.Metadata.InputPixelMax);
        }

        // The golden fixtures record no scale: their bytes are read by 255, as before models recorded one.
        string fixture = Tool.Fixture("lenet300-dense.elr");
        using (Model golden = ModelReader.Load(fixture)) Assert.Null(golden.Metadata.InputPixelMax);
        byte[] pixels = [.. Enumerable.Range(0, 784).Select(i => (byte)(i % 256))];
        string input = PathOf("255.npy"), scaled = PathOf("255.f32");
        File.WriteAllBytes(input, NpyBytes.Of(NpyDataType.UInt8, [1, 28, 28, 1], [.. pixels.Select(p => (double)p)]));
        File.WriteAllBytes(scaled, System.Runtime.InteropServices.MemoryMarshal.AsBytes(pixels.Select(p => p / 255f).ToArray().AsSpan()).ToArray());
        ToolResult run = Tool.ElrRun("run", fixture, "--input", input, "-q", "-o", PathOf("bytes.f32"));
        ToolResult reference = Tool.ElrRun("run", fixture, "--input", scaled, "-q", "-o", PathOf("floats.f32"));
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.True(reference.ExitCode == 0, reference.Error);
        Assert.Equal(File.ReadAllBytes(PathOf("floats.f32")), File.ReadAllBytes(PathOf("bytes.f32")));
        Assert.DoesNotContain("warning", run.Error);

        // Bytes far below 255 for such a model are more likely the digits' 0–16: said, with the option to take them so.
        string lowBytes = PathOf("low.npy");
        File.WriteAllBytes(lowBytes, NpyBytes.Of(NpyDataType.UInt8, [1, 28, 28, 1], [.. pixels.Select(p => (double)(p % 17))]));
        ToolResult low = Tool.ElrRun("run", fixture, "--input", lowBytes, "-q");
        Assert.True(low.ExitCode == 0, low.Error);
        Assert.Contains("byte pixels up to 16 only, read as 0–255 images (the scale of byte images; the model records none), so no value reaches 0.067; "
            + "if 16 or so is their full scale, give --pixel-max with it (16 for the UCI digits' 0–16 pixels).", low.Error);
    }

    [RealDataFact("mnist")]
    public void A_model_that_records_no_scale_gets_the_one_of_the_data_set_it_is_measured_on()
    {
        // As an import or a model made before models recorded their scale: quantize measures it on MNIST, so 255.
        string quantized = PathOf("q.elr");
        using (Model golden = ModelReader.Load(Tool.Fixture("lenet300-dense.elr"))) Assert.Null(golden.Metadata.InputPixelMax);

        ToolResult run = Tool.Elr("quantize", Tool.Fixture("lenet300-dense.elr"), "--dataset", "mnist", "-o", quantized);

        Assert.True(run.ExitCode == 0, run.Error);
        using Model read = ModelReader.Load(quantized);
        Assert.Equal(255, read.Metadata.InputPixelMax);
    }
}
