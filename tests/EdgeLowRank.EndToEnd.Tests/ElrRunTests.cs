using System.Runtime.InteropServices;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.Intrinsics;
using System.Text.Json;

namespace EdgeLowRank.EndToEnd.Tests;

/// <summary>elr-run as a user meets it: good models give reports; every bad input gives one clear line on
/// stderr, a specific exit code, and never a stack trace.</summary>
public class ElrRunTests : TempFiles
{
    private static readonly string Factorized = Tool.Fixture("lenet300-factorized.elr");

    [Fact]
    public void Info_reports_ranks_parameters_and_compression()
    {
        ToolResult result = Tool.ElrRun("info", Factorized);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("41,930", result.Output);
        Assert.Contains("6.36x smaller", result.Output);
        Assert.Contains("input       784 (no integer pixel scale recorded: uint8 fed as p / 255)   output 10", result.Output);
        Assert.Matches(@"FactorizedDense\s+svd\s+f32\s+f32\s+784 → 300\s+30", result.Output);
        // As elr inspect shows it: a dense layer's rank is "full", not min(m, n), which reads as a factorization's.
        Assert.Matches(@"\n2\s+fc3\s+Dense\s+dense\s+f32\s+f32\s+100 → 10\s+full\s+1,010\s", result.Output);
    }

    [Fact]
    public void Info_names_the_activation_each_add_reads_in_the_table_and_the_json()
    {
        (string table, JsonElement[] layers) = Info("residual-blocks.elr");

        Assert.Matches(@"\n6\s+add2\s+Add ← 4\s+14×14×8 → 14×14×8", table);
        Assert.Contains("Add ← j: adds the input of layer j (j = 0: the model's input)", table);
        Assert.Equal([0, 4, 8, 10, 16], layers.Where(l => l.TryGetProperty("adds", out _)).Select(l => l.GetProperty("adds").GetInt32()));
        Assert.Equal(5, layers.Count(l => l.GetProperty("kind").GetString() == "Add"));
    }

    [Fact]
    public void Info_names_the_activation_each_branch_continues_from_in_the_table_and_the_json()
    {
        (string table, JsonElement[] layers) = Info("projection-shortcuts.elr");

        Assert.Matches(@"\n4\s+branch1\s+Branch ← 2\s+7×7×16 → 14×14×8", table); // its output is the block's input
        Assert.Contains("Branch ← j: continues from the input of layer j (j = 0: the model's input)", table);
        Assert.Equal([2, 7, 0], layers.Where(l => l.TryGetProperty("branchesFrom", out _)).Select(l => l.GetProperty("branchesFrom").GetInt32()));
        Assert.Equal([4, 8, 12], layers.Where(l => l.TryGetProperty("adds", out _)).Select(l => l.GetProperty("adds").GetInt32()));
    }

    [Fact]
    public void Info_names_what_each_concat_joins_and_in_which_order_in_the_table_and_the_json()
    {
        (string table, JsonElement[] layers) = Info("fire-modules.elr");

        Assert.Matches(@"\n6\s+concat1\s+Concat ← 4\s+13×13×8 → 13×13×16", table);
        Assert.Matches(@"\n13\s+concat3\s+Concat → 2\s+13×13×16 → 13×13×28", table);
        Assert.Contains(ConcatLegend, table);
        Assert.Equal([(4, false), (10, true), (2, true)], layers.Where(l => l.TryGetProperty("joins", out _))
            .Select(l => (l.GetProperty("joins").GetInt32(), l.GetProperty("inputFirst").GetBoolean())));
    }

    [Fact]
    public void Info_names_what_each_channel_scale_scales_and_each_hard_sigmoids_slope_in_the_table_and_the_json()
    {
        (string table, JsonElement[] layers) = Info("squeeze-excite.elr");

        Assert.Matches(@"\n9\s+hardsigmoid\s+HardSigmoid 0\.16666667, 0\.5\s+1×1×16 → 1×1×16", table);
        Assert.Matches(@"\n10\s+scale1\s+ChannelScale ← 6\s+1×1×16 → 14×14×16", table);
        Assert.Contains("ChannelScale ← j: the input of layer j (j = 0: the model's input), each channel times this layer's input's value for it", table);
        Assert.Equal([6, 17], layers.Where(l => l.TryGetProperty("scales", out _)).Select(l => l.GetProperty("scales").GetInt32()));
        JsonElement gate = layers.Single(l => l.GetProperty("kind").GetString() == "HardSigmoid");
        Assert.Equal((1f / 6, 0.5f), (gate.GetProperty("alpha").GetSingle(), gate.GetProperty("beta").GetSingle()));
    }

    [Fact]
    public void Info_names_each_leaky_relus_slope_in_the_table_and_the_json()
    {
        (string table, JsonElement[] layers) = Info("leaky-relu.elr");

        Assert.Matches(@"\n1\s+leakyrelu\s+LeakyRelu 0\.01\s+13×13×6 → 13×13×6", table);
        Assert.Matches(@"\n6\s+leakyrelu\s+LeakyRelu -0\.5\s+16 → 16", table);
        JsonElement[] leaky = layers.Where(l => l.GetProperty("kind").GetString() == "LeakyRelu").ToArray();
        Assert.Equal([0.01f, 0.2f, -0.5f], leaky.Select(l => l.GetProperty("alpha").GetSingle()));
        Assert.All(leaky, l => Assert.False(l.TryGetProperty("beta", out _)));
    }

    /// <summary>elr-run info of a golden file as a table and as JSON, both exiting 0: the table's text and the JSON's layers.</summary>
    private static (string Table, JsonElement[] Layers) Info(string fixture)
    {
        ToolResult table = Tool.ElrRun("info", Tool.Fixture(fixture));
        ToolResult json = Tool.ElrRun("info", Tool.Fixture(fixture), "--json");
        Assert.Equal((0, 0), (table.ExitCode, json.ExitCode));
        using var document = JsonDocument.Parse(json.Output);
        return (table.Output, document.RootElement.GetProperty("layers").EnumerateArray().Select(l => l.Clone()).ToArray());
    }

