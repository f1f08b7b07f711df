namespace EdgeLowRank.Compressor.Training;

/// <summary>
/// Whether SGD has diverged, as training and the L steps judge it after every step: a weight is NaN or infinite, or the
/// batch's loss (computed before its step) is not finite or past <see cref="LossLimit"/>. After a loop's last step, the
/// loss is the one <see cref="Trainer.DivergenceAfterLastStep"/> computes afresh on the first batch. The loss test catches
/// weights that blew up without overflowing: LeNet-5's L step with label smoothing at rate 0.1 once ended at a mean loss
/// of 7E+16 with every weight finite, and the run went on to write that network (91% test error).
/// </summary>
public static class DivergenceSign
{
    /// <summary>How many times the loss of guessing uniformly a batch's mean loss may reach.</summary>
    private const double UniformGuessMultiple = 100;

    /// <summary>
    /// 100·ln K for K classes: a hundred times the cross-entropy of a uniform guess. A network whose right class averages a
    /// probability below e^−230 over a batch (for 10 classes) has not had a bad batch; it has blown up. Training from
    /// scratch starts near ln K, and label smoothing only bounds the logits further. A distillation term α·T²·KL at
    /// temperature T is about α·Var(z − t)/2 for large T (the KL shrinks as 1/T²): it passes the limit only when the
    /// student's logits z are some 20 apart from the teacher's t, and the L steps start from the teacher.
    /// </summary>
    public static double LossLimit(int classes) => UniformGuessMultiple * Math.Log(Math.Max(classes, 2));

    /// <summary>What shows that SGD diverged (for the message), or null when nothing does: the weights, then a batch's mean loss.</summary>
    public static string? Of(double meanLoss, Network network)
    {
        int classes = network.OutputShape.ElementCount;
        if (network.FirstNonFinite() is not null) return $"loss {meanLoss:G4}, weights NaN or infinite";
        if (!double.IsFinite(meanLoss)) return $"loss {meanLoss:G4}";
        if (meanLoss > LossLimit(classes))
            return $"loss {meanLoss:G4}, more than {UniformGuessMultiple:G} times the {Math.Log(Math.Max(classes, 2)):G3} of guessing uniformly over {classes} classes";
        return null;
    }
}
