using System.Globalization;

namespace EdgeLowRank.Samples.DigitKiosk.Imaging;

/// <summary>
/// Loads the newest image, waiting briefly when it looks still being written. A press can come while a camera script or
/// <c>scp</c> is writing the file (a JPEG without its end marker yet, or a file just created and empty); moments later it is
/// whole. So a file that ends early (<see cref="ImageFormatException.MayBeStillWritten"/>) is looked at every
/// <see cref="Poll"/> and read again each time its size or write time changed, until it reads whole, or it has not changed for
/// <see cref="Quiet"/> (nobody is writing it: it stays cut short), or <see cref="Longest"/> has been waited in all. The press's
/// answer is late by at most that, and the console says what happened.
/// </summary>
/// <param name="log">Where the waits are told.</param>
/// <param name="sleep">Waits the given time: <see cref="Thread.Sleep(TimeSpan)"/> on the kiosk, a fake in the tests.</param>
internal sealed class StillWrittenImageWait(TextWriter log, Action<TimeSpan> sleep)
{
    /// <summary>How often the file is looked at while waiting.</summary>
    public static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    /// <summary>How long a cut file may stay unchanged before it is taken as cut for good: a writer that pauses longer
    /// than this is not a camera saving one photo.</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest wait for one press, however the file keeps changing (the button must answer).</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromSeconds(2);

    /// <summary>Loads <paramref name="file"/> as <see cref="ImageLoader.Load"/> does, waiting while it is still being written.</summary>
    /// <exception cref="ImageFormatException">The file is malformed, or still cut short after the wait (the last reason).</exception>
    /// <exception cref="IOException">The file is gone or too large.</exception>
    public GrayImage Load(FileInfo file)
    {
        // Taken before the read: a camera that finishes between the read and a later stamp would leave every stamp equal to
        // the last, and a whole file refused as cut short (a review's finding).
        (long, DateTime) before = Stamp(file);
        try
        {
            return ImageLoader.Load(file.FullName);
        }
        catch (ImageFormatException first) when (first.MayBeStillWritten)
        {
            log.WriteLine($"note: {file.Name} ends early ({first.Message}); waiting up to {Seconds(Longest)} s for it to be written whole.");
            return Wait(file, first, before);
        }
    }

    /// <summary>Polls <paramref name="file"/>, read whole or cut short as of <paramref name="last"/>, until it reads whole or
    /// the wait ends.</summary>
    private GrayImage Wait(FileInfo file, ImageFormatException cut, (long, DateTime) last)
    {
        TimeSpan waited = TimeSpan.Zero, unchanged = TimeSpan.Zero;
        while (waited < Longest && unchanged < Quiet)
        {
            sleep(Poll);
            waited += Poll;
            (long, DateTime) now = Stamp(file);
            if (now == last)
            {
                unchanged += Poll;
                continue;
            }
            (last, unchanged) = (now, TimeSpan.Zero);
            try
            {
                GrayImage image = ImageLoader.Load(file.FullName);
                log.WriteLine($"note: {file.Name} was written whole after {Seconds(waited)} s.");
                return image;
            }
            catch (ImageFormatException again) when (again.MayBeStillWritten)
            {
                cut = again;
            }
        }
        log.WriteLine(unchanged >= Quiet
            ? $"note: {file.Name} stayed cut short, unchanged for {Seconds(unchanged)} s; no more waiting."
            : $"note: {file.Name} was still being written after {Seconds(waited)} s; no more waiting.");
        throw cut;
    }

    /// <summary>The file's size and write time, re-read from disk; (−1, default) when it is gone, which is a change too.</summary>
    private static (long, DateTime) Stamp(FileInfo file)
    {
        // The link's target, as ImageLoader reads it: a link's own size is that of the name it holds, and never grows.
        var target = new FileInfo(EdgeLowRank.Runtime.IO.FilePaths.Resolve(file.FullName) ?? file.FullName);
        return target.Exists ? (target.Length, target.LastWriteTimeUtc) : (-1, default);
    }

    private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.0#", CultureInfo.InvariantCulture);
}
