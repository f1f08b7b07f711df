using System.Diagnostics;
using System.Text;

namespace EdgeLowRank.EndToEnd.Tests;

/// <summary>libelr's Python example (runtime/EdgeLowRank.Runtime.Native/examples/classify.py) reads .npy headers itself: one
/// that is no dict of a 'descr' string and a 'shape' tuple gets its one-line refusal, where a list or a string as the shape
/// printed a Python traceback (TypeError, AttributeError).</summary>
public class ClassifyPyNpyTests : TempFiles
{
    private static readonly string Examples = Path.Combine(Tool.RepositoryRoot, "runtime", "EdgeLowRank.Runtime.Native", "examples");

    /// <summary>A version 1.0 .npy file with <paramref name="dictionary"/> as its header and four bytes of data.</summary>
    private string Npy(string name, string dictionary)
    {
        string header = dictionary.PadRight((10 + dictionary.Length + 1 + 63) / 64 * 64 - 10 - 1) + "\n";
        return Write(name, [0x93, .. "NUMPY"u8, 1, 0, (byte)header.Length, (byte)(header.Length >> 8), .. Encoding.Latin1.GetBytes(header), 0, 0, 0, 0]);
    }

    /// <summary>classify.py's <paramref name="function"/> called on <paramref name="path"/> (and <paramref name="more"/>
    /// arguments), without a library or a model: the exit code and standard error.</summary>
    private static (int ExitCode, string Error) Call(string function, string path, string more = "")
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string arg in new[] { "-c", $"import sys; sys.path.insert(0, sys.argv[1]); import classify; classify.{function}(sys.argv[2]{more})", Examples, path })
            start.ArgumentList.Add(arg);
        using Process python = Process.Start(start)!;
        string error = python.StandardError.ReadToEnd();
        python.WaitForExit();
        return (python.ExitCode, error);
    }

    [Theory]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': [1], }", "read_input")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': '1', }", "read_input")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }", "read_input")]
    [InlineData("['descr', '<f4']", "read_input")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (1,) ", "read_input")]
    [InlineData("{'descr': '<i8', 'fortran_order': False, 'shape': 'ab', }", "read_labels")]
    [InlineData("{'descr': '<i8', 'fortran_order': False, 'shape': [1], }", "read_labels")]
    public void A_header_that_is_not_numpys_is_refused_in_one_line(string dictionary, string function)
    {
        string path = Npy("broken.npy", dictionary);

        (int exitCode, string error) = Call(function, path, function == "read_labels" ? ", 1, 10" : "");

        Assert.Equal(1, exitCode);
        Assert.Equal($"{path} is not a usable .npy file: its header is not a dict with a 'descr' string and a 'shape' tuple of whole numbers; "
            + "write it with np.save\n", error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void A_models_label_is_printed_with_its_control_characters_as_escapes()
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true };
        foreach (string arg in new[] { "-c", "import sys; sys.path.insert(0, sys.argv[1]); import classify; print(classify.printable(sys.argv[2]))",
                     Examples, "zero\u001b]0;PWNED\u0007\u001b[2J" })
            start.ArgumentList.Add(arg);
        using Process python = Process.Start(start)!;
        string output = python.StandardOutput.ReadToEnd();
        python.WaitForExit();

        Assert.Equal((0, "zero\\x1B]0;PWNED\\x07\\x1B[2J\n"), (python.ExitCode, output.ReplaceLineEndings("\n")));
    }

    [Fact]
    public void A_file_cut_inside_its_preamble_is_refused_in_one_line()
    {
        string path = Write("cut.npy", [0x93, .. "NUMPY"u8, 1]);

        (int exitCode, string error) = Call("read_input", path);

        Assert.Equal(1, exitCode);
        Assert.Equal($"{path} is not a usable .npy file: it was cut short (7 bytes, where its header ends at byte 10)\n", error.ReplaceLineEndings("\n"));
    }
}
