using System.CommandLine;
using EdgeLowRank.Compressor.Cli.Display;
using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Runtime.IO;

namespace EdgeLowRank.Compressor.Cli.Commands;

/// <summary>
/// <c>elr data export NAME -o DIR [--part test|train]</c>: a catalog data set's images and labels as NumPy arrays, to check a
/// model's accuracy where elr is not (a board: <c>elr-run run MODEL --input DIR/test-images.npy --labels DIR/test-labels.npy</c>)
/// or to read them in Python. The images are uint8 in the data set's own scale (0–255, the UCI digits 0–16), which elr-run
/// divides by the scale the model records, so the board sees the pixels training saw.
/// </summary>
internal static class DataExportCommand
{
    /// <summary>The <c>export</c> subcommand of <c>elr data</c>.</summary>
    public static Command Create(Argument<string> name)
    {
        var output = new Option<DirectoryInfo>("--output", "-o") { Description = "The folder to write PART-images.npy, PART-labels.npy and classes.txt into (made if missing; its parent must exist).", Required = true };
        var part = new Option<string>("--part") { Description = "Which part: test (default) or train.", DefaultValueFactory = _ => "test" };
        part.AcceptOnlyFromAmong("test", "train");
        var export = new Command("export", "Write a data set's images (uint8, in its own pixel scale) and labels as .npy files, for elr-run run --labels or Python.") { name, output, part };
        export.SetAction((parse, cancellationToken) => Task.Run(() =>
            Export(DatasetCatalog.Get(parse.GetRequiredValue(name)), parse.GetRequiredValue(output), parse.GetRequiredValue(part), cancellationToken),
            CancellationToken.None));
        return export;
    }

    private static int Export(DatasetInfo info, DirectoryInfo folder, string part, CancellationToken cancellationToken)
    {
        // '-' names standard output elsewhere; here it would make a folder named '-'.
        if (folder.ToString() == "-")
            throw new FilePathException($"-o -: elr data export writes three files ({part}-images.npy, {part}-labels.npy, classes.txt) into a folder, not to standard output; give a folder (./- for one named '-').");
        string images = Path.Combine(folder.FullName, $"{part}-images.npy"), labels = Path.Combine(folder.FullName, $"{part}-labels.npy"),
            classes = Path.Combine(folder.FullName, "classes.txt");
        if (File.Exists(folder.FullName))
            throw new FilePathException($"-o: '{folder}' is {(FilePaths.IsSpecialFile(folder.FullName) ? "a pipe, socket or device" : "a file")}; "
                + $"give a folder to write {part}-images.npy, {part}-labels.npy and classes.txt into.");
        // The cache holds the fetched, checksummed files; arrays written among them would be taken for part of it. Compared
        // by real paths, links followed: a link to the cache (or to a file in it) is written through, into the cache.
        string target = Path.TrimEndingDirectorySeparator(folder.FullName);
        string cache = RealPath(DataCache.FromEnvironment().Root);
        if (RealPath(target) is var realFolder && IsInside(realFolder, cache))
            throw new FilePathException($"-o: '{folder}' is inside elr's data cache {cache}" + (realFolder == target ? "" : $" (it leads to {realFolder})") + "; give a folder outside it.");
        // A new folder is made once the data is loaded, so a failed load leaves none behind; its parent must exist.
        bool folderExists = Directory.Exists(folder.FullName);
        if (folderExists)
            foreach ((string role, string path) in new[] { ("images", images), ("labels", labels), ("classes", classes) })
            {
                FilePaths.RequireOutput(path, $"-o ({role})");
                if (RealPath(path) is var realFile && IsInside(realFile, cache))
                    throw new FilePathException($"-o ({role}): '{path}' is a symbolic link to {realFile}, in elr's data cache {cache}, whose file the export would replace; "
                        + "remove the link or give another folder.");
            }
        else
        {
            // A folder it makes, so checked as one (as a file, /proc/x was "not a file"); only the last level is made.
            // From the path without its trailing separator: of "new/" the parent would be "new" itself.
            string parent = Path.GetDirectoryName(target)!;
            if (!Directory.Exists(parent)) throw new FilePathException($"-o: the folder '{parent}' does not exist; create it or choose another path.");
            FilePaths.RequireFolder(folder.FullName, "-o");
        }
        Dataset data = part == "test" ? FetchProgressDisplay.LoadTest(info, cancellationToken).Test : FetchProgressDisplay.Load(info, cancellationToken).Train;
        // Catalog pixels are integers scaled to 0–1; the scale turns them back without loss.
        int scale = info.IntegerPixelMax ?? throw new InvalidOperationException($"{info.Name} has no integer pixel scale.");
        byte[] imageFile = IntegerImages(data, scale);
        // The last point where Ctrl+C leaves the folder as it was. The writes that follow take a fraction of a second (47 MB
        // for MNIST's training images) and are not interrupted; they replace all three files or none (a full device at the
        // labels left the images of one export beside the labels of another), and a folder made for them that ends up
        // empty is removed (a trial's export to a full disk left an empty folder behind).
        cancellationToken.ThrowIfCancellationRequested();
        Directory.CreateDirectory(folder.FullName);
        byte[] labelFile = [.. NpyHeader.Write(NpyDataType.UInt8, [data.Count]), .. data.Labels.Span];
        byte[] classFile = System.Text.Encoding.UTF8.GetBytes(string.Join('\n', data.ClassNames) + "\n");
        try
        {
            AtomicFile.WriteAll([(images, s => s.Write(imageFile)), (labels, s => s.Write(labelFile)), (classes, s => s.Write(classFile))]);
        }
        catch when (!folderExists)
        {
            try
            {
                Directory.Delete(folder.FullName);
            }
            catch (IOException)
            {
                // Something else was put there meanwhile: the folder stays, and the write's own error is the one to tell.
            }
            throw;
        }
        Console.WriteLine($"wrote {data.Count:N0} {info.Name} {part} images ({data.SampleShape}, uint8 pixels 0–{scale}) to {images}, their labels to {labels}, "
            + $"and the {data.ClassCount} class names to {classes}");
        // A folder of uint8 arrays is read as 0–255 images by --dataset: these would be near-black to elr.
        if (scale != byte.MaxValue)
            Console.Error.WriteLine($"elr: note: the pixels are the {info.Name} data set's own 0–{scale}, for elr-run, which divides them by the {scale} the model records; "
                + $"--dataset FOLDER reads uint8 images as 0–255, so to train on them save them as float32 divided by {scale}.");
        return 0;
    }

    /// <summary>The full path with every symbolic link on it followed (as far as it exists), without a trailing separator; for
    /// a link loop, the path itself (nothing can be written through one, and the write says so).</summary>
    private static string RealPath(string path) => Path.TrimEndingDirectorySeparator(FilePaths.Resolve(path) ?? Path.GetFullPath(path));

    private static bool IsInside(string path, string folder) =>
        path == folder || path.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static byte[] IntegerImages(Dataset data, int scale)
    {
        SampleShape shape = data.SampleShape;
        byte[] header = NpyHeader.Write(NpyDataType.UInt8, [data.Count, shape.Height, shape.Width, shape.Channels]);
        ReadOnlySpan<float> pixels = data.Pixels.Span;
        var bytes = new byte[header.Length + pixels.Length];
        header.CopyTo(bytes, 0);
        for (int i = 0; i < pixels.Length; i++) bytes[header.Length + i] = (byte)MathF.Round(pixels[i] * scale);
        return bytes;
    }
}
