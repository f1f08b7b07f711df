using EdgeLowRank.Compressor.Training;

namespace EdgeLowRank.Compressor.Tests.Training;

/// <summary>Nesterov SGD against a hand computation, and the learning-rate schedules.</summary>
public sealed class OptimizerTests
{
    [Fact]
    public void NesterovStepsMatchPyTorchsFormula()
    {
        var weight = new Parameter("w", 1, 2, decays: true);
        var bias = new Parameter("b", 1, 1, decays: false);
        weight.Value[0] = 1f; weight.Value[1] = -2f; bias.Value[0] = 0.5f;
        var sgd = new NesterovSgd([weight, bias], momentum: 0.9, weightDecay: 0.1);
        double w = 1, v = 0, b = 0.5, vb = 0;
        for (int step = 0; step < 3; step++)
        {
            weight.Gradient[0] = 0.3f; weight.Gradient[1] = 0f; bias.Gradient[0] = -0.2f;
            sgd.Step(0.5);
            double g = 0.3 + 0.1 * w; v = 0.9 * v + g; w -= 0.5 * (g + 0.9 * v);
            double gb = -0.2; vb = 0.9 * vb + gb; b -= 0.5 * (gb + 0.9 * vb); // biases are not decayed
        }
        Assert.Equal(w, weight.Value[0], 5);
        Assert.Equal(b, bias.Value[0], 5);
    }

    [Fact]
    public void Schedules()
    {
        Assert.Equal(0.1 * Math.Pow(0.98, 5), new ExponentialSchedule(0.1, 0.98).RateAt(5), 12);
        var step = new StepSchedule(0.1, 0.5, every: 3);
        Assert.Equal([0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025], Enumerable.Range(0, 7).Select(step.RateAt));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialSchedule(0, 0.9));
        Assert.Throws<ArgumentOutOfRangeException>(() => new StepSchedule(0.1, 1.5, 2));
    }
}
