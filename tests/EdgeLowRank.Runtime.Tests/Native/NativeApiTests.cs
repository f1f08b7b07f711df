using System.Text.RegularExpressions;
using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Layers;
using EdgeLowRank.Runtime.Native;
using EdgeLowRank.Runtime.Tests.Format;

namespace EdgeLowRank.Runtime.Tests.Native;

/// <summary>libelr's C API (include/elr.h), called in process through function pointers: it computes what
/// <see cref="InferenceSession"/> computes, refuses every bad argument with its status and a message, and agrees with
/// its header. scripts/check-native-api.sh calls the published library from C on x64 and under arm64 emulation.</summary>
public unsafe class NativeApiTests
{
    private static readonly string HeaderPath = Path.Combine(Fixtures.Folder, "..", "..", "runtime", "EdgeLowRank.Runtime.Native", "include", "elr.h");
    private static readonly string Header = File.ReadAllText(HeaderPath);

    [Fact]
    public void The_header_declares_the_librarys_statuses_versions_and_shape_layout()
    {
        var declared = Regex.Matches(Header, @"^\s*ELR_([A-Z_]+) = (\d+),?$", RegexOptions.Multiline)
            .ToDictionary(m => string.Concat(m.Groups[1].Value.Split('_').Select(w => w[0] + w[1..].ToLowerInvariant())), m => int.Parse(m.Groups[2].Value));
        Assert.Equal(Enum.GetValues<Status>().ToDictionary(s => s.ToString(), s => (int)s), declared);
        int apiVersion = int.Parse(Regex.Match(Header, @"#define ELR_API_VERSION (\d+)").Groups[1].Value);
        Assert.Equal(apiVersion, NativeCalls.ApiVersion());
        Assert.Equal(3, apiVersion);
        Assert.Contains($"(libelr.so.{apiVersion})", Header);
        Assert.Contains($"<SharedLibrarySoname>libelr.so.{apiVersion}</SharedLibrarySoname>", File.ReadAllText(Path.Combine(Path.GetDirectoryName(HeaderPath)!, "..", "EdgeLowRank.Runtime.Native.csproj")));
        foreach (Match m in Regex.Matches(Header, @"^\s*(ELR_[A-Z_]+) = (\d+),?$", RegexOptions.Multiline))
            Assert.Equal(m.Groups[1].Value, NativeCalls.StatusName((Status)int.Parse(m.Groups[2].Value)));
        Assert.Equal("ELR_UNKNOWN_STATUS", NativeCalls.StatusName((Status)99));
        int maxRank = int.Parse(Regex.Match(Header, @"#define ELR_MAX_RANK (\d+)").Groups[1].Value);
        Assert.Equal(TensorShape.MaxRank, maxRank);
        Assert.Equal(NativeShape.MaxRank, maxRank);
        Assert.Equal(sizeof(int) * (1 + maxRank), sizeof(NativeShape));
        int reserved = int.Parse(Regex.Match(Header, @"int32_t reserved\[(\d+)\];").Groups[1].Value);
        Assert.Equal(NativeOptions.ReservedWords, reserved);
        Assert.Equal(sizeof(int) * (2 + reserved), sizeof(NativeOptions));
        Assert.Matches(@"^\d+\.\d+\.\d+$", NativeCalls.Version());
    }

    [Theory]
    [MemberData(nameof(GoldenModels))]
    public void Runs_compute_what_the_session_computes_from_a_file_and_from_bytes(string name)
    {
        float[] input = Fixtures.Floats(name + ".input.f32");
        // Passes of 2 samples through the file's session and of 64 through the bytes': each against a session alike.
        Assert.Equal(Status.Ok, NativeCalls.Open(Fixtures.Model(name), 2, out nint fromFile));
        Assert.Equal("", NativeCalls.LastError());
        Assert.Equal(Status.Ok, NativeCalls.OpenBytes(File.ReadAllBytes(Fixtures.Model(name)), null, out nint fromBytes));
        try
        {
            foreach ((nint session, int passes) in new[] { (fromFile, 2), (fromBytes, 64) })
            {
                using var reference = InferenceSession.Load(Fixtures.Model(name), new SessionOptions { MaxBatchSize = passes });
                int batch = input.Length / reference.InputLength;
                var expected = new float[batch * reference.OutputLength];
                reference.Run(input, expected, batch);
                var expectedOneByOne = new float[expected.Length];
                for (int s = 0; s < batch; s++)
                    reference.Run(input.AsSpan(s * reference.InputLength, reference.InputLength), expectedOneByOne.AsSpan(s * reference.OutputLength, reference.OutputLength));

                Assert.Equal(Status.Ok, NativeCalls.InputShape(session, out NativeShape inShape));
                Assert.Equal(Status.Ok, NativeCalls.OutputShape(session, out NativeShape outShape));
                Assert.Equal(reference.Model.InputShape.Dimensions.ToArray(), Dimensions(inShape));
                Assert.Equal(reference.Model.OutputShape.Dimensions.ToArray(), Dimensions(outShape));
                var output = new float[expected.Length];
                Assert.Equal(Status.Ok, NativeCalls.Run(session, input, input.Length, output, output.Length, batch));
                Assert.Equal(expected, output);
                Array.Clear(output);
                for (int s = 0; s < batch; s++)
                    fixed (float* x = &input[s * reference.InputLength], y = &output[s * reference.OutputLength])
                        Assert.Equal(Status.Ok, NativeCalls.Run(session, x, reference.InputLength, y, reference.OutputLength, 1));
                Assert.Equal(expectedOneByOne, output);
            }
        }
        finally
        {
            NativeCalls.Close(fromFile);
            NativeCalls.Close(fromBytes);
        }
    }

