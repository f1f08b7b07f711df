namespace EdgeLowRank.Compressor.Compression;

/// <summary>What one LC step (or the direct compression, step −1) ended with.</summary>
/// <param name="Step">k, from 0; −1 for the direct compression before the first L step.</param>
/// <param name="Mu">μ_k.</param>
/// <param name="Lambda">The λ of the C step (differs per step only with a target ratio).</param>
/// <param name="LearningRate">The L step's rate (0 for the direct compression).</param>
/// <param name="Loss">The L step's mean data loss (without the penalty; NaN for the direct compression).</param>
/// <param name="TestError">Test error of the network with Θ in place of W.</param>
/// <param name="Ranks">Per layer the chosen rank, or −1 where the layer stays dense.</param>
/// <param name="StorageRatio">Dense weight numbers / stored weight numbers at these ranks.</param>
/// <param name="FlopsRatio">Dense multiply–adds / factorized multiply–adds at these ranks.</param>
/// <param name="ConstraintGap">Σ_l ‖W_l − Θ_l‖² after the C step.</param>
/// <param name="Seconds">Wall time of the step.</param>
/// <param name="ValidationError">The Θ-network's error on the held-out share of the training set (<see cref="LcOptions.ValidationShare"/>); null without one.</param>
/// <param name="LambdaSaturated">Whether every layer the C step may factorize took the cheapest choice the rank guard admits
/// (<see cref="LayerDecision.AtCheapestAdmissible"/>), so that no larger λ would change the step; null in the reports of
/// checkpoints written before it was recorded.</param>
public sealed record LcStepReport(int Step, double Mu, double Lambda, double LearningRate, double Loss, double TestError, int[] Ranks,
    double StorageRatio, double FlopsRatio, double ConstraintGap, double Seconds, double? ValidationError = null, bool? LambdaSaturated = null);
