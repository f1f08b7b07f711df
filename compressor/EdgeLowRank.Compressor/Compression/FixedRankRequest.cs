using EdgeLowRank.Compressor.Models;

namespace EdgeLowRank.Compressor.Compression;

/// <summary>
/// The checks, before any work, of ranks the user fixed (<see cref="LcOptions.FixedRanks"/>, <c>elr compress --ranks</c>)
/// against the network and the other settings: the names and ranks as <c>elr train --ranks</c> checks them, no layer both
/// fixed and kept dense, and λ or a target ratio exactly when some layer's rank is still the C step's to choose.
/// </summary>
internal static class FixedRankRequest
{
    /// <summary>Throws unless <paramref name="options"/>' fixed ranks fit <paramref name="layers"/> and the other settings.</summary>
    /// <exception cref="CompressionException">They do not; the message says what to change.</exception>
    public static void Require(IReadOnlyList<CompressibleLayer> layers, LcOptions options)
    {
        if (options.FixedRanks.Count == 0)
        {
            if (options.TargetRatio is null && options.Lambda is null)
                throw new CompressionException("Give --lambda X (the price of compression) or --target-ratio R (the ratio to reach), or --ranks to fix every layer's rank.");
            return;
        }
        if (FixedRanks.Problem(layers, options.FixedRanks, "this network", "name it in --keep-dense to keep it dense") is string problem)
            throw new CompressionException(problem);
        if (options.KeepDense.FirstOrDefault(options.FixedRanks.ContainsKey) is string both)
            throw new CompressionException($"--ranks gives {both} rank {options.FixedRanks[both]} and --keep-dense keeps it dense; name it in one of the two.");
        // Naming the classifier does not imply --compress-classifier: its default protects the logits, and a run must not
        // record "classifier dense" while factorizing it.
        if (layers.FirstOrDefault(options.HoldsDense) is { } classifier && options.FixedRanks.ContainsKey(classifier.Layer.Name))
            throw new CompressionException($"--ranks names {classifier.Layer.Name}, the classifier, which stays dense unless --compress-classifier: "
                + "below one rank per class its logits lose dimensions. Add --compress-classifier to factorize it, or drop it from --ranks.");
        string[] chosen = layers.Where(l => !options.KeepsDense(l) && options.FixedRankOf(l) is null).Select(l => l.Layer.Name).ToArray();
        if (chosen.Length == 0 && options.TargetRatio is not null)
            throw new CompressionException("--target-ratio is meaningless here: --ranks fixes every layer the C step may factorize, so the ratio follows "
                + "from the ranks; drop --target-ratio.");
        if (chosen.Length == 0 && options.Lambda is not null)
            throw new CompressionException("--lambda is meaningless here: --ranks fixes every layer the C step may factorize, so no rank is left for λ "
                + "to price; drop --lambda.");
        if (chosen.Length > 0 && options.TargetRatio is null && options.Lambda is null)
            throw new CompressionException($"--ranks leaves {string.Join(", ", chosen)} to the C step, which chooses {(chosen.Length == 1 ? "its rank" : "their ranks")} "
                + "by --lambda X or --target-ratio R: give one, or fix those layers in --ranks too (or keep them dense with --keep-dense).");
    }
}