    public static TheoryData<string> GoldenModels() => new(Fixtures.Names);

    [Theory]
    [InlineData("/no/such/model.elr", "elr_session_open: model_path: '/no/such/model.elr' does not exist; check the path.")]
    [InlineData("/", "elr_session_open: model_path: '/' is a folder")]
    [InlineData("/dev/null", "elr_session_open: model_path: '/dev/null' is empty")]
    public void A_path_that_is_no_model_file_is_a_file_error(string path, string message)
    {
        Assert.Equal(Status.FileError, NativeCalls.Open(path, 0, out nint session));
        Assert.Equal(0, session);
        Assert.StartsWith(message, NativeCalls.LastError());
    }

    [Fact]
    public void A_missing_relative_path_is_named_as_the_absolute_path_it_was_looked_for_at()
    {
        Assert.Equal(Status.FileError, NativeCalls.Open("no/such/model.elr", 0, out _));
        Assert.Equal($"elr_session_open: model_path: 'no/such/model.elr' does not exist; it was looked for as '{Path.Combine(Environment.CurrentDirectory, "no/such/model.elr")}', "
            + "since a relative path is taken from the process's working folder; give the model's absolute path.", NativeCalls.LastError());
    }

    [Fact]
    public void A_path_that_is_not_utf8_is_refused_by_its_byte_and_offset()
    {
        byte[] latin1 = [.. "/tmp/latin"u8, 0xE9, .. ".elr"u8];
        Assert.Equal(Status.InvalidArgument, NativeCalls.OpenPathBytes(latin1, out nint session));
        Assert.Equal(0, session);
        Assert.StartsWith("elr_session_open: model_path is not valid UTF-8: byte 0xE9 at offset 10, after \"/tmp/latin\"; libelr opens files by UTF-8 names only",
            NativeCalls.LastError());
    }

    [Fact]
    public void An_internal_errors_message_of_several_lines_is_given_on_one()
    {
        Assert.Equal(Status.InternalError, LastError.Failed("elr_session_run", new ObjectDisposedException("Memory")));
        Assert.Equal("elr_session_run: internal error in libelr: ObjectDisposedException: Cannot access a disposed object. Object name: 'Memory'. "
            + "Please report it with the model and the call that caused it.", NativeCalls.LastError());
    }

    [Fact]
    public void Damaged_model_bytes_are_an_invalid_model_in_a_file_and_in_memory()
    {
        byte[] bytes = File.ReadAllBytes(Fixtures.Model("lenet5-factorized"));
        bytes[bytes.Length / 2] ^= 0x40;
        string path = Path.Combine(Path.GetTempPath(), $"elr-native-{Guid.NewGuid():N}.elr");
        File.WriteAllBytes(path, bytes);
        try
        {
            Assert.Equal(Status.InvalidModel, NativeCalls.Open(path, 0, out nint session));
            Assert.Equal(0, session);
            Assert.StartsWith("elr_session_open: invalid model: ", NativeCalls.LastError());
        }
        finally
        {
            File.Delete(path);
        }
        Assert.Equal(Status.InvalidModel, NativeCalls.OpenBytes(bytes, 0, out nint fromBytes));
        Assert.Equal(0, fromBytes);
        Assert.StartsWith("elr_session_open_bytes: invalid model (bytes): ", NativeCalls.LastError());
        Assert.Equal(Status.InvalidModel, NativeCalls.OpenBytes(bytes[..100], 0, out _));
        // The source first, then the reader's words: not "invalid model: The bytes: The file ends at byte 100, …".
        Assert.StartsWith("elr_session_open_bytes: invalid model (bytes): the file ends at byte 100", NativeCalls.LastError());
        Assert.Equal(Status.InvalidModel, NativeCalls.OpenBytes(new byte[100], 0, out _));
        Assert.StartsWith("elr_session_open_bytes: invalid model (bytes): bad magic: the file starts with 0000", NativeCalls.LastError());
    }

