using EdgeLowRank.Samples.Common;

namespace EdgeLowRank.Samples.DigitKiosk;

/// <summary>The kiosk's settings, from the command line.</summary>
internal sealed record KioskOptions(string ModelPath, string ImageFolder, int ButtonPin, int[] LedPins, int DebounceMilliseconds, bool Invert, bool Simulate,
    bool Resize = false)
{
    /// <summary>The usage text printed by --help.</summary>
    public const string Usage = """
        digit-kiosk: a push button classifies the newest image in a folder (of the model's size, 28×28 for MNIST's); LEDs show the result.

        usage: digit-kiosk --model <file.elr> --images <folder> [options]

          --model <file>       the .elr model (one grayscale image in, one output per class)
          --images <folder>    the folder watched for .pgm, .png, .jpg, .jpeg and .bmp images; the newest is classified
          --button-pin <n>     BCM GPIO 0–27 of the button (to ground, internal pull-up) default 17
          --led-pins <a,b,..>  BCM GPIOs 0–27 of the LEDs, first = most significant bit  default 5,6,13,19
          --debounce-ms <n>    a press must hold this long to count                       default 30
          --invert             images are dark digits on a light background
          --resize             find the digit in an image of any size and frame it as MNIST's (20×20 box, centred by mass)
          --simulate           no board: each line on stdin is a press, LEDs are printed
          -h, --help           this text

        exit codes: 0 ok, 1 bad option, 2 unusable model, 3 missing file/folder or GPIO error
        """;

    private static readonly string[] ValueOptions = ["--model", "--images", "--button-pin", "--led-pins", "--debounce-ms"];
    private static readonly string[] Flags = ["--invert", "--simulate", "--resize"];
    private static readonly string[] ButtonOptions = ["--button-pin", "--debounce-ms"];

    /// <summary>Reads the options.</summary>
    /// <exception cref="UsageException">An option is unknown, missing or out of range.</exception>
    public static KioskOptions Parse(string[] args)
    {
        CommandLine line = CommandLine.Parse(args, ValueOptions, Flags);
        // BCM 0–27 are the GPIOs of the 40-pin header on every Raspberry Pi; a higher number is no pin a button or LED can be wired to.
        int[] leds = line.IntegerList("--led-pins", [5, 6, 13, 19], 0, 27);
        int button = line.Integer("--button-pin", 17, 0, 27);
        if (leds.Contains(button)) throw new UsageException($"GPIO {button} is both the button and an LED.");
        // The simulation reads presses from stdin: there is no button to wire or to debounce.
        foreach (string buttonOption in ButtonOptions)
            if (line.Has("--simulate") && line.Optional(buttonOption) is not null)
                throw new UsageException($"{buttonOption} is only used with a real button, and --simulate reads presses from stdin; drop {buttonOption} or --simulate.");
        return new KioskOptions(line.Required("--model"), line.Required("--images"), button, leds,
            line.Integer("--debounce-ms", 30, 0, 1000), line.Has("--invert"), line.Has("--simulate"), line.Has("--resize"));
    }
}
