using EdgeLowRank.Samples.DigitKiosk.Imaging;
using StbImageWriteSharp;

namespace EdgeLowRank.Firmware.Tests;

/// <summary>A press while the camera is still writing the newest file. The sleeps are faked: each one can play the writer,
/// so a test says exactly what the file holds at every look, and none waits for real.</summary>
public sealed class StillWrittenImageWaitTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();
    private readonly StringWriter _log = new();
    private readonly List<TimeSpan> _sleeps = [];

    public void Dispose() => _folder.Dispose();

    private static byte[] Jpeg()
    {
        var file = new MemoryStream();
        new ImageWriter().WriteJpg(TestImages.Gradient(28, 28), 28, 28, ColorComponents.Grey, file, 90);
        return file.ToArray();
    }

    /// <summary>A wait whose every sleep is recorded and then runs <paramref name="writer"/> with the sleep's number (1 on).</summary>
    private StillWrittenImageWait Wait(Action<int> writer) => new(_log, time =>
    {
        _sleeps.Add(time);
        writer(_sleeps.Count);
    });

    [Fact]
    public void A_jpeg_the_camera_finishes_during_the_wait_is_read_and_the_console_says_how_long_it_took()
    {
        byte[] jpeg = Jpeg();
        string path = _folder.File("cam.jpg");
        File.WriteAllBytes(path, jpeg[..(jpeg.Length / 2)]);

        // The camera writes the rest during the third look.
        GrayImage image = Wait(n => { if (n == 3) File.WriteAllBytes(path, jpeg); }).Load(new FileInfo(path));

        Assert.Equal((28, 28), (image.Width, image.Height));
        Assert.Equal(3, _sleeps.Count);
        Assert.All(_sleeps, s => Assert.Equal(StillWrittenImageWait.Poll, s));
        Assert.Equal("note: cam.jpg ends early (JPEG image does not end with its end-of-image marker (FF D9): the file is cut short, or still being written.); "
            + "waiting up to 2.0 s for it to be written whole.\nnote: cam.jpg was written whole after 0.15 s.\n", _log.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void A_jpeg_the_camera_finishes_right_after_the_first_read_is_read_whole_not_refused_as_unchanged()
    {
        // A review: the wait took its first size and time after the failed read, so a file finished in between looked
        // unchanged at every poll and was refused as cut short. The note is written just then; here it plays the camera.
        byte[] jpeg = Jpeg();
        string path = _folder.File("cam.jpg");
        File.WriteAllBytes(path, jpeg[..(jpeg.Length / 2)]);
        var camera = new CameraOnFirstLine(() => File.WriteAllBytes(path, jpeg));

        GrayImage image = new StillWrittenImageWait(camera, _sleeps.Add).Load(new FileInfo(path));

        Assert.Equal((28, 28), (image.Width, image.Height));
        Assert.Single(_sleeps);
    }

    /// <summary>A console whose first line finishes the file being written.</summary>
    private sealed class CameraOnFirstLine(Action finish) : StringWriter
    {
        private Action? _finish = finish;

        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            Interlocked.Exchange(ref _finish, null)?.Invoke();
        }
    }

    [Fact]
    public void A_file_just_created_and_still_empty_is_waited_for_too()
    {
        string path = _folder.File("cam.png");
        File.WriteAllBytes(path, []);

        GrayImage image = Wait(n => File.WriteAllBytes(path, TestImages.Png(2, 2, [0, 85, 170, 255]))).Load(new FileInfo(path));

        Assert.Equal([0f, 1 / 3f, 2 / 3f, 1f], image.Pixels);
        Assert.Single(_sleeps);
    }

    [Fact]
    public void A_file_that_stays_cut_short_is_given_up_once_unchanged_for_the_quiet_time_with_the_readers_message()
    {
        byte[] jpeg = Jpeg();
        string path = _folder.File("cut.jpg");
        File.WriteAllBytes(path, jpeg[..(jpeg.Length / 2)]);

        var e = Assert.Throws<ImageFormatException>(() => Wait(_ => { }).Load(new FileInfo(path)));

        Assert.Equal("JPEG image does not end with its end-of-image marker (FF D9): the file is cut short, or still being written.", e.Message);
        Assert.Equal(StillWrittenImageWait.Quiet / StillWrittenImageWait.Poll, _sleeps.Count);
        Assert.EndsWith("note: cut.jpg stayed cut short, unchanged for 0.5 s; no more waiting.\n", _log.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void A_file_that_keeps_growing_without_ending_is_given_up_after_the_longest_wait()
    {
        byte[] jpeg = Jpeg();
        string path = _folder.File("slow.jpg");
        File.WriteAllBytes(path, jpeg[..20]);

        // One more byte at every look, never the end: a writer that outlasts any button press.
        Assert.Throws<ImageFormatException>(() => Wait(n => File.WriteAllBytes(path, jpeg[..(20 + n)])).Load(new FileInfo(path)));

        Assert.Equal(StillWrittenImageWait.Longest / StillWrittenImageWait.Poll, _sleeps.Count);
        Assert.EndsWith("note: slow.jpg was still being written after 2.0 s; no more waiting.\n", _log.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void A_damaged_file_is_not_waited_for()
    {
        byte[] png = TestImages.Png(4, 4, TestImages.Gradient(4, 4));
        png[20] ^= 1; // a wrong CRC: no writer will mend that
        string path = _folder.File("bad.png");
        File.WriteAllBytes(path, png);

        Assert.Throws<ImageFormatException>(() => Wait(_ => { }).Load(new FileInfo(path)));

        Assert.Empty(_sleeps);
        Assert.Equal("", _log.ToString());
    }
}