    [Fact]
    public void A_session_opened_with_threads_splits_its_runs_and_computes_the_same()
    {
        string model = Fixtures.Model("lenet5-dense");
        Assert.Equal(Status.Ok, NativeCalls.Open(model, null, out nint alone));
        Assert.Equal(Status.Ok, NativeCalls.Open(model, null, out nint split, threads: 3));
        try
        {
            float[] input = Execution.TestModels.RandomFloats(new Random(4), 12 * 784);
            float[] expected = new float[120], actual = new float[120];
            Assert.Equal(Status.Ok, NativeCalls.Run(alone, input, input.Length, expected, 120, 12));
            Assert.Equal(Status.Ok, NativeCalls.Run(split, input, input.Length, actual, 120, 12));
            Assert.Equal(expected, actual);
        }
        finally
        {
            NativeCalls.Close(alone);
            NativeCalls.Close(split);
        }
        Assert.Equal(Status.InvalidArgument, NativeCalls.Open(model, null, out _, threads: 257));
        Assert.StartsWith("elr_session_open: options->threads is 257; give 1 to 256", NativeCalls.LastError());
        Assert.Equal(Status.InvalidArgument, NativeCalls.Open(model, null, out _, threads: -1));
        Assert.Equal(Status.InvalidArgument, NativeCalls.OpenWithReserved(model, 5, 1));
        Assert.StartsWith("elr_session_open: options->reserved[5] is 1, not 0", NativeCalls.LastError());
    }

    [Fact]
    public void Bad_arguments_to_open_name_the_parameter()
    {
        string model = Fixtures.Model("tiny-odd");
        Assert.Equal(Status.InvalidArgument, NativeCalls.Open(null, 0, out nint session));
        Assert.Equal(0, session);
        Assert.StartsWith("elr_session_open: model_path is NULL", NativeCalls.LastError());
        Assert.Equal(Status.InvalidArgument, NativeCalls.OpenWithoutResult(model));
        Assert.StartsWith("elr_session_open: session is NULL", NativeCalls.LastError());
        Assert.Equal(Status.InvalidArgument, NativeCalls.Open(model, -1, out session));
        Assert.Equal(0, session);
        Assert.StartsWith("elr_session_open: options->max_batch_size is -1", NativeCalls.LastError());
        Assert.Equal(Status.InvalidArgument, NativeCalls.OpenBytes(null, 0, out session));
        Assert.StartsWith("elr_session_open_bytes: model_bytes is NULL", NativeCalls.LastError());
    }

    [Fact]
    public void A_max_batch_size_beyond_the_models_buffers_is_refused_with_the_largest_it_takes()
    {
        using var model = Runtime.Format.ModelReader.Load(Fixtures.Model("lenet5-dense"));
        int largest = InferenceSession.LargestBatchSizeFor(model);
        Assert.Equal(Status.InvalidArgument, NativeCalls.Open(Fixtures.Model("lenet5-dense"), largest + 1, out nint session));
        Assert.Equal(0, session);
        Assert.StartsWith($"elr_session_open: options->max_batch_size is {largest + 1:N0}, but this model runs at most {largest:N0} samples per pass", NativeCalls.LastError());
        Assert.Equal(Status.InvalidArgument, NativeCalls.OpenBytes(File.ReadAllBytes(Fixtures.Model("lenet5-dense")), int.MaxValue, out session));
    }

