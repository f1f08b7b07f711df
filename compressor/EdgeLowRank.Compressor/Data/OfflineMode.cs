namespace EdgeLowRank.Compressor.Data;

/// <summary>
/// <c>ELR_OFFLINE=1</c>: a data set missing from the cache is an error at once, naming the data set, the cache folder and
/// the command to fetch it elsewhere, instead of a fetch. On a machine without network a fetch fails only after its tools
/// give up (<c>apt-get download</c> took 8.6 s in a user trial), and a pipeline that must not reach the network wants
/// a refusal, not an attempt.
/// </summary>
public static class OfflineMode
{
    /// <summary>The environment variable that forbids fetching.</summary>
    public const string EnvironmentVariable = "ELR_OFFLINE";

    /// <summary>True when $ELR_OFFLINE forbids fetching.</summary>
    /// <exception cref="DatasetException">$ELR_OFFLINE holds neither a yes nor a no (<see cref="Parse"/>).</exception>
    public static bool FromEnvironment() => Parse(Environment.GetEnvironmentVariable(EnvironmentVariable));

    /// <summary>
    /// 1, true or yes (any case) forbid fetching; unset, empty, 0, false or no allow it. Anything else is refused rather
    /// than guessed: "ELR_OFFLINE=on" read as "allowed" would try the network the user meant to forbid.
    /// </summary>
    /// <exception cref="DatasetException">Another value.</exception>
    public static bool Parse(string? value)
    {
        string trimmed = value?.Trim() ?? "";
        if (trimmed is "" || IsAny(trimmed, "0", "false", "no")) return false;
        if (IsAny(trimmed, "1", "true", "yes")) return true;
        throw new DatasetException($"{EnvironmentVariable} is '{value}'; set it to 1 to forbid fetching data sets, or to 0 (or unset it) to allow it.");
    }

    private static bool IsAny(string value, params string[] choices) =>
        choices.Any(c => string.Equals(value, c, StringComparison.OrdinalIgnoreCase));
}
