namespace EdgeLowRank.Compressor.Cli.Display;

/// <summary>Where an <c>elr compress</c> run's λ comes from, which decides how its step table shows it.</summary>
internal enum LambdaSource
{
    /// <summary><c>--lambda</c>: one λ for every step.</summary>
    Given,

    /// <summary><c>--target-ratio</c>: a λ per step, found by the search, which may leave it at its ceiling.</summary>
    Searched,

    /// <summary><c>--ranks</c> fixing every layer: λ prices no layer, and the table has no λ column.</summary>
    None,
}