    [Fact]
    public void A_refused_run_names_what_is_wrong_and_writes_no_output()
    {
        Assert.Equal(Status.Ok, NativeCalls.Open(Fixtures.Model("lenet300-factorized"), 0, out nint session));
        try
        {
            var input = new float[2 * 784];
            var output = Enumerable.Repeat(-7f, 2 * 10).ToArray();
            void Refused(Status status, string message)
            {
                Assert.Equal(Status.InvalidArgument, status);
                Assert.StartsWith("elr_session_run: " + message, NativeCalls.LastError());
                Assert.All(output, y => Assert.Equal(-7f, y));
            }
            Refused(NativeCalls.Run(session, input, 784, output, 20, 2), "input_length is 784 floats, but batch_size 2 needs 1568 (2 × 784, one sample of shape 784)");
            Refused(NativeCalls.Run(session, input, 1568, output, 10, 2), "output_length is 10 floats, but batch_size 2 needs 20");
            Refused(NativeCalls.Run(session, input, 0, output, 0, 0), "batch_size is 0");
            Refused(NativeCalls.Run(session, null, 784, output, 10, 1), "input is NULL");
            Refused(NativeCalls.Run(session, input, 784, null, 10, 1), "output is NULL");
            Refused(NativeCalls.Run(0, input, 784, output, 10, 1), "session is NULL");
            Refused(NativeCalls.Run(session, input, 784, output, 10, int.MaxValue), "batch_size 2147483647 needs 1,683,627,179,248 input floats");
            fixed (float* shared = input)
            {
                Refused(NativeCalls.Run(session, shared, 784, shared + 700, 10, 1), "output overlaps input");
                Refused(NativeCalls.Run(session, shared + 5, 784, shared, 10, 1), "output overlaps input");
                // Adjacent buffers do not overlap: the output right after the input, and right before it.
                Assert.Equal(Status.Ok, NativeCalls.Run(session, shared, 784, shared + 784, 10, 1));
                Assert.Equal(Status.Ok, NativeCalls.Run(session, shared + 10, 784, shared, 10, 1));
                Array.Fill(output, -7f);
            }
            Assert.Equal(Status.InvalidArgument, NativeCalls.ShapeInto(session, null));
            Assert.StartsWith("elr_session_input_shape: shape is NULL", NativeCalls.LastError());
            Assert.Equal(Status.InvalidArgument, NativeCalls.OutputShape(0, out _));
            Assert.StartsWith("elr_session_output_shape: session is NULL", NativeCalls.LastError());
            Assert.Equal(Status.Ok, NativeCalls.Run(session, input, 784, output, 10, 1));
            Assert.Equal("", NativeCalls.LastError());
        }
        finally
        {
            NativeCalls.Close(session);
        }
        NativeCalls.Close(0);
    }

    [Theory]
    [MemberData(nameof(GoldenModels))]
    public void Labels_are_the_models_in_utf8_and_an_index_outside_the_outputs_is_refused(string name)
    {
        Assert.Equal(Status.Ok, NativeCalls.Open(Fixtures.Model(name), 0, out nint session));
        try
        {
            using var model = Runtime.Format.ModelReader.Load(Fixtures.Model(name));
            int classes = model.OutputShape.ElementCount;
            Assert.NotEmpty(model.Metadata.Labels); // tiny-odd's are Greek letters: two UTF-8 bytes each
            for (int i = 0; i < classes; i++)
            {
                Assert.Equal(Status.Ok, NativeCalls.Label(session, i, out string? label));
                Assert.Equal(model.Metadata.Labels[i], label);
            }
            Assert.Equal(Status.InvalidArgument, NativeCalls.Label(session, classes, out string? beyond));
            Assert.Null(beyond);
            Assert.StartsWith($"elr_session_label: index is {classes}, but the model's outputs are classes 0 to {classes - 1}", NativeCalls.LastError());
            Assert.Equal(Status.InvalidArgument, NativeCalls.Label(session, -1, out _));
            Assert.Equal(Status.InvalidArgument, NativeCalls.LabelInto(session, 0, null));
            Assert.StartsWith("elr_session_label: label is NULL", NativeCalls.LastError());
        }
        finally
        {
            NativeCalls.Close(session);
        }
    }

    [Fact]
    public void A_label_with_a_NUL_character_is_refused_rather_than_cut_short()
    {
        using var model = Format.TestModels.Small();
        var labelled = new Model(model.InputShape, model.Layers, new ModelMetadata { Labels = ["a", "b\0c", "c", "d", "e", "f"] });
        Assert.Equal(Status.Ok, NativeCalls.OpenBytes(Runtime.Format.ModelWriter.ToArray(labelled), 0, out nint session));
        try
        {
            Assert.Equal(Status.Ok, NativeCalls.Label(session, 0, out string? first));
            Assert.Equal("a", first);
            Assert.Equal(Status.InvalidModel, NativeCalls.Label(session, 1, out string? cut));
            Assert.Null(cut);
            Assert.Contains("class 1's label holds a NUL character after \"b\"", NativeCalls.LastError());
            Assert.Equal(Status.Ok, NativeCalls.Label(session, 2, out string? third));
            Assert.Equal("c", third);
        }
        finally
        {
            NativeCalls.Close(session);
        }
    }