    private const string ConcatLegend = "Concat ← j: the input of layer j (j = 0: the model's input) and then this layer's input, channels stacked; Concat → j: this layer's input first";

    [Fact]
    public void Info_json_writes_non_ascii_text_as_itself()
    {
        ToolResult result = Tool.ElrRun("info", Factorized, "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("\"shape\": \"784 → 300\"", result.Output);
        Assert.DoesNotContain("\\u", result.Output);
        using var json = System.Text.Json.JsonDocument.Parse(result.Output);
        Assert.Equal("784 → 300", json.RootElement.GetProperty("layers")[0].GetProperty("shape").GetString());
        // The JSON keeps the file's rank, min(rows, columns) for a dense matrix, for the scripts that read it; "method" tells it apart.
        JsonElement dense = json.RootElement.GetProperty("layers")[2];
        Assert.Equal(("dense", 10), (dense.GetProperty("method").GetString(), dense.GetProperty("rank").GetInt32()));
    }

    [Fact]
    public void Profile_writes_a_positive_time_for_every_shape_even_the_smallest()
    {
        // A 10×10 dense layer runs in tens of nanoseconds; timed one call at a time its median came out 0 s, a table
        // the compressor refuses. Two tables, because a zero showed up in about half of them.
        for (int attempt = 0; attempt < 2; attempt++)
        {
            string table = PathOf($"board-{attempt}.json");
            ToolResult result = Tool.ElrRun("profile", "-o", table, "--quick", "--runs", "21", "--warmup", "5");
            Assert.True(result.ExitCode == 0, result.Error);
            using JsonDocument json = JsonDocument.Parse(File.ReadAllText(table));
            JsonElement[] entries = json.RootElement.GetProperty("entries").EnumerateArray().ToArray();
            Assert.Contains(entries, e => e.GetProperty("rows").GetInt32() == 10 && e.GetProperty("columns").GetInt32() == 10);
            Assert.All(entries, e => Assert.True(e.GetProperty("seconds").GetDouble() > 0, $"entry {e} has no positive time"));
        }
    }

    [Fact]
    public void Run_checks_outputs_against_the_golden_file_at_batch_1()
    {
        ToolResult result = Tool.ElrRun("run", Factorized, "--input", Tool.Fixture("lenet300-factorized.input.f32"),
            "--expect", Tool.Fixture("lenet300-factorized.expected.f32"), "--batch", "1");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("compare: OK", result.Output);
        Assert.Contains("sample 3:", result.Output);
    }

    [Fact]
    public void Run_reads_npy_and_idx_inputs_like_raw_floats()
    {
        // Two 28×28 images as 8-bit pixels: IDX (as MNIST ships) and .npy (uint8), both scaled to [0, 1];
        // the same values as raw f32 must give the same outputs.
        byte[] pixels = Enumerable.Range(0, 2 * 784).Select(i => (byte)(i * 37 % 256)).ToArray();
        byte[] idx = [0, 0, 0x08, 3, 0, 0, 0, 2, 0, 0, 0, 28, 0, 0, 0, 28, .. pixels];
        string header = "{'descr': '|u1', 'fortran_order': False, 'shape': (2, 28, 28), }";
        header = header.PadRight(118 - 1) + "\n"; // 10-byte preamble + header = 128, as numpy aligns it
        byte[] npy = [0x93, .. "NUMPY"u8, 1, 0, (byte)header.Length, 0, .. System.Text.Encoding.ASCII.GetBytes(header), .. pixels];
        byte[] raw = pixels.SelectMany(p => BitConverter.GetBytes(p / 255f)).ToArray();

        string[] outputs = new[] { Write("in.idx", idx), Write("in.npy", npy), Write("in.f32", raw) }
            .Select((input, i) =>
            {
                string output = PathOf($"out{i}.f32");
                ToolResult result = Tool.ElrRun("run", Factorized, "--input", input, "--output", output, "-q");
                Assert.True(result.ExitCode == 0, result.Error);
                return Convert.ToHexString(File.ReadAllBytes(output));
            }).ToArray();

        Assert.Equal(2 * 10 * sizeof(float), outputs[0].Length / 2);
        Assert.Equal(outputs[2], outputs[0]);
        Assert.Equal(outputs[2], outputs[1]);
    }

    [Fact]
    public void Run_reports_a_mismatch_with_exit_code_4()
    {
        string wrong = Write("wrong.f32", File.ReadAllBytes(Tool.Fixture("lenet300-dense.expected.f32")));

        ToolResult result = Tool.ElrRun("run", Factorized, "--input", Tool.Fixture("lenet300-factorized.input.f32"), "--expect", wrong, "-q");

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("MISMATCH", result.Output);
    }

    [Fact]
    public void Bench_text_says_how_the_code_was_compiled_and_gives_every_duration_a_unit()
    {
        ToolResult result = Tool.ElrRun("bench", Factorized, "--runs", "2000", "--warmup", "1000", "--warmup-seconds", "0");
        Assert.True(result.ExitCode == 0, result.Error);
        // The tests run the JIT build (`dotnet elr-run.dll`), which once called itself "NativeAOT ," with no target.
        Assert.Matches(@"binary\s+JIT \(", result.Output);
        Assert.Matches(@"runs 2,000/thread", result.Output);
        Assert.Matches(@"load\s+[0-9.]+ (µs|ms|s)\n", result.Output);
        Assert.Matches(@"warm-up\s+1,[0-9]{3} runs in [0-9.]+ (µs|ms|s)\n", result.Output);
        Assert.Matches(@"throughput\s+[0-9]{1,3}(,[0-9]{3})* samples/s over [0-9.]+ (µs|ms|s)\n", result.Output);
    }

