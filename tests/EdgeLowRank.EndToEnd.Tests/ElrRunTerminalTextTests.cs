using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.IO;
using EdgeLowRank.Runtime.Layers;
using EdgeLowRank.Runtime.Tests.IO;

namespace EdgeLowRank.EndToEnd.Tests;

/// <summary>A model's own text (labels, properties, producer) and names in messages reach the terminal as elr-run and elr print them; control
/// characters in it are shown as \xNN, as error messages show them, instead of driving the terminal.</summary>
public class ElrRunTerminalTextTests : TempFiles
{
    private const string SetTitleAndClear = "\u001b]0;PWNED\u0007\u001b[2J";

    [Fact]
    public void Info_and_run_show_the_control_characters_of_a_models_labels_and_properties_instead_of_sending_them()
    {
        string model = PathOf("titled.elr");
        var metadata = new ModelMetadata
        {
            Producer = $"maker{SetTitleAndClear}",
            Labels = [$"zero{SetTitleAndClear}", .. Enumerable.Range(1, 9).Select(i => $"c{i}")],
            // A line feed would print a forged line under the real ones; U+202E reverses the text after it on screen.
            Properties = new Dictionary<string, string> { ["note"] = "red\u001b[31m\rover", ["forged"] = "x\ninput       4 (fake)", ["reversed"] = "abc\u202Edef" },
        };
        // Every output 0: the first class wins, so run prints the first label.
        var weights = new float[784 * 10];
        using (var slice = new Model(new TensorShape(784), [new DenseLayer(PackedMatrix.FromRowMajor(weights, 784, 10), new float[10])], metadata))
            ModelWriter.Write(slice, model);
        string input = Write("one.f32", new byte[784 * sizeof(float)]);

        ToolResult info = Tool.ElrRun("info", model);
        ToolResult run = Tool.ElrRun("run", model, "--input", input);

        Assert.Equal((0, 0), (info.ExitCode, run.ExitCode));
        foreach (string output in new[] { info.Output, run.Output })
        {
            Assert.DoesNotContain('\u001b', output);
            Assert.DoesNotContain('\u0007', output);
            Assert.DoesNotContain('\r', output);
            Assert.Contains(@"zero\x1B]0;PWNED\x07\x1B[2J", output);
        }
        Assert.Contains(@"maker\x1B]0;PWNED\x07\x1B[2J", info.Output);
        Assert.Contains(@"red\x1B[31m\x0Dover", info.Output);
        Assert.Contains(@"x\x0Ainput       4 (fake)", info.Output);
        Assert.Contains(@"abc\x202Edef", info.Output);
        Assert.DoesNotContain('\u202E', info.Output);
    }

    [Fact]
    public void An_input_pixel_max_that_is_no_whole_number_is_named_as_ignored_by_info_and_run_instead_of_passed_over()
    {
        // A verification trial's file: a control character after the 16 made elr-run read uint8 by 255 without a word.
        string model = PathOf("scale.elr");
        var metadata = new ModelMetadata { Properties = new Dictionary<string, string> { [ModelMetadata.InputPixelMaxProperty] = "16\u001b[2J" } };
        using (var dense = new Model(new TensorShape(4), [new DenseLayer(PackedMatrix.FromRowMajor(new float[8], 4, 2), new float[2])], metadata))
            ModelWriter.Write(dense, model);
        string input = Write("pixels.npy", NpyBytes.Of(NpyDataType.UInt8, [1, 4], 0, 8, 16, 3));

        ToolResult info = Tool.ElrRun("info", model);
        ToolResult run = Tool.ElrRun("run", model, "--input", input, "-q");

        Assert.Equal((0, 0), (info.ExitCode, run.ExitCode));
        Assert.Contains(@"input       4 (input.pixel-max ""16\x1B[2J"" is not a whole number from 1 to 65,535: ignored, uint8 fed as p / 255)", info.Output);
        Assert.Contains(@"warning: the model's input.pixel-max is ""16\x1B[2J"", not a whole number from 1 to 65,535, so ", run.Error);
        Assert.Contains("byte pixels are read as 0–255 images; give --pixel-max with the full scale the model was trained on.", run.Error);
        Assert.Contains("(the scale of byte images; the model records no whole number from 1 to 65,535)", run.Error);
        Assert.DoesNotContain('\u001b', info.Output + run.Error);
    }

    [Fact]
    public void Elr_shows_the_control_characters_of_a_models_class_names_and_of_names_in_its_messages_as_escapes()
    {
        // A folder without classes.txt takes the model's own class names, which eval's confusion table prints.
        string model = PathOf("titled.elr"), folder = PathOf("own");
        var metadata = new ModelMetadata { Labels = [$"zero{SetTitleAndClear}", .. Enumerable.Range(1, 9).Select(i => $"c{i}")] };
        using (var classifier = new Model(new TensorShape(28, 28, 1), [new FlattenLayer(), new DenseLayer(PackedMatrix.FromRowMajor(new float[784 * 10], 784, 10), new float[10])], metadata))
            ModelWriter.Write(classifier, model);
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "test-images.npy"), NpyBytes.Of(NpyDataType.UInt8, [2, 28, 28], new double[2 * 784]));
        File.WriteAllBytes(Path.Combine(folder, "test-labels.npy"), NpyBytes.Of(NpyDataType.Int64, [2], 0, 1));

        ToolResult eval = Tool.Elr("eval", model, "--dataset", folder);
        ToolResult missing = Tool.Elr("inspect", PathOf($"gone{SetTitleAndClear}.elr"));

        Assert.True(eval.ExitCode == 0, eval.Error);
        Assert.Contains(@"zero\x1B]0;PWNED\x07\x1B[2J", eval.Output);
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains(@"gone\x1B]0;PWNED\x07\x1B[2J.elr", missing.Error);
        foreach (string output in new[] { eval.Output, eval.Error, missing.Error })
        {
            Assert.DoesNotContain('\u001b', output);
            Assert.DoesNotContain('\u0007', output);
        }
    }
}