    [Fact]
    public void A_model_without_labels_gives_null_labels()
    {
        using var model = Execution.TestModels.OddChain();
        Assert.Empty(model.Metadata.Labels);
        Assert.Equal(Status.Ok, NativeCalls.OpenBytes(Runtime.Format.ModelWriter.ToArray(model), 0, out nint session));
        try
        {
            Assert.Equal(Status.Ok, NativeCalls.Label(session, 0, out string? label));
            Assert.Null(label);
        }
        finally
        {
            NativeCalls.Close(session);
        }
    }

    [Fact]
    public void A_closed_session_is_refused_and_closing_it_again_does_nothing()
    {
        Assert.Equal(Status.Ok, NativeCalls.Open(Fixtures.Model("tiny-odd"), 0, out nint closed));
        NativeCalls.Close(closed);
        Assert.Equal(Status.Ok, NativeCalls.Open(Fixtures.Model("tiny-odd"), 0, out nint open));
        try
        {
            Assert.NotEqual(closed, open); // a handle is never reused, so the stale one cannot reach the new session
            NativeCalls.Close(closed);
            Assert.Equal(Status.InvalidArgument, NativeCalls.InputShape(closed, out _));
            Assert.StartsWith($"elr_session_input_shape: session 0x{closed:x} is not open", NativeCalls.LastError());
            Assert.Equal(Status.Ok, NativeCalls.InputShape(open, out _));
        }
        finally
        {
            NativeCalls.Close(open);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(64)]
    public void A_run_through_the_api_allocates_nothing(int batch)
    {
        Assert.Equal(Status.Ok, NativeCalls.Open(Fixtures.Model("lenet300-factorized"), 0, out nint session));
        try
        {
            var input = new float[batch * 784];
            var output = new float[batch * 10];
            Assert.Equal(0, AllocationProbe.RecurringBytes(() => NativeCalls.Run(session, input, input.Length, output, output.Length, batch)));
        }
        finally
        {
            NativeCalls.Close(session);
        }
    }

    [Fact]
    public void Many_open_sessions_keep_their_own_handles()
    {
        // More sessions than the handle table's first 16 slots, so it grows while earlier handles stay valid.
        byte[] model = File.ReadAllBytes(Fixtures.Model("tiny-odd"));
        var handles = new List<nint>();
        for (int i = 0; i < 40; i++)
        {
            Assert.Equal(Status.Ok, NativeCalls.OpenBytes(model, 1, out nint session));
            handles.Add(session);
        }
        Assert.Equal(handles.Count, handles.Distinct().Count());
        Assert.All(handles, h => Assert.Equal(Status.Ok, NativeCalls.InputShape(h, out _)));
        handles.ForEach(NativeCalls.Close);
        Assert.All(handles, h => Assert.Equal(Status.InvalidArgument, NativeCalls.InputShape(h, out _)));
    }

    [Theory]
    [InlineData(0, 1_000, 64)]
    [InlineData(0, 31, 31)]
    [InlineData(31, 31, 31)]
    [InlineData(5, 1_000, 5)]
    public void Max_batch_size_0_is_64_or_the_most_the_model_takes(int requested, int largest, int expected) =>
        Assert.Equal(expected, SessionExports.MaxBatch(requested, largest));

    [Fact]
    public void Max_batch_size_above_the_most_the_model_takes_is_refused() =>
        Assert.StartsWith("options->max_batch_size is 32, but this model runs at most 31 samples per pass",
            Assert.Throws<ApiArgumentException>(() => SessionExports.MaxBatch(32, 31)).Message);

    [Fact]
    public void Each_thread_keeps_its_own_last_error_message()
    {
        Assert.Equal(Status.FileError, NativeCalls.Open("missing.elr", 0, out _));
        Status otherStatus = Status.InternalError;
        string? otherMessage = null;
        var thread = new Thread(() =>
        {
            otherStatus = NativeCalls.Open(Fixtures.Model("tiny-odd"), 0, out nint session);
            otherMessage = NativeCalls.LastError();
            NativeCalls.Close(session);
        });
        thread.Start();
        thread.Join();
        Assert.Equal(Status.Ok, otherStatus);
        Assert.Equal("", otherMessage);
        Assert.StartsWith("elr_session_open: model_path: 'missing.elr' does not exist", NativeCalls.LastError());
    }

    private static int[] Dimensions(NativeShape shape)
    {
        var dims = new int[NativeShape.MaxRank];
        for (int i = 0; i < dims.Length; i++) dims[i] = shape.Dims[i];
        Assert.All(dims[shape.Rank..], d => Assert.Equal(0, d));
        return dims[..shape.Rank];
    }
}
