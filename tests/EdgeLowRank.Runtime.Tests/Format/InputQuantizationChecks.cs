using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Tests.Format;

/// <summary>The checks the format tests of integer products (1.10) and integer convolutions (1.11) share.</summary>
internal static class InputQuantizationChecks
{
    /// <summary><see cref="ModelWeights.MapMatrices"/> keeps every layer's input quantization while its matrices stay int8, and
    /// drops it once they are widened to f32.</summary>
    public static void MappingKeepsTheFieldWhileInt8(Model model)
    {
        using Model copied = ModelWeights.MapMatrices(model, (_, matrix) => matrix);
        using Model widened = ModelWeights.MapMatrices(model, (_, matrix) => PackedMatrix.FromRowMajor(matrix.ToRowMajor(), matrix.Rows, matrix.Columns));
        Assert.Equal(model.Layers.Select(l => l.InputQuantization), copied.Layers.Select(l => l.InputQuantization));
        Assert.All(widened.Layers, l => Assert.Equal(InputQuantization.None, l.InputQuantization));
    }

    /// <summary>The reader refuses <paramref name="bytes"/> with a message that says <paramref name="says"/>, at
    /// <paramref name="offset"/> (−1: at no byte in particular).</summary>
    public static void RefusedAtItsByte(byte[] bytes, long offset, string says)
    {
        var error = Assert.Throws<ModelFormatException>(() => ModelReader.Load(bytes));
        Assert.Contains(says, error.Message);
        if (offset >= 0) Assert.Equal(offset, error.Offset);
    }

    /// <summary>One sample through a session of <paramref name="model"/>.</summary>
    public static float[] Run(Model model, float[] input)
    {
        using var session = new InferenceSession(model);
        var output = new float[session.OutputLength];
        session.Run(input, output);
        return output;
    }
}
