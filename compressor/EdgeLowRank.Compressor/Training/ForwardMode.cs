namespace EdgeLowRank.Compressor.Training;

/// <summary>What a forward pass is for, as PyTorch's <c>module.train()</c> / <c>module.eval()</c>: only
/// <see cref="BatchNorm2d"/> behaves differently.</summary>
public enum ForwardMode
{
    /// <summary>Inference (test error, the LC loop's evaluations, teacher targets): batch norm uses its running statistics,
    /// so a sample's output does not depend on the other samples of its batch, as in the exported model.</summary>
    Evaluation,

    /// <summary>A training step: batch norm normalizes with the batch's statistics and updates its running statistics;
    /// a backward pass may follow.</summary>
    Training,
}
