// DigitKiosk: press the button, the newest image in the folder is classified, the LEDs show the digit.
using System.Device.Gpio;
using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.IO;
using EdgeLowRank.Samples.Common;
using EdgeLowRank.Samples.DigitKiosk;
using EdgeLowRank.Samples.DigitKiosk.Hardware;

return SampleMain.Run("digit-kiosk", KioskOptions.Usage, args, () =>
{
    KioskOptions options = KioskOptions.Parse(args);
    FilePaths.RequireInput(options.ModelPath, "--model");
    if (File.Exists(options.ImageFolder))
        return SampleMain.Fail("digit-kiosk", ExitCodes.IoError, $"--images {options.ImageFolder} is a file; give the folder the images are saved in.");
    if (!Directory.Exists(options.ImageFolder))
        return SampleMain.Fail("digit-kiosk", ExitCodes.IoError, $"image folder {options.ImageFolder} does not exist; create it and save images there.");

    using InferenceSession session = InferenceSession.Load(options.ModelPath, new SessionOptions { MaxBatchSize = 1 });
    var classifier = new DigitClassifier(session, options.Invert, options.Resize);
    var pattern = new LedPattern(classifier.ClassCount, options.LedPins.Length);

    // A simulated run reads stdin and ends at end of input; on the board, Ctrl+C, SIGTERM (systemctl stop) and SIGHUP end
    // the wait, so the disposals below switch the LEDs off and release the GPIO lines.
    var (button, leds, gpio) = options.Simulate
        ? ((IButton)new SimulatedButton(Console.In), (ILedBank)new ConsoleLedBank(Console.Out, options.LedPins.Length), (GpioController?)null)
        : OpenGpio(options);
    using IDisposable? ownsGpio = gpio;
    using IButton ownsButton = button;
    using ILedBank ownsLeds = leds;
    using StopSignals? stops = gpio is null ? null : new StopSignals();

    Console.WriteLine($"model {Path.GetFileName(options.ModelPath)}: {classifier.ImageWidth}×{classifier.ImageHeight} image, {classifier.ClassCount} classes; " +
        $"LEDs on GPIO {string.Join(',', options.LedPins)} ({pattern.Encoding}); " +
        (gpio is null ? "simulated button: press Enter (q or end of input quits)" : $"button on GPIO {options.ButtonPin}"));
    int classified = new Kiosk(button, leds, pattern, classifier, options.ImageFolder, Console.Out).Run(stops?.Token ?? CancellationToken.None);
    Console.WriteLine($"classified {classified} image(s)");
    return ExitCodes.Ok;
});

// Opens the button and LEDs; any failure becomes one IOException that says what to check.
static (IButton, ILedBank, GpioController?) OpenGpio(KioskOptions options)
{
    GpioController? gpio = null;
    try
    {
        gpio = new GpioController();
        return (new GpioButton(gpio, options.ButtonPin, TimeSpan.FromMilliseconds(options.DebounceMilliseconds)), new GpioLedBank(gpio, options.LedPins), gpio);
    }
    catch (Exception e)
    {
        gpio?.Dispose();
        throw new IOException($"cannot open GPIO {options.ButtonPin} and {string.Join(',', options.LedPins)} ({e.Message}). " +
            "On a board, check that /dev/gpiochip0 exists and that you may use it (group gpio); without a board, use --simulate.", e);
    }
}

