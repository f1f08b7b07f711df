using System.Globalization;
using EdgeLowRank.Samples.DigitKiosk.Hardware;
using EdgeLowRank.Samples.DigitKiosk.Imaging;

namespace EdgeLowRank.Samples.DigitKiosk;

/// <summary>
/// The kiosk's loop: each button press classifies the newest image in the folder and shows the result on
/// the console and the LEDs. A missing, unreadable or wrongly sized image is reported and shown as the
/// error pattern, and the kiosk keeps waiting: one bad file must not take the kiosk down. A newest image still being written
/// is waited for, briefly (<see cref="StillWrittenImageWait"/>).
/// </summary>
/// <param name="button">Gives the presses.</param>
/// <param name="leds">Shows each result or the error pattern.</param>
/// <param name="pattern">The LED pattern of each class.</param>
/// <param name="classifier">The model.</param>
/// <param name="folder">The folder whose newest image each press classifies.</param>
/// <param name="log">The console: results, notes and errors.</param>
/// <param name="sleep">How a wait for a file still being written sleeps: <see cref="Thread.Sleep(TimeSpan)"/> unless a test
/// fakes it.</param>
internal sealed class Kiosk(IButton button, ILedBank leds, LedPattern pattern, DigitClassifier classifier, string folder, TextWriter log,
    Action<TimeSpan>? sleep = null)
{
    private readonly StillWrittenImageWait _images = new(log, sleep ?? Thread.Sleep);

    /// <summary>Serves presses until the button reports no more; returns how many images were classified.</summary>
    public int Run(CancellationToken cancellation)
    {
        int classified = 0;
        while (button.WaitForPress(cancellation))
        {
            if (HandlePress()) classified++;
        }
        return classified;
    }

    /// <summary>Classifies the newest image once; false when there was nothing (valid) to classify.</summary>
    public bool HandlePress()
    {
        FileInfo? newest;
        try
        {
            newest = ImageLoader.FindNewest(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Said here: the framework's own message is a bare resource key in the published (NativeAOT) build.
            Fail(Directory.Exists(folder) ? $"the image folder {folder} cannot be read" : $"the image folder {folder} no longer exists");
            return false;
        }
        if (newest is null)
        {
            Fail($"no image ({string.Join(", ", ImageLoader.Patterns)}) in {folder}");
            return false;
        }
        try
        {
            GrayImage image = _images.Load(newest);
            Classification result = classifier.Classify(image);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{newest.Name}{WhatWasDone(image, result)} -> {result.Label} (class {result.ClassIndex}, score {result.Score:G4}), inference {result.InferenceTime.TotalMilliseconds:F3} ms"));
            if (result.MostlyLightInput)
                log.WriteLine(classifier.Inverts
                    ? "note: the model saw a mostly light image after --invert: if the digit is light on a dark background, drop --invert."
                    : "note: the model saw a mostly light image: if the digit is dark on light paper, pass --invert (the model expects MNIST's light digit on black).");
            leds.Show(pattern.For(result.ClassIndex));
            return true;
        }
        catch (Exception e) when (e is ImageFormatException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            Fail($"{newest.Name}: {e.Message}");
            return false;
        }
    }

    /// <summary>" (EXIF orientation 6: turned 90° clockwise; digit 150×210 at (160, 300) of 480×640 framed as MNIST's)", or ""
    /// when the image was used as stored.</summary>
    private static string WhatWasDone(GrayImage image, Classification result)
    {
        var done = new List<string>();
        if (image.TurnedBy != ExifOrientation.TopLeft) done.Add(ImageOrientation.Describe(image.TurnedBy));
        if (result.FramedInk is { } ink) done.Add($"digit {ink.Width}×{ink.Height} at ({ink.Left}, {ink.Top}) of {image.Width}×{image.Height} framed as MNIST's");
        return done.Count == 0 ? "" : $" ({string.Join("; ", done)})";
    }

    private void Fail(string message)
    {
        log.WriteLine($"error: {message}");
        leds.Show(pattern.Error());
    }
}
