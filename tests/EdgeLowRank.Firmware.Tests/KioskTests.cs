using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Scoring;
using EdgeLowRank.Samples.DigitKiosk;
using EdgeLowRank.Samples.DigitKiosk.Hardware;
using EdgeLowRank.Samples.DigitKiosk.Imaging;

namespace EdgeLowRank.Firmware.Tests;

public sealed class KioskTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();
    private readonly InferenceSession _session = InferenceSession.Load(Fixtures.Factorized);

    public void Dispose()
    {
        _session.Dispose();
        _folder.Dispose();
    }

    /// <summary>Records what the LEDs were told to show.</summary>
    private sealed class RecordingLeds : ILedBank
    {
        public List<bool[]> Shown { get; } = [];
        public void Show(ReadOnlySpan<bool> states) => Shown.Add(states.ToArray());
        public void Dispose() { }
    }

    private (Kiosk Kiosk, RecordingLeds Leds, StringWriter Log) Build(string presses, int ledCount = 4, Action<TimeSpan>? sleep = null)
    {
        var leds = new RecordingLeds();
        var log = new StringWriter();
        var classifier = new DigitClassifier(_session, invert: false);
        var kiosk = new Kiosk(new SimulatedButton(new StringReader(presses)), leds, new LedPattern(classifier.ClassCount, ledCount), classifier, _folder.Path, log, sleep);
        return (kiosk, leds, log);
    }

    private int ExpectedClass(byte[] pixels)
    {
        var output = new float[10];
        _session.Run(pixels.Select(p => p / 255f).ToArray(), output);
        return TopK.Best(output);
    }

    [Fact]
    public void Each_press_classifies_the_newest_image_and_lights_its_binary_pattern()
    {
        byte[] older = TestImages.Gradient(28, 28), newer = [.. older.Select(p => (byte)(255 - p))];
        File.WriteAllBytes(_folder.File("a-old.pgm"), TestImages.Pgm(28, 28, older));
        File.SetLastWriteTimeUtc(_folder.File("a-old.pgm"), DateTime.UtcNow.AddMinutes(-5));
        File.WriteAllBytes(_folder.File("b-new.png"), TestImages.Png(28, 28, newer));
        var (kiosk, leds, log) = Build("\n\nq\nnever read\n");

        Assert.Equal(2, kiosk.Run(CancellationToken.None));

        int expected = ExpectedClass(newer);
        Assert.Equal(2, leds.Shown.Count);
        Assert.All(leds.Shown, s => Assert.Equal(Enumerable.Range(0, 4).Select(i => ((expected >> (3 - i)) & 1) == 1), s));
        Assert.Contains($"b-new.png -> {expected} (class {expected}", log.ToString());
        Assert.Matches(@"inference \d+\.\d{3} ms", log.ToString());
    }

    [Fact]
    public void A_sideways_camera_jpeg_is_turned_upright_before_classifying_and_the_result_line_says_so()
    {
        // Stored as a camera held with its top to the right writes it: the picture turned 90° counter-clockwise, tag 6.
        byte[] upright = TestImages.Gradient(28, 28);
        var stored = new byte[28 * 28];
        for (int y = 0; y < 28; y++)
        for (int x = 0; x < 28; x++)
            stored[y * 28 + x] = upright[x * 28 + 27 - y];
        File.WriteAllBytes(_folder.File("IMG_0001.JPG"), ExifOrientationTests.JpegWithOrientation(28, 28, stored, 6, bigEndian: true));
        var (kiosk, _, log) = Build("\n");

        Assert.True(kiosk.HandlePress());

        Assert.Contains("IMG_0001.JPG (EXIF orientation 6: turned 90° clockwise) -> ", log.ToString());
        Assert.Contains($"(class {ExpectedClass(upright)},", log.ToString());
    }

    [Fact]
    public void An_empty_folder_shows_the_error_pattern_and_keeps_waiting()
    {
        var (kiosk, leds, log) = Build("\n");
        Assert.Equal(0, kiosk.Run(CancellationToken.None));
        Assert.Equal([true, true, true, true], leds.Shown.Single());
        Assert.Contains("error: no image (*.pgm, *.png, *.jpg, *.jpeg, *.bmp) in", log.ToString());
    }

    [Fact]
    public void A_malformed_newest_image_is_reported_then_the_next_press_works()
    {
        File.WriteAllText(_folder.File("broken.pgm"), "P5\n28 28\n255\n");
        var (kiosk, leds, log) = Build("\n");
        Assert.False(kiosk.HandlePress());
        Assert.Contains("error: broken.pgm: PGM pixel data is truncated", log.ToString());

        File.WriteAllBytes(_folder.File("fixed.pgm"), TestImages.Pgm(28, 28, TestImages.Gradient(28, 28)));
        File.SetLastWriteTimeUtc(_folder.File("fixed.pgm"), DateTime.UtcNow.AddMinutes(1));
        Assert.True(kiosk.HandlePress());
        Assert.Equal(2, leds.Shown.Count);
    }

    [Fact]
    public void A_press_while_the_newest_image_is_still_written_waits_for_it_instead_of_lighting_the_error()
    {
        byte[] pixels = TestImages.Gradient(28, 28), png = TestImages.Png(28, 28, pixels);
        File.WriteAllBytes(_folder.File("cam.png"), png[..100]);
        // The camera script finishes the file while the kiosk sleeps.
        var (kiosk, leds, log) = Build("\n", sleep: _ => File.WriteAllBytes(_folder.File("cam.png"), png));

        Assert.True(kiosk.HandlePress());

        int expected = ExpectedClass(pixels);
        Assert.Equal(Enumerable.Range(0, 4).Select(i => ((expected >> (3 - i)) & 1) == 1), leds.Shown.Single());
        Assert.Matches(@"note: cam\.png ends early \(PNG chunk at byte \d+ claims \d+ data bytes.*\); waiting up to 2\.0 s", log.ToString());
        Assert.Contains($"note: cam.png was written whole after 0.05 s.{Environment.NewLine}cam.png -> {expected} (class {expected}", log.ToString());
    }

    [Fact]
    public void An_image_of_the_wrong_size_is_refused_with_what_to_do()
    {
        File.WriteAllBytes(_folder.File("big.pgm"), TestImages.Pgm(32, 32, new byte[32 * 32]));
        var (kiosk, _, log) = Build("\n");
        Assert.False(kiosk.HandlePress());
        // A trial's 640×480 camera photo got the sizes alone.
        Assert.Contains("error: big.pgm: the image is 32×32; the model takes 28×28: crop and scale it to that size first, or pass --resize", log.ToString());
    }

    [Fact]
    public void With_resize_a_photo_of_a_dark_digit_is_framed_as_MNISTs_and_the_result_line_says_where_the_digit_was()
    {
        // A 120×90 "photo": light paper, a dark bar 6×30 off to the right. Framed: 4×20 in the middle of 28×28, light on black.
        var photo = Enumerable.Repeat((byte)220, 120 * 90).ToArray();
        for (int y = 10; y < 40; y++)
        for (int x = 80; x < 86; x++)
            photo[y * 120 + x] = 30;
        File.WriteAllBytes(_folder.File("photo.pgm"), TestImages.Pgm(120, 90, photo));
        var framed = new byte[28 * 28];
        for (int y = 4; y < 24; y++)
        for (int x = 12; x < 16; x++)
            framed[y * 28 + x] = 255;
        var leds = new RecordingLeds();
        var log = new StringWriter();
        var classifier = new DigitClassifier(_session, invert: true, resize: true);
        var kiosk = new Kiosk(new SimulatedButton(new StringReader("")), leds, new LedPattern(10, 4), classifier, _folder.Path, log);

        Assert.True(kiosk.HandlePress());

        int expected = ExpectedClass(framed);
        Assert.StartsWith($"photo.pgm (digit 6×30 at (80, 10) of 120×90 framed as MNIST's) -> {expected} (class {expected},", log.ToString());
    }

    [Theory]
    [InlineData(true, "after --invert; a digit is at least 0.25 brighter). Is the digit in the frame and lit? If it is light on a dark background, drop --invert.")]
    [InlineData(false, "; a digit is at least 0.25 brighter). Is the digit in the frame and lit? If it is dark on light paper, pass --invert.")]
    public void With_resize_an_image_without_ink_is_an_error_that_says_what_to_check(bool invert, string advice)
    {
        // A blank sheet: light, with a little shading. Without --invert its light is no ink either: only what stands out counts.
        File.WriteAllBytes(_folder.File("blank.pgm"), TestImages.Pgm(40, 30, [.. Enumerable.Range(0, 40 * 30).Select(i => (byte)(200 + i % 40 / 4))]));
        var leds = new RecordingLeds();
        var log = new StringWriter();
        var classifier = new DigitClassifier(_session, invert, resize: true);
        var kiosk = new Kiosk(new SimulatedButton(new StringReader("")), leds, new LedPattern(10, 4), classifier, _folder.Path, log);

        Assert.False(kiosk.HandlePress());

        Assert.StartsWith("error: blank.pgm: no digit found: nothing stands out from the background (median ", log.ToString());
        Assert.Contains(advice, log.ToString());
        Assert.Equal([true, true, true, true], leds.Shown.Single());
    }

    [Fact]
    public void Scaling_by_area_averages_the_pixels_each_output_pixel_covers()
    {
        // 4×2 to 2×1: each output pixel the mean of a 2×2 block. 3×1 to 2×1: each output pixel covers one and a half input
        // pixels, the middle one shared half and half.
        var four = new GrayImage(4, 2, [0f, 0.2f, 0.4f, 0.6f, 1f, 1f, 0f, 0f]);
        Assert.Equal([0.55f, 0.25f], ImageScaling.ToSize(four, 2, 1).Pixels, (a, b) => Math.Abs(a - b) < 1e-6);
        var three = new GrayImage(3, 1, [0f, 0.3f, 0.9f]);
        Assert.Equal([0.1f, 0.7f], ImageScaling.ToSize(three, 2, 1).Pixels, (a, b) => Math.Abs(a - b) < 1e-6);
        // Up: each output pixel inside one input pixel takes its value.
        Assert.Equal([0.25f, 0.25f, 1f, 1f], ImageScaling.ToSize(new GrayImage(2, 1, [0.25f, 1f]), 4, 1).Pixels);
    }

    [Fact]
    public void Scaling_between_any_sizes_reads_no_pixel_outside_the_image()
    {
        // A review: a crop's height rounded to 45.00000000000001 of 45, and the kiosk died reading row −1.
        for (int height = 1; height <= 60; height++)
        foreach ((int w, int h) in new[] { (20, 28), (28, 20), (7, 3), (3, 7) })
        {
            var image = new GrayImage(100, height, [.. Enumerable.Repeat(0.5f, 100 * height)]);
            Assert.All(ImageScaling.ToSize(image, w, h).Pixels, p => Assert.Equal(0.5f, p, 1e-5f));
        }
    }

    [Fact]
    public void A_mostly_light_image_gets_a_hint_to_invert_and_an_inverted_dark_one_the_reverse()
    {
        // A trial's photo of ink on paper was called an 8 (score 0.48) without a word; with --invert, a 2 (0.999).
        File.WriteAllBytes(_folder.File("paper.pgm"), TestImages.Pgm(28, 28, [.. Enumerable.Repeat((byte)230, 28 * 28)]));
        var (kiosk, _, log) = Build("\n");
        Assert.True(kiosk.HandlePress());
        Assert.Contains("note: the model saw a mostly light image: if the digit is dark on light paper, pass --invert", log.ToString());

        Classification dark = new DigitClassifier(_session, invert: true).Classify(new GrayImage(28, 28, new float[28 * 28]));
        Assert.True(dark.MostlyLightInput);
        Classification plain = new DigitClassifier(_session, invert: false).Classify(new GrayImage(28, 28, new float[28 * 28]));
        Assert.False(plain.MostlyLightInput);
    }

    [Fact]
    public void Outputs_that_are_all_NaN_are_no_class_but_an_error()
    {
        // NaN pixels (a model with NaN weights does the same): compared with > alone, the first output, NaN, was shown as 0.
        var image = new GrayImage(28, 28, [.. Enumerable.Repeat(float.NaN, 28 * 28)]);

        var e = Assert.Throws<InvalidDataException>(() => new DigitClassifier(_session, invert: false).Classify(image));

        Assert.StartsWith("every output of the model is NaN, so it gives no class", e.Message);
    }

    [Fact]
    public void Inverting_flips_dark_on_light_images()
    {
        byte[] darkOnLight = TestImages.Gradient(28, 28);
        var image = new GrayImage(28, 28, [.. darkOnLight.Select(p => p / 255f)]);
        Classification inverted = new DigitClassifier(_session, invert: true).Classify(image);
        Assert.Equal(ExpectedClass([.. darkOnLight.Select(p => (byte)(255 - p))]), inverted.ClassIndex);
    }

    [Fact]
    public void Labels_come_from_the_model_and_the_square_vector_input_is_28_by_28()
    {
        var classifier = new DigitClassifier(_session, invert: false);
        Assert.Equal((28, 28, 10), (classifier.ImageWidth, classifier.ImageHeight, classifier.ClassCount));
        Assert.Equal(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"], _session.Model.Metadata.Labels);
    }

    [Fact]
    public async Task A_pipe_in_the_folder_is_an_error_not_a_hang()
    {
        // Reading a pipe blocks until something writes to it: the kiosk waited for ever, and Ctrl+C could not end it.
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [_folder.File("cam.pgm")])) mkfifo.WaitForExit();
        var (kiosk, leds, log) = Build("\nq\n");

        Task<int> run = Task.Run(() => kiosk.Run(CancellationToken.None));

        Assert.True(await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(20))) == run, "the kiosk blocked reading the pipe");
        Assert.Equal(0, await run);
        Assert.Contains("cam.pgm: an empty file, or not a regular file (a pipe or a device)", log.ToString());
        Assert.All(leds.Shown, s => Assert.All(s, on => Assert.True(on))); // the error pattern
    }

    [Fact]
    public void A_folder_that_vanishes_is_an_error_and_the_kiosk_keeps_waiting()
    {
        var (kiosk, _, log) = Build("");
        Directory.Delete(_folder.Path);
        try
        {
            Assert.False(kiosk.HandlePress());
            Assert.Contains($"the image folder {_folder.Path} no longer exists", log.ToString());
        }
        finally
        {
            Directory.CreateDirectory(_folder.Path);
        }
    }

    [Fact]
    public void A_model_whose_input_is_no_image_is_refused_at_start()
    {
        // tiny-odd takes a 1×37 row: accepted as a "1×37 image", every press then failed.
        using var session = InferenceSession.Load(Fixtures.TinyOdd);

        var e = Assert.Throws<InvalidDataException>(() => new DigitClassifier(session, invert: false));

        Assert.Contains("DigitKiosk needs one grayscale image", e.Message);
    }
}
