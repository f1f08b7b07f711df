using EdgeLowRank.Runtime.IO;
using EdgeLowRank.Runtime.Tests.Format;

namespace EdgeLowRank.Runtime.Tests.IO;

/// <summary>The checks the tools make on their paths before any work: each failure names the option and the problem.</summary>
public sealed class FilePathsTests : TempFolderTest
{
    [Fact]
    public void An_output_reached_through_a_link_is_still_the_input()
    {
        string model = Path.Combine(Folder, "model.elr");
        File.WriteAllBytes(model, [1]);
        string link = Path.Combine(Folder, "link.elr");
        File.CreateSymbolicLink(link, model);

        var e = Assert.Throws<FilePathException>(() => FilePaths.RequireDistinctOutputs([("MODEL", model)], [("-o", link)]));
        Assert.Contains("is the same file as MODEL", e.Message);
        FilePaths.RequireDistinctOutputs([("MODEL", model), ("--log", null)], [("-o", Path.Combine(Folder, "other.elr"))]);
    }

    [Fact]
    public void Two_outputs_cannot_share_a_file()
    {
        string path = Path.Combine(Folder, "out.elr");
        var e = Assert.Throws<FilePathException>(() => FilePaths.RequireDistinctOutputs([], [("-o", path), ("--log", Path.Combine(Folder, ".", "out.elr"))]));
        Assert.Contains("--log", e.Message);
    }

    [Fact]
    public void An_output_check_names_the_problem_and_leaves_no_probe_behind()
    {
        FilePaths.RequireOutput(Path.Combine(Folder, "new.elr"), "-o");
        Assert.Empty(Directory.EnumerateFileSystemEntries(Folder));

        Assert.Contains("is a folder", Assert.Throws<FilePathException>(() => FilePaths.RequireOutput(Folder, "-o")).Message);
        Assert.Contains("does not exist", Assert.Throws<FilePathException>(() => FilePaths.RequireOutput(Path.Combine(Folder, "no", "x"), "-o")).Message);
        string file = Path.Combine(Folder, "file");
        File.WriteAllBytes(file, [1]);
        Assert.Contains("is a file, not a folder", Assert.Throws<FilePathException>(() => FilePaths.RequireOutput(Path.Combine(file, "x"), "-o")).Message);
        Assert.Contains("the path is empty", Assert.Throws<FilePathException>(() => FilePaths.RequireOutput("", "-o")).Message);
    }

    [Fact]
    public void An_input_must_be_a_file_with_content()
    {
        string empty = Path.Combine(Folder, "empty.f32");
        File.WriteAllBytes(empty, []);
        Assert.Contains("is empty (0 bytes)", Assert.Throws<FilePathException>(() => FilePaths.RequireInput(empty, "--input")).Message);
        Assert.Contains("is a folder", Assert.Throws<FilePathException>(() => FilePaths.RequireInput(Folder, "MODEL")).Message);
        Assert.Contains("does not exist; train one", Assert.Throws<FilePathException>(() => FilePaths.RequireInput(Path.Combine(Folder, "x.elr"), "MODEL", "train one")).Message);
    }

    [Fact]
    public void An_atomic_write_into_a_missing_folder_names_the_target_not_its_temporary_file()
    {
        string target = Path.Combine(Folder, "missing", "out.json");

        var e = Assert.Throws<FilePathException>(() => AtomicFile.Write(target, [1, 2]));

        Assert.Contains($"Cannot write '{target}'", e.Message);
        Assert.DoesNotContain(".tmp", e.Message);
    }

    [Fact]
    public void A_folder_to_write_in_may_be_new_but_not_a_file_nor_under_one()
    {
        Assert.Equal(Path.Combine(Folder, "new"), FilePaths.RequireFolder(Path.Combine(Folder, "new"), "--checkpoint"));
        Assert.False(Directory.Exists(Path.Combine(Folder, "new"))); // checking creates nothing
        string file = Path.Combine(Folder, "file");
        File.WriteAllBytes(file, [1]);
        Assert.Contains("is a file; give a folder", Assert.Throws<FilePathException>(() => FilePaths.RequireFolder(file, "--checkpoint")).Message);
        Assert.Contains("is a file, not a folder", Assert.Throws<FilePathException>(() => FilePaths.RequireFolder(Path.Combine(file, "ck"), "--checkpoint")).Message);
    }

    [Fact]
    public void An_input_behind_a_link_is_the_file_it_points_to()
    {
        string model = Path.Combine(Folder, "model.elr");
        File.WriteAllBytes(model, new byte[100]);
        string link = Path.Combine(Folder, "link.elr"), dangling = Path.Combine(Folder, "dangling.elr");
        File.CreateSymbolicLink(link, model);
        File.CreateSymbolicLink(dangling, Path.Combine(Folder, "gone.elr"));

        Assert.Equal(100, new FileInfo(FilePaths.RequireInput(link, "MODEL")).Length); // the model's size, not the link's
        Assert.Contains("does not exist", Assert.Throws<FilePathException>(() => FilePaths.RequireInput(dangling, "MODEL")).Message);
    }

