using System.Diagnostics;
using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Tests.Format;

/// <summary>
/// Thousands of damaged copies of real files (bit flips, overwrites with random and boundary values,
/// truncations), half with the CRC re-sealed so the structural checks behind it are reached. Whatever
/// the damage, the reader either returns a usable model or throws <see cref="ModelFormatException"/>:
/// nothing else may escape. Fixed seed; bounded by a count and a time budget.
/// </summary>
public sealed class CorruptionFuzzTests
{
    private const int Mutations = 6000;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(3);
    private static readonly uint[] Boundaries = [0, 1, 3, 15, 16, 17, 63, 64, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0xFFFF_FFFE];

    public static TheoryData<string> Sources => ["tiny-odd", "lenet300-factorized", "lenet5-factorized", "v1.1/lenet300-factorized", "small", "conv", "classic", "depthwise", "depthwise-separable", "residual", "residual-blocks", "branch", "projection-shortcuts", "concat", "fire-modules", "shuffle-units", "excite", "squeeze-excite"];

    [Theory, MemberData(nameof(Sources))]
    public void OnlyModelFormatExceptionEscapes(string source)
    {
        byte[] original = source switch
        {
            "small" => Write(TestModels.Small()),
            "conv" => Write(TestModels.Conv()),
            "classic" => Write(TestModels.Classic()),
            "depthwise" => Write(TestModels.Depthwise()),
            "residual" => Write(TestModels.Residual()),
            "branch" => Write(TestModels.Branch()),
            "concat" => Write(TestModels.Concat()),
            "excite" => Write(TestModels.Excite()),
            _ => File.ReadAllBytes(Fixtures.Model(source)),
        };
        int structureEnd = new FileBytes(original).Data; // most mutations land before the weights, where the checks are
        var rng = new Random(20240611 + source.Length);
        var clock = Stopwatch.StartNew();
        int loaded = 0, rejectedBehindCrc = 0;
        float checksum = 0;
        for (int i = 0; i < Mutations && clock.Elapsed < Budget; i++)
        {
            byte[] bytes = Mutate(original, structureEnd, rng);
            bool sealedAgain = rng.Next(2) == 0;
            if (sealedAgain) FileBytes.Seal(bytes);
            try
            {
                using Model model = ModelReader.Load(bytes);
                checksum += Touch(model);
                loaded++;
            }
            catch (ModelFormatException e)
            {
                if (e.Offset != FileLayout.Header.Crc && sealedAgain) rejectedBehindCrc++;
                Assert.InRange(e.Offset, 0, Math.Max(bytes.Length, FormatConstants.MaxFileLength));
            }
        }
        Assert.True(rejectedBehindCrc > 100, $"only {rejectedBehindCrc} mutations reached the checks behind the CRC");
        Assert.True(loaded > 0, $"no mutation left a loadable model (weights-only flips should); weight checksum {checksum}");
    }

    private static byte[] Write(Model model)
    {
        using (model) return ModelWriter.ToArray(model);
    }

    private static byte[] Mutate(byte[] original, int structureEnd, Random rng)
    {
        byte[] bytes = (byte[])original.Clone();
        int Position() => rng.Next(4) == 0 ? rng.Next(bytes.Length) : rng.Next(Math.Min(structureEnd, bytes.Length));
        switch (rng.Next(4))
        {
            case 0:
                for (int k = rng.Next(1, 4); k > 0; k--) bytes[Position()] ^= (byte)(1 << rng.Next(8));
                break;
            case 1:
                for (int k = rng.Next(1, 9); k > 0; k--) bytes[Position()] = (byte)rng.Next(256);
                break;
            case 2:
                int at = Position() & ~3;
                if (at + 4 <= bytes.Length) BitConverter.TryWriteBytes(bytes.AsSpan(at), Boundaries[rng.Next(Boundaries.Length)]);
                break;
            default:
                return bytes[..rng.Next(bytes.Length)];
        }
        return bytes;
    }

    /// <summary>Reads every weight, so a tensor that escaped the bounds checks would fault here.</summary>
    private static float Touch(Model model)
    {
        float sum = 0;
        foreach (Layer layer in model.Layers)
        {
            if (layer is DenseLayer d) sum += Sum(d.Weights.Data) + Sum(d.Bias);
            if (layer is FactorizedDenseLayer f) sum += Sum(f.First.Data) + Sum(f.Second.Data) + Sum(f.Bias);
            if (layer is Conv2dLayer c) sum += Sum(c.Weights.Data) + Sum(c.Bias);
            if (layer is FactorizedConv2dLayer fc) sum += Sum(fc.First.Data) + Sum(fc.Second.Data) + Sum(fc.Bias);
        }
        return sum;
    }

    private static float Sum(ReadOnlyMemory<float> values)
    {
        float sum = 0;
        foreach (float v in values.Span) sum += v;
        return sum;
    }
}