    [Fact]
    public void Bench_json_reports_zero_managed_allocation_and_the_percentiles()
    {
        ToolResult result = Tool.ElrRun("bench", Factorized, "--runs", "300", "--warmup", "50", "--warmup-seconds", "0", "--json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        JsonElement root = json.RootElement;
        Assert.Equal(0, root.GetProperty("managedBytesPerInference").GetDouble());
        Assert.Equal(300, root.GetProperty("latencySeconds").GetProperty("count").GetInt64());
        double p50 = root.GetProperty("latencySeconds").GetProperty("p50").GetDouble();
        double p99 = root.GetProperty("latencySeconds").GetProperty("p99").GetDouble();
        Assert.InRange(p50, 1e-8, p99);
        Assert.True(root.GetProperty("arenaBytes").GetInt64() > 0);
        Assert.True(root.GetProperty("packedWeightBytes").GetInt64() >= 784 * 32 * 4); // the 784×30 factor is row-major in the file
    }

    public static TheoryData<string, byte[]> BadModels()
    {
        byte[] good = File.ReadAllBytes(Factorized);
        byte[] flipped = (byte[])good.Clone();
        flipped[good.Length / 2] ^= 0x40;
        byte[] hostile = (byte[])good[..64].Clone();
        BitConverter.TryWriteBytes(hostile.AsSpan(16), long.MaxValue); // a header claiming an enormous file
        return new()
        {
            { "bad magic", [.. "GIF89a"u8, .. good[6..]] },
            { "truncated", good[..(good.Length / 3)] },
            { "crc mismatch", flipped },
            { "hostile lengths", hostile },
        };
    }

    [Theory]
    [MemberData(nameof(BadModels))]
    public void A_malformed_model_is_a_clear_error_with_exit_code_2(string name, byte[] bytes)
    {
        string model = Write(name.Replace(' ', '-') + ".elr", bytes);

        foreach (string[] command in new[] { new[] { "info", model }, ["bench", model, "--runs", "1"] })
        {
            ToolResult result = Tool.ElrRun(command);
            Assert.Equal(2, result.ExitCode);
            Assert.StartsWith("elr-run: error: invalid model:", result.Error);
            Assert.Contains("HINT", result.Error);
            AssertNoStackTrace(result);
        }
    }

    [Fact]
    public void A_missing_model_is_exit_code_3()
    {
        ToolResult result = Tool.ElrRun("info", PathOf("nowhere.elr"));

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("nowhere.elr", result.Error);
        AssertNoStackTrace(result);
    }

    [Fact]
    public void An_input_of_the_wrong_length_is_exit_code_2_and_names_both_lengths()
    {
        string input = Write("short.f32", new byte[783 * sizeof(float)]);

        ToolResult result = Tool.ElrRun("run", Factorized, "--input", input);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("783", result.Error);
        Assert.Contains("784", result.Error);
        AssertNoStackTrace(result);
    }

    [Fact]
    public void An_empty_model_or_a_pipe_is_refused_at_once_with_exit_code_3()
    {
        // A pipe reports length 0 like an empty file; opening one to read it blocked until the test's timeout.
        string pipe = PathOf("pipe.elr");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [pipe])) mkfifo.WaitForExit();
        foreach (string model in new[] { Write("empty.elr", []), pipe })
        {
            ToolResult result = Tool.ElrRun("info", model);
            Assert.Equal(3, result.ExitCode);
            Assert.Contains("is empty (0 bytes), or is not a regular file (a pipe or a device)", result.Error);
            AssertNoStackTrace(result);
        }
    }

    [Theory]
    [InlineData("--output", "MODEL")]
    [InlineData("--output", "--input")]
    [InlineData("--output", "--expect")]
    public void An_output_that_is_one_of_the_inputs_is_refused_and_the_input_kept(string option, string victim)
    {
        string model = Write("model.elr", File.ReadAllBytes(Factorized));
        string input = Write("input.f32", File.ReadAllBytes(Tool.Fixture("lenet300-factorized.input.f32")));
        string expect = Write("expected.f32", File.ReadAllBytes(Tool.Fixture("lenet300-factorized.expected.f32")));
        string target = victim switch { "MODEL" => model, "--input" => input, _ => expect };
        byte[] before = File.ReadAllBytes(target);

        ToolResult result = Tool.ElrRun("run", model, "--input", input, "--expect", expect, "-q", option, target);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains($"is the same file as {victim}", result.Error);
        Assert.Equal(before, File.ReadAllBytes(target));
    }

    [Fact]
    public void An_output_in_a_missing_folder_is_refused_before_running_and_named_as_given()
    {
        string output = PathOf(Path.Combine("missing", "out.f32"));

        ToolResult result = Tool.ElrRun("run", Factorized, "--input", Tool.Fixture("lenet300-factorized.input.f32"), "-q", "--output", output);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains($"the folder '{Path.GetDirectoryName(output)}' does not exist", result.Error);
        Assert.DoesNotContain(".tmp", result.Error);
        Assert.DoesNotContain("IO_", result.Error); // a resource key where a message should be
    }

    [Fact]
    public void An_input_whose_shape_is_not_samples_of_the_model_is_refused_even_when_the_count_fits()
    {
        // 98 images of 8×8 hold 6,272 values = 8 × 784: a count check alone took them for 8 MNIST images.
        byte[] idx = [0, 0, 0x08, 3, 0, 0, 0, 98, 0, 0, 0, 8, 0, 0, 0, 8, .. new byte[98 * 64]];

        ToolResult result = Tool.ElrRun("run", Factorized, "--input", Write("digits.idx", idx), "-q");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("has shape (98, 8, 8), which is not samples of 784 values", result.Error);
    }

    [Theory]
    [InlineData(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 2, 0, 0xFF, 0xFF }, "ends inside its 12-byte preamble")]
    [InlineData(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 2, 0, 0xFF, 0xFF, 0xFF, 0x7F, 0, 0 }, "runs past the end of the file")]
    [InlineData(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 9, 0, 0, 0 }, "version 9; versions 1 to 3 are read")]
    public void A_broken_npy_header_is_exit_code_2_with_what_is_wrong(byte[] npy, string message)
    {
        ToolResult result = Tool.ElrRun("run", Factorized, "--input", Write("broken.npy", npy), "-q");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error);
        AssertNoStackTrace(result);
    }

    [Fact]
    public void Channels_first_images_as_PyTorch_keeps_them_are_refused_with_the_transpose_to_apply()
    {
        // A 6×5×3 model: (N, 3, 6, 5) holds as many values per sample as (N, 6, 5, 3), in another order.
        var network = new EdgeLowRank.Compressor.Training.Network("rgb", new EdgeLowRank.Runtime.Layers.TensorShape(6, 5, 3),
            [new EdgeLowRank.Compressor.Training.Conv2d("conv1", 3, 2, new EdgeLowRank.Runtime.Layers.ConvolutionGeometry(3)),
             new EdgeLowRank.Compressor.Training.Flatten("flatten"), new EdgeLowRank.Compressor.Training.Dense("fc1", 4 * 3 * 2, 2)]);
        network.Initialize(1);
        string model = PathOf("rgb.elr");
        using (var exported = EdgeLowRank.Compressor.Export.NetworkExporter.ToModel(network, new EdgeLowRank.Runtime.Layers.ModelMetadata()))
            EdgeLowRank.Runtime.Format.ModelWriter.Write(exported, model);
        byte[] Npy(string shape)
        {
            string header = $"{{'descr': '<f4', 'fortran_order': False, 'shape': {shape}, }}".PadRight(117) + "\n";
            return [0x93, .. "NUMPY"u8, 1, 0, (byte)header.Length, 0, .. System.Text.Encoding.ASCII.GetBytes(header), .. new byte[2 * 90 * 4]];
        }

        ToolResult first = Tool.ElrRun("run", model, "--input", Write("nchw.npy", Npy("(2, 3, 6, 5)")), "-q");
        ToolResult last = Tool.ElrRun("run", model, "--input", Write("nhwc.npy", Npy("(2, 6, 5, 3)")), "-q");

        Assert.Equal(2, first.ExitCode);
        Assert.Contains("nchw.npy has shape (2, 3, 6, 5): images of 3 channels first, as PyTorch keeps them, where the model takes 6×5×3 images "
            + "channels-last (height, width, channels). Save them with np.transpose(x, (0, 2, 3, 1)).", first.Error);
        Assert.True(last.ExitCode == 0, last.Error);
    }

    [Theory]
    [InlineData("<c8")]   // no reader here takes it
    [InlineData("<i8")]   // the data sets' labels are read as it; elr-run's samples are pixels, not indices
    public void An_npy_of_a_type_elr_run_does_not_take_as_samples_names_the_types_it_does(string dtype)
    {
        string header = $"{{'descr': '{dtype}', 'fortran_order': False, 'shape': (1, 784), }}".PadRight(117) + "\n";
        byte[] npy = [0x93, .. "NUMPY"u8, 1, 0, (byte)header.Length, 0, .. System.Text.Encoding.ASCII.GetBytes(header), .. new byte[784 * 8]];

        ToolResult result = Tool.ElrRun("run", Factorized, "--input", Write("typed.npy", npy), "-q");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"dtype {dtype} is not supported; use float32 ('<f4'), float64 or uint8.", result.Error);
    }

    [Theory]
    [InlineData("info", "needs a model")]
    [InlineData("run", "needs a model")]
    [InlineData("bench", "needs a model")]
    [InlineData("profile", "needs an output file")]
    public void A_command_without_its_file_is_exit_code_1_not_help(string command, string message)
    {
        ToolResult result = Tool.ElrRun(command);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"'{command}' {message}", result.Error);
    }

    [Theory]
    [InlineData(new[] { "bench", "m.elr", "--duraton", "5" }, "'--duraton' is not an option of 'bench'; did you mean --duration? See 'elr-run bench --help'.")]
    [InlineData(new[] { "run", "m.elr", "--inptu", "x.f32" }, "'--inptu' is not an option of 'run'; did you mean --input? See 'elr-run run --help'.")]
    [InlineData(new[] { "profile", "--ouput", "b.json" }, "'--ouput' is not an option of 'profile'; did you mean --output? See 'elr-run profile --help'.")]
    [InlineData(new[] { "run", "m.elr", "--foo", "3" }, "'--foo' is not an option of 'run'; see 'elr-run run --help'.")]
    [InlineData(new[] { "benc", "m.elr" }, "unknown command 'benc' (did you mean bench?). Commands: info, run, bench, profile.")]
    public void A_misspelt_option_or_command_is_named_with_the_nearest_one_the_command_has(string[] args, string message)
    {
        // elr-run said only that the word was unknown; elr offered the option meant. The options are read from the help,
        // so an option added to a command is offered without a list to keep.
        ToolResult result = Tool.ElrRun(args);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"elr-run: error: {message}", result.Error);
        Assert.Equal("", result.Output);
    }

    [Theory]
    [InlineData(new[] { "--help" }, "Usage: elr-run [command]")]
    [InlineData(new[] { "bench", "--help" }, "Usage: elr-run bench MODEL.elr [options...]")]
    [InlineData(new[] { "profile", "--help" }, "Usage: elr-run profile [options...]")]
    public void Help_names_the_program_in_its_usage_line(string[] args, string usage)
    {
        ToolResult result = Tool.ElrRun(args);

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith(usage, result.Output);
    }

    [Fact]
    public void Outputs_written_as_npy_are_read_back_by_expect_and_a_longer_expect_file_is_refused()
    {
        string npy = PathOf("out.npy");
        string input = Tool.Fixture("lenet300-factorized.input.f32");
        ToolResult written = Tool.ElrRun("run", Factorized, "--input", input, "-q", "--output", npy);
        Assert.True(written.ExitCode == 0, written.Error);
        Assert.Equal([0x93, .. "NUMPY"u8], File.ReadAllBytes(npy)[..6]);

        Assert.Contains("compare: OK", Tool.ElrRun("run", Factorized, "--input", input, "-q", "--expect", npy).Output);

        // One sample run against a file of all of them: a prefix compared as OK was a false pass.
        ToolResult longer = Tool.ElrRun("run", Factorized, "--input", Write("one.f32", File.ReadAllBytes(input)[..(784 * 4)]), "-q", "--expect", npy);
        Assert.Equal(2, longer.ExitCode);
        Assert.Contains("holds 4 samples but the input holds 1, all to be run; --expect must then hold exactly as many samples as are run: give an --expect of 1 sample,", longer.Error);

        // With --limit the first N of a longer file are compared, as the README says.
        ToolResult limited = Tool.ElrRun("run", Factorized, "--input", input, "-q", "--limit", "1", "--expect", npy);
        Assert.True(limited.ExitCode == 0, limited.Error);
        Assert.Contains("compare: OK", limited.Output);
    }

    [Theory]
    [InlineData(new string[0], "")]
    [InlineData(new[] { "--limit", "4" }, " (--limit 4 is not below the input's count)")]
    public void An_expect_file_longer_than_the_input_is_told_to_match_it_not_to_use_limit(string[] limit, string note)
    {
        // 4 samples run against 10 expected: the message suggested --limit N, which cannot pass a longer file once all
        // the input is run, as here with --limit 4.
        string input = Tool.Fixture("lenet300-factorized.input.f32");
        byte[] four = File.ReadAllBytes(Tool.Fixture("lenet300-factorized.expected.f32"));
        string ten = Write("ten.f32", [.. four, .. four, .. four[..(four.Length / 2)]]);

        ToolResult result = Tool.ElrRun(["run", Factorized, "--input", input, "-q", "--expect", ten, .. limit]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"holds 10 samples but the input holds 4, all to be run{note}; --expect must then hold exactly as many samples as are run: give an --expect of 4 samples, the outputs of the same input file.", result.Error);
        Assert.DoesNotContain("--limit N", result.Error);
        ToolResult followed = Tool.ElrRun(["run", Factorized, "--input", input, "-q", "--expect", Write("four.f32", four), .. limit]);
        Assert.True(followed.ExitCode == 0, followed.Error);
    }

    [Theory]
    [InlineData(new string[0], "4 are to be run; give the outputs of the same input file, or --limit 2 to compare the first 2.")]
    [InlineData(new[] { "--limit", "3" }, "3 are to be run; give outputs of at least 3 samples, or --limit 2 to compare the first 2.")]
    public void An_expect_file_shorter_than_the_run_is_given_a_limit_that_works(string[] limit, string advice)
    {
        string input = Tool.Fixture("lenet300-factorized.input.f32");
        byte[] two = File.ReadAllBytes(Tool.Fixture("lenet300-factorized.expected.f32"))[..(2 * 10 * sizeof(float))];
        string expect = Write("two.f32", two);

        ToolResult result = Tool.ElrRun(["run", Factorized, "--input", input, "-q", "--expect", expect, .. limit]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"holds 2 samples but {advice}", result.Error);
        // The --limit the message names makes the comparison pass.
        ToolResult followed = Tool.ElrRun("run", Factorized, "--input", input, "-q", "--expect", expect, "--limit", "2");
        Assert.True(followed.ExitCode == 0, followed.Error);
        Assert.Contains("compare: OK", followed.Output);
    }

    [Theory]
    [InlineData("info")]
    [InlineData("run")]
    [InlineData("bench")]
    [InlineData("profile")]
    public void Help_shows_defaults_as_a_user_types_them(string command)
    {
        ToolResult result = Tool.ElrRun(command, "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain("@\"", result.Output); // the parser showed --kernel's default as the C# literal @"auto"
        if (command == "bench") Assert.Contains("[Default: auto]", result.Output);
    }

    [Fact]
    public void A_bad_expect_file_fails_before_the_run_and_leaves_the_output_as_it_was()
    {
        // The expected file was read after the run, so its error came after --output had been replaced.
        string output = Write("out.f32", [1, 2, 3, 4]);

        ToolResult result = Tool.ElrRun("run", Factorized, "--input", Tool.Fixture("lenet300-factorized.input.f32"), "-q",
            "--expect", Write("odd.f32", new byte[30]), "--output", output);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("odd.f32", result.Error);
        Assert.Equal([1, 2, 3, 4], File.ReadAllBytes(output));
    }

    [Theory]
    [InlineData("--top", "without --quiet", "run", "-q", "--top", "5")]
    [InlineData("--rtol", "with --expect", "run", "--rtol", "0.1")]
    [InlineData("--runs", "without --duration", "bench", "--runs", "20", "--duration", "0.2")]
    [InlineData("--min-seconds", "without --duration", "bench", "--min-seconds", "1", "--duration", "0.2")]
    public void An_option_the_rest_of_the_command_line_makes_meaningless_is_refused(string option, string needs, string command, params string[] options)
    {
        string[] input = command == "run" ? ["--input", Tool.Fixture("lenet300-factorized.input.f32")] : [];

        ToolResult result = Tool.ElrRun([command, Factorized, .. input, .. options]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{option} is only used {needs}", result.Error);
    }

    [Theory]
    [InlineData("--duration 0", "--duration must be above 0 and at most 86400 seconds, not 0")]
    [InlineData("--duration -1", "--duration must be above 0 and at most 86400 seconds, not -1")]
    [InlineData("--runs 20 --duration 0", "--runs is only used without --duration")]
    public void A_duration_of_zero_or_less_is_refused_not_taken_for_the_default_runs(string options, string message)
    {
        // 0 stood for "not given": --duration 0 silently ran the default 5,000 runs, and --runs 20 with it was accepted.
        ToolResult result = Tool.ElrRun(["bench", Factorized, "--warmup", "0", "--warmup-seconds", "0", .. options.Split(' ')]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.Error);
    }

    [Fact]
    public void Per_layer_times_with_run_threads_time_the_layers_as_split_across_them()
    {
        // A profiled run never splits its batch, but may split its layers: the steps' times are then those of the threads.
        ToolResult result = Tool.ElrRun("bench", Factorized, "--runs", "20", "--warmup", "0", "--warmup-seconds", "0", "--per-layer", "--run-threads", "2");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("run threads 2", result.Output);
        Assert.Contains("FactorizedDense+Relu", result.Output);
    }

    [Fact]
    public void A_duration_measures_for_that_time()
    {
        ToolResult result = Tool.ElrRun("bench", Factorized, "--duration", "0.2", "--warmup", "0", "--warmup-seconds", "0");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("duration 0.2 s", result.Output);
    }

    [Fact]
    public void An_infinite_tolerance_is_refused_rather_than_passing_everything()
    {
        string input = Tool.Fixture("lenet300-factorized.input.f32");
        ToolResult result = Tool.ElrRun("run", Factorized, "--input", input, "-q", "--expect", Tool.Fixture("lenet300-dense.expected.f32"), "--rtol", "Infinity");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--rtol must be a finite number ≥ 0, not ", result.Error);
    }

    [Fact]
    public void A_fortran_ordered_npy_is_refused_however_its_header_is_spaced()
    {
        string header = "{'descr': '<f4', 'fortran_order':True, 'shape': (1, 784), }".PadRight(117) + "\n";
        byte[] npy = [0x93, .. "NUMPY"u8, 1, 0, (byte)header.Length, 0, .. System.Text.Encoding.ASCII.GetBytes(header), .. new byte[784 * 4]];

        ToolResult result = Tool.ElrRun("run", Factorized, "--input", Write("fortran.npy", npy), "-q");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("it is stored in Fortran order", result.Error);
    }

    [Fact]
    public void A_file_named_as_idx_that_is_not_idx_is_refused_as_such()
    {
        // It was read as raw floats: "holds 2 values, which is not a whole number of samples".
        ToolResult result = Tool.ElrRun("run", Factorized, "--input", Write("t10k-images-idx3-ubyte", "abcdefgh"u8.ToArray()), "-q");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("is named as an IDX file but does not start like one", result.Error);
    }

    [Fact]
    public void A_command_given_options_but_no_model_asks_for_the_model_not_an_option()
    {
        ToolResult result = Tool.ElrRun("info", "--json");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("'info' needs a model first: elr-run info MODEL.elr", result.Error);
    }

    [Theory]
    [InlineData("profile", "--output", "board.elr", "the latency table is JSON")]
    [InlineData("run", "--output", "other.elr", "the outputs are numbers, not a model")]
    [InlineData("bench", "--duration", "1,5", "'1,5' is not a number as elr-run reads them")]
    [InlineData("bench", "--runs", "1.5", "--runs '1.5' is not a whole number")]
    [InlineData("bench", "--warmup-seconds", "x", "--warmup-seconds 'x' is not a number such as 0.5")]
    [InlineData("bench", "--min-seconds", "x", "--min-seconds 'x' is not a number such as 0.5")]
    [InlineData("bench", "--min-seconds", "0,5", "--min-seconds '0,5' is not a number as elr-run reads them: write decimals with a point (0.5)")]
    [InlineData("profile", "--quick", "", "-o/--output is required for 'profile'")]
    public void A_value_that_would_do_the_wrong_thing_is_refused(string command, string option, string value, string message)
    {
        string[] args = command switch
        {
            "profile" when value.Length == 0 => [command, option],
            "profile" => [command, "--quick", option, PathOf(value)],
            "run" => [command, Factorized, "--input", Tool.Fixture("lenet300-factorized.input.f32"), "-q", option, PathOf(value)],
            _ => [command, Factorized, option, value],
        };

        ToolResult result = Tool.ElrRun(args);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.Error);
        Assert.False(File.Exists(PathOf(value)));
    }

    [Theory]
    [InlineData("bench", "--bogus")]
    [InlineData("bench", "--runs", "0")]
    [InlineData("bench", "--batch", "many")]
    [InlineData("bench", "--kernel", "avx9000")]
    [InlineData("bench", "--batch", "100000000")]
    [InlineData("bench", "--runs", "5", "-n", "6")]
    [InlineData("frobnicate")]
    [InlineData("-x")]   // printed the usage and exited 0
    [InlineData()]
    public void An_impossible_command_line_is_exit_code_1(params string[] args)
    {
        string[] withModel = args.Length > 1 ? [args[0], Factorized, .. args[1..]] : args;

        ToolResult result = Tool.ElrRun(withModel);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("elr-run: error:", result.Error);
        AssertNoStackTrace(result);
    }

    [Theory]
    [InlineData("vector128")]
    [InlineData("vector256")]
    [InlineData("vector512")]
    public void A_kernel_width_this_machine_does_not_accelerate_is_a_usage_error_not_an_unsupported_model(string kernel)
    {
        // With hardware intrinsics off, elr-run sees a machine that accelerates no width, whatever this one does.
        ToolResult result = Tool.ElrRunWith(new Dictionary<string, string> { ["DOTNET_EnableHWIntrinsic"] = "0" },
            "bench", Factorized, "--kernel", kernel, "--runs", "1", "--warmup", "0", "--warmup-seconds", "0");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"--kernel {kernel} is not hardware-accelerated here", result.Error);
        // The hint names the publish that gives that width, not always the AVX2 one.
        Assert.Contains(kernel == "vector512" ? "x86-64-v4 enables vector512" : "x86-64-v3 enables vector256", result.Error);
    }

    [Fact]
    public void Kernel_vector512_runs_where_512_bit_vectors_are_accelerated_and_is_a_usage_error_elsewhere()
    {
        // elr-run runs under the same JIT on the same CPU as this test, so it sees the same Vector512 support.
        ToolResult result = Tool.ElrRun("bench", Factorized, "--kernel", "vector512", "--runs", "10", "--warmup", "0", "--warmup-seconds", "0");

        if (Vector512.IsHardwareAccelerated)
        {
            Assert.True(result.ExitCode == 0, result.Error);
            Assert.Contains("kernel vector512", result.Output);
        }
        else Assert.Equal(1, result.ExitCode);
    }

    [Fact]
    public void Standard_input_is_refused_as_such_not_as_a_missing_file_named_dash()
    {
        ToolResult result = Tool.ElrRun("run", Tool.Fixture("tiny-odd.elr"), "--input", "-");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--input -: elr-run reads its samples from a file, not from standard input", result.Error);
        Assert.DoesNotContain("does not exist", result.Error);
    }

    [Fact]
    public void A_sample_whose_outputs_are_all_NaN_is_given_no_class()
    {
        // Its scores rank nowhere: printed as class 0 (NaN), a user trial read it as an answer.
        float[] inputs = MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(Tool.Fixture("tiny-odd.input.f32"))).ToArray();
        int perSample = inputs.Length / 4;
        inputs.AsSpan(2 * perSample, perSample).Fill(float.NaN);
        string input = Write("nan.f32", MemoryMarshal.AsBytes(inputs.AsSpan()).ToArray());

        ToolResult result = Tool.ElrRun("run", Tool.Fixture("tiny-odd.elr"), "--input", input);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("sample 2: no class (every output is NaN)", result.Output);
        Assert.Matches(@"sample 1: \S+ \(", result.Output);
        Assert.Contains("input values are NaN or infinite (the first in sample 2)", result.Error);

        // Scored against labels, it is wrong even where its label is class 0, the index NaN scores leave first.
        // The others' classes: η (6), γ (2), α (0).
        string labels = Write("labels.npy", EdgeLowRank.Runtime.Tests.IO.NpyBytes.Of(EdgeLowRank.Runtime.IO.NpyDataType.UInt8, [4], 6, 2, 0, 0));
        ToolResult scored = Tool.ElrRun("run", Tool.Fixture("tiny-odd.elr"), "--input", input, "--labels", labels, "-q");
        Assert.True(scored.ExitCode == 0, scored.Error);
        Assert.Contains("accuracy 75.00% (1 of 4 wrong)", scored.Output);
        // Its line says so, and the confusion matrix counts it in a column of its own, off every class's.
        ToolResult marked = Tool.ElrRun("run", Tool.Fixture("tiny-odd.elr"), "--input", input, "--labels", labels, "--wrong-only", "--confusion");
        Assert.True(marked.ExitCode == 0, marked.Error);
        Assert.StartsWith("sample 2: no class (every output is NaN)  label α, wrong" + Environment.NewLine + "accuracy 75.00%", marked.Output);
        Assert.Matches(@"\ntrue \\ predicted\s+α\s+β\s+γ\s+δ\s+ε\s+ζ\s+η\s+no class\s+recall\r?\n", marked.Output);
        Assert.Matches(@"\nα\s+1\s+0\s+0\s+0\s+0\s+0\s+0\s+1\s+50\.0%\r?\n", marked.Output);
    }

    [Fact]
    public void An_expect_file_holding_infinities_is_a_mismatch_and_is_pointed_out()
    {
        // Against a sample's largest |expected| of infinity every difference came out 0: garbage with one infinity per
        // sample passed as "largest relative error 0e+0".
        float[] garbage = Enumerable.Range(0, 4 * 7).Select(i => i % 7 == 6 ? float.PositiveInfinity : 123f).ToArray();
        string expect = Write("infinite.f32", garbage.SelectMany(BitConverter.GetBytes).ToArray());

        ToolResult result = Tool.ElrRun("run", Tool.Fixture("tiny-odd.elr"), "--input", Tool.Fixture("tiny-odd.input.f32"), "--expect", expect, "-q");

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("compare: MISMATCH", result.Output);
        Assert.Contains("4 of 28 expected values are NaN or infinite (the first in sample 0); check the --expect file.", result.Error);
    }

    [Theory]
    // The parser drops "--" and all after it: `run -- MODEL ...` printed the usage and exited 0, which a script reads as a pass.
    [InlineData("run -- MODEL --input INPUT --expect EXPECTED", "elr-run: error: '--' ")]
    [InlineData("run MODEL --input INPUT --expect EXPECTED --", "elr-run: error: '--' ")]
    [InlineData("info -- MODEL", "elr-run: error: '--' ")]
    [InlineData("bench -- MODEL", "elr-run: error: '--' ")]
    [InlineData("profile -- -o OUTPUT", "elr-run: error: '--' ")]
    [InlineData("run --input INPUT", "elr-run: error:")]
    [InlineData("run MODEL", "elr-run: error:")]
    [InlineData("run MODEL --input", "elr-run: error:")]
    [InlineData("bench --runs 5", "elr-run: error:")]
    [InlineData("info MODEL MODEL", "elr-run: error:")]
    [InlineData("profile --quick --runs 5", "elr-run: error:")]
    public void A_command_line_that_runs_nothing_never_exits_0(string commandLine, string errorStart)
    {
        ToolResult result = Tool.ElrRun(Arguments(commandLine));

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith(errorStart, result.Error);
        Assert.Empty(result.Output);
    }

    /// <summary>A command line written with placeholders (MODEL, INPUT, EXPECTED, OUTPUT), as the tiny-odd fixture's files.</summary>
    private string[] Arguments(string commandLine) =>
        commandLine.Split(' ').Select(word => word switch
        {
            "MODEL" => Tool.Fixture("tiny-odd.elr"),
            "INPUT" => Tool.Fixture("tiny-odd.input.f32"),
            "EXPECTED" => Tool.Fixture("tiny-odd.expected.f32"),
            "OUTPUT" => PathOf("board.json"),
            _ => word,
        }).ToArray();

    [Fact]
    public void A_batch_and_thread_count_beyond_the_memory_limit_are_refused_before_allocating_with_what_they_need()
    {
        // A GC heap limit stands for a board's small memory: elr-run sees a machine of 256 MiB.
        ToolResult result = Tool.ElrRunWith(new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = "0x10000000" },
            "bench", Tool.Fixture("lenet5-dense.elr"), "--batch", "65536", "--threads", "8", "--runs", "1", "--warmup", "0", "--warmup-seconds", "0");

        Assert.Equal(1, result.ExitCode);
        Assert.Matches(@"^elr-run: error: --batch 65,536 on --threads 8 needs [0-9.]+ [MG]iB: 8 arenas of 90\.00 MiB \(for runs of up to 1,024 samples\) and, per thread, 198\.50 MiB of inputs and outputs; this process may use 256\.00 MiB \(the memory \.NET finds for it: the machine's, or the limit of a container or of DOTNET_GCHeapHardLimit\)\. Lower --batch or --threads\.", result.Error);
        AssertNoStackTrace(result);
    }

    [Fact]
    public void Memory_that_cannot_be_allocated_is_a_clear_error_not_a_bug()
    {
        // Under `ulimit -v` the machine's memory looks ample, and the allocation itself fails: it was reported as an
        // internal error of elr-run (exit code 70).
        using Process process = Tool.StartElrRun(["bench", Tool.Fixture("lenet5-dense.elr"), "--batch", "65536", "--threads", "8", "--runs", "1",
            "--warmup", "0", "--warmup-seconds", "0"], shellPrefix: "ulimit -v 3000000;");
        (int exitCode, string error) = WaitForExit(process);

        Assert.True(exitCode == 1, error);
        Assert.Contains("--batch 65,536 on --threads 8 needs", error);
        // Where .NET sees a container's memory limit, the check before allocating may refuse it first: either is right.
        Assert.Matches("but allocating it failed|this process may use", error);
        Assert.DoesNotContain("internal error", error);
    }

    [Theory]
    [InlineData("--input")]
    [InlineData("--expect")]
    public void A_model_given_as_input_data_is_refused_as_a_model(string option)
    {
        // A model's bytes read as raw f32 made NaN inputs and, when their count fit, a run that passed.
        string[] files = option == "--input"
            ? ["--input", Tool.Fixture("lenet300-factorized.elr")]
            : ["--input", Tool.Fixture("lenet300-factorized.input.f32"), "--expect", Tool.Fixture("lenet300-dense.elr")];

        ToolResult result = Tool.ElrRun(["run", Factorized, .. files, "-q"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("starts as an .elr model does: it is a model, not", result.Error);
    }

    [Fact]
    public void Counts_of_one_and_of_none_are_worded_as_such()
    {
        string input = Tool.Fixture("tiny-odd.input.f32");
        string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 37), }".PadRight(117) + "\n";
        byte[] empty = [0x93, .. "NUMPY"u8, 1, 0, (byte)header.Length, 0, .. System.Text.Encoding.ASCII.GetBytes(header)];

        ToolResult one = Tool.ElrRun("run", Tool.Fixture("tiny-odd.elr"), "--input", Write("one.f32", File.ReadAllBytes(input)[..4]), "-q");
        ToolResult none = Tool.ElrRun("run", Tool.Fixture("tiny-odd.elr"), "--input", Write("none.npy", empty), "-q");
        ToolResult oneSample = Tool.ElrRun("run", Tool.Fixture("tiny-odd.elr"), "--input", input, "-q",
            "--expect", Write("one-sample.f32", File.ReadAllBytes(Tool.Fixture("tiny-odd.expected.f32"))[..(7 * 4)]));

        Assert.Equal([2, 2, 2], new[] { one.ExitCode, none.ExitCode, oneSample.ExitCode });
        Assert.Contains("one.f32 holds 1 value, which is not a whole number of samples of 37 values", one.Error);
        Assert.Contains("none.npy holds no samples: its shape is (0, 37); give at least one sample of 37 values", none.Error);
        Assert.Contains("one-sample.f32 holds 1 sample but 4 are to be run", oneSample.Error);
    }

    [Fact]
    public void A_npy_file_of_a_wrong_length_is_named_by_its_shape()
    {
        // A user trial's (100, 700) array for a 784-value model was named only by its count of values, where a shape that
        // multiplies out is named by its shape.
        string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 20), }".PadRight(117) + "\n";
        byte[] npy = [0x93, .. "NUMPY"u8, 1, 0, (byte)header.Length, 0, .. System.Text.Encoding.ASCII.GetBytes(header), .. new byte[3 * 20 * 4]];

        ToolResult run = Tool.ElrRun("run", Tool.Fixture("tiny-odd.elr"), "--input", Write("three-by-twenty.npy", npy), "-q");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("three-by-twenty.npy has shape (3, 20): 60 values, which is not a whole number of samples of 37 values (the model's input)", run.Error);
    }

    [Theory]
    [InlineData("profile", "folder")]
    [InlineData("profile", "folder.json")]
    [InlineData("run", "folder.elr")]
    public void An_output_that_is_a_folder_is_exit_code_3_whatever_its_name(string command, string folder)
    {
        // `profile -o .` was told to give a name ending in .json (exit 1), where `run -o .` said it is a folder (exit 3).
        string output = Directory.CreateDirectory(PathOf(folder)).FullName;
        string[] args = command == "profile"
            ? ["profile", "--quick", "-o", output]
            : ["run", Factorized, "--input", Tool.Fixture("lenet300-factorized.input.f32"), "-q", "-o", output];

        ToolResult result = Tool.ElrRun(args);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains($"--output: '{output}' is a folder", result.Error);
    }

    private static (int ExitCode, string Error) WaitForExit(Process process)
    {
        Task<string> error = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("elr-run did not finish in 60 s.");
        }
        return (process.ExitCode, error.Result);
    }

    private static void AssertNoStackTrace(ToolResult result) =>
        Assert.DoesNotMatch(@"^\s+at \S+\(", result.Output + result.Error);

    [Theory]
    [InlineData("info")]
    [InlineData("--help")]
    [InlineData("run --help")]
    public void A_full_stdout_is_named_as_stdout_with_exit_code_3(string command)
    {
        // The help is written by the parser, which let the failure end the process with a stack trace.
        string[] args = command == "info" ? ["info", Factorized] : command.Split(' ');
        ToolResult result = Tool.ElrRunInto("/dev/full", args);
        Assert.Equal(3, result.ExitCode);
        Assert.Contains("cannot write to standard output", result.Error);
        AssertNoStackTrace(result);
    }
}
