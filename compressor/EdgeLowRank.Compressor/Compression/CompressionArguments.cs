using EdgeLowRank.Compressor.Factorization;
using EdgeLowRank.Compressor.Latency;
using EdgeLowRank.Compressor.Models;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Compression;

/// <summary>Turns the command-line words of <c>elr compress</c> (method, selection, criterion, λ or ratio, fixed ranks) into <see cref="LcOptions"/>, rejecting bad ones by name.</summary>
public static class CompressionArguments
{
    /// <summary>The options for these words; the numeric settings keep their defaults.</summary>
    /// <exception cref="CompressionException">A word is unknown, the ranks' list is malformed, λ and the target ratio are both given,
    /// or both are missing without <paramref name="ranks"/> (whether the ranks leave a layer to choose needs the network:
    /// <see cref="LearningCompression.CheckRequest"/>).</exception>
    /// <exception cref="LatencyTableException">The latency table cannot be read or used.</exception>
    /// <param name="method">cur or svd (any case).</param>
    /// <param name="selection">The CUR selection: qdeim, deim, leverage or sampling.</param>
    /// <param name="oversampling">CUR oversampling ρ ≥ 1.</param>
    /// <param name="criterion">storage, flops or latency.</param>
    /// <param name="lambda">λ, the price of one unit of cost; null when <paramref name="targetRatio"/> is given.</param>
    /// <param name="targetRatio">The compression ratio to reach; null when <paramref name="lambda"/> is given.</param>
    /// <param name="latencyTable">The board's latency table (JSON from `elr-run profile`), for the latency criterion only.</param>
    /// <param name="ranks">Fixed ranks, "fc1=10,fc2=8" as <c>elr train --ranks</c> takes them; null for none.</param>
    public static LcOptions Parse(string method, string selection, double oversampling, string criterion, double? lambda, double? targetRatio,
        string? latencyTable = null, string? ranks = null)
    {
        FactorizationMethod m = method.ToLowerInvariant() switch
        {
            "cur" => FactorizationMethod.Cur,
            "svd" => FactorizationMethod.Svd,
            _ => throw new CompressionException($"Unknown --method '{method}'; use cur or svd."),
        };
        // A file records the selection by its type's name (compress.selection = topleverage), which a user copies back.
        CurSelection s = selection.ToLowerInvariant() switch
        {
            "qdeim" => CurSelection.QDeim,
            "deim" => CurSelection.Deim,
            "leverage" or "topleverage" => CurSelection.TopLeverage,
            "sampling" or "leveragesampling" => CurSelection.LeverageSampling,
            _ => throw new CompressionException($"Unknown --selection '{selection}'; use qdeim, deim, leverage or sampling."),
        };
        CostCriterion c = criterion.ToLowerInvariant() switch
        {
            "storage" => CostCriterion.Storage,
            "flops" => CostCriterion.Flops,
            "latency" => CostCriterion.Latency,
            _ => throw new CompressionException($"Unknown --criterion '{criterion}'; use storage, flops or latency."),
        };
        if ((c == CostCriterion.Latency) != (latencyTable is not null))
            throw new CompressionException(c == CostCriterion.Latency
                ? "--criterion latency needs --latency-table board.json: measure the board with `elr-run profile --model MODEL.elr -o board.json`, MODEL.elr being the model you compress (the grid alone lacks most networks' convolutions)."
                : "--latency-table is only used with --criterion latency.");
        if (lambda is not null && targetRatio is not null || lambda is null && targetRatio is null && ranks is null)
            throw new CompressionException("Give exactly one of --lambda X (the price of compression) or --target-ratio R (the ratio to reach)"
                + (lambda is null ? ", or --ranks fc1=R1,… to fix every layer's rank." : "."));
        if (lambda is double l && !(l >= 0 && double.IsFinite(l))) throw new CompressionException($"--lambda must be a finite number ≥ 0, not {l}.");
        if (targetRatio is double r && !(r > 1 && double.IsFinite(r))) throw new CompressionException($"--target-ratio must be a finite number above 1, not {r}.");
        return new LcOptions
        {
            Method = m, Cur = new CurOptions(s, oversampling), Criterion = c, Lambda = lambda ?? (targetRatio is null ? null : 0), TargetRatio = targetRatio,
            LatencyModel = latencyTable is null ? null : new LatencyCostModel(LatencyTable.Load(latencyTable)),
            FixedRanks = ranks is null ? new Dictionary<string, int>() : ParseRanks(ranks),
        };
    }

    /// <summary>The list as <c>elr train --ranks</c> reads it, so both commands take the same syntax with the same messages.</summary>
    private static IReadOnlyDictionary<string, int> ParseRanks(string ranks)
    {
        try
        {
            return FixedRanks.Parse(ranks);
        }
        catch (TrainingException e)
        {
            throw new CompressionException(e.Message);
        }
    }

    /// <summary>The --selection word for <paramref name="selection"/>, as the run's first line names it.</summary>
    public static string SelectionName(CurSelection selection) => selection switch
    {
        CurSelection.QDeim => "qdeim",
        CurSelection.Deim => "deim",
        CurSelection.TopLeverage => "leverage",
        CurSelection.LeverageSampling => "sampling",
        _ => throw new ArgumentOutOfRangeException(nameof(selection)),
    };
}