    [Fact]
    public void A_link_to_a_folder_makes_two_names_of_one_file()
    {
        // link/in.f32 passed as -o replaced real/in.f32: only the last part of a path was followed.
        string real = Directory.CreateDirectory(Path.Combine(Folder, "real")).FullName;
        File.WriteAllBytes(Path.Combine(real, "in.f32"), [1, 2, 3, 4]);
        string link = Path.Combine(Folder, "link");
        Directory.CreateSymbolicLink(link, real);

        var e = Assert.Throws<FilePathException>(() =>
            FilePaths.RequireDistinctOutputs([("--input", Path.Combine(real, "in.f32"))], [("--output", Path.Combine(link, "in.f32"))]));
        Assert.Contains("is the same file as --input", e.Message);
    }

    [Fact]
    public void An_output_that_is_a_pipe_or_a_device_or_too_long_a_name_is_refused()
    {
        string pipe = Path.Combine(Folder, "out.f32");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [pipe])) mkfifo.WaitForExit();

        Assert.Contains("is a pipe or a device", Assert.Throws<FilePathException>(() => FilePaths.RequireOutput(pipe, "--output")).Message);
        Assert.Contains("is a pipe or a device", Assert.Throws<FilePathException>(() => FilePaths.RequireOutput("/dev/null", "--output")).Message);
        // A link into /proc, whatever stdout is at the time: the rename replaced the system's link with a plain file.
        Assert.Contains("is a pipe or a device", Assert.Throws<FilePathException>(() => FilePaths.RequireOutput("/dev/stdout", "--output")).Message);
        string loop = Path.Combine(Folder, "loop");
        File.CreateSymbolicLink(loop, loop);
        Assert.Contains("cannot be followed (a loop?)", Assert.Throws<FilePathException>(() => FilePaths.RequireOutput(loop, "--output")).Message);
        Assert.Contains("longer than 255 bytes", Assert.Throws<FilePathException>(() => FilePaths.RequireOutput(Path.Combine(Folder, new string('x', 256)), "-o")).Message);
        FilePaths.RequireOutput(Path.Combine(Folder, new string('x', 250)), "-o"); // near the limit, and the temporary name still fits
        AtomicFile.Write(Path.Combine(Folder, new string('x', 250)), [1]);
    }

    [Fact]
    public void An_output_through_a_link_is_checked_where_it_will_be_written()
    {
        // The link's own folder was checked, the target's written in: a link into a missing folder failed after the run.
        string link = Path.Combine(Folder, "out.f32");
        File.CreateSymbolicLink(link, Path.Combine(Folder, "gone", "out.f32"));
        Assert.Contains("cannot write", Assert.Throws<FilePathException>(() => FilePaths.RequireOutput(link, "-o")).Message);

        // /dev/shm is a RAM disk, not the kernel's: an output there is a file like any other.
        if (Directory.Exists("/dev/shm")) FilePaths.RequireOutput($"/dev/shm/elr-{Guid.NewGuid():N}.f32", "-o");
    }

    [Fact]
    public void An_existing_output_that_may_not_be_written_is_refused_before_the_run()
    {
        // An immutable file (or another user's in /tmp) was found out only at the rename, after the whole run.
        string file = Path.Combine(Folder, "heat.csv");
        File.WriteAllBytes(file, [1, 2]);
        Assert.Equal(0, Run("chattr", "+i", file));   // root may write any file but an immutable one; the tests run as root in CI
        try
        {
            Assert.Contains("exists and may not be written", Assert.Throws<FilePathException>(() => FilePaths.RequireOutput(file, "--csv")).Message);
            Assert.Equal([1, 2], File.ReadAllBytes(file));
        }
        finally
        {
            Run("chattr", "-i", file);
        }
        FilePaths.RequireOutput(file, "--csv");
    }

    private static int Run(string tool, params string[] args)
    {
        using var process = System.Diagnostics.Process.Start(tool, args);
        process.WaitForExit();
        return process.ExitCode;
    }

    [Fact]
    public void A_file_named_with_a_trailing_slash_is_told_to_drop_it()
    {
        // Reading "file/" failed with the framework's resource key ("IO_PathNotFound_Path") in NativeAOT builds.
        string file = Path.Combine(Folder, "in.f32");
        File.WriteAllBytes(file, [1, 2, 3, 4]);

        var e = Assert.Throws<FilePathException>(() => FilePaths.RequireInput(file + "/", "--input"));

        Assert.Contains("ends with '/', which names a folder, but it is a file; drop the '/'", e.Message);
    }

    [Fact]
    public void A_dash_is_no_output_but_a_file_named_dash_is()
    {
        // "-o -" wrote a model into a file named '-' in the working folder, with exit code 0.
        foreach (string role in new[] { "-o", "--log", "--output" })
        {
            var e = Assert.Throws<FilePathException>(() => FilePaths.RequireOutput("-", role));
            Assert.Equal($"{role}: '-' would mean standard output, which is not supported: give the path of a file; for one literally named '-', use ./-.", e.Message);
        }
        Assert.Contains("give the path of a folder", Assert.Throws<FilePathException>(() => FilePaths.RequireFolder("-", "--checkpoint")).Message);
        // The way out the message offers: a path that names the file, not the stream.
        string dash = Path.Combine(Folder, "-");
        Assert.Equal(dash, FilePaths.RequireOutput(dash, "-o"));
        Assert.Equal(dash, FilePaths.RequireFolder(dash, "--checkpoint"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Folder));
    }

    [Fact]
    public void A_folder_to_write_in_may_need_missing_parents()
    {
        string deep = Path.Combine(Folder, "runs", "a", "ck");
        Assert.Equal(deep, FilePaths.RequireFolder(deep, "--checkpoint"));
        Assert.False(Directory.Exists(Path.Combine(Folder, "runs")));
    }
}
