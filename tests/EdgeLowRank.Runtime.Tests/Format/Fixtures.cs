using System.Buffers.Binary;

namespace EdgeLowRank.Runtime.Tests.Format;

/// <summary>The golden files in tests/fixtures (see its README), found from the test binary's folder. A name is
/// relative to that folder: "tiny-odd" is the file the current writer writes, "v1.0/tiny-odd" the 1.0 release.</summary>
internal static class Fixtures
{
    /// <summary>The files the current generator writes (format 1.13), in tests/fixtures: the networks of every release
    /// (<see cref="Released"/>), their int8 twins (<see cref="Int8"/>), the network of the 1.4 kinds (<see cref="New1_4"/>),
    /// the one of depthwise convolutions (<see cref="New1_5"/>), the ones of residual connections (<see cref="New1_6"/>),
    /// the one of projection shortcuts (<see cref="New1_7"/>), the ones of Fire modules and ShuffleNet units (<see cref="New1_8"/>)
    /// the one of squeeze-and-excitation blocks (<see cref="New1_9"/>), the integer-product twins (<see cref="New1_10"/>) and the
    /// integer-convolution twin (<see cref="New1_11"/>), the network of 1×1 depthwise convolutions (<see cref="ChannelAffine"/>),
    /// the one that records only its input normalization (<see cref="FoldedNormalization"/>), the one of leaky ReLUs
    /// (<see cref="New1_12"/>) and the one of windows padded per side (<see cref="New1_13"/>).</summary>
    public static readonly string[] Released = ["lenet300-dense", "lenet300-factorized", "tiny-odd", "lenet5-dense", "lenet5-factorized"];

    /// <summary>New in 1.3: every weight matrix int8 with one scale per column.</summary>
    public static readonly string[] Int8 = ["lenet300-factorized-int8", "tiny-odd-int8", "lenet5-factorized-int8"];

    /// <summary>New in 1.4: tanh, sigmoid and average pooling.</summary>
    public static readonly string[] New1_4 = ["lenet5-1998"];

    /// <summary>New in 1.5: depthwise convolutions.</summary>
    public static readonly string[] New1_5 = ["depthwise-separable"];

    /// <summary>New in 1.6: residual connections (Add layers), and ReLU6 in MobileNet v2's inverted residuals.</summary>
    public static readonly string[] New1_6 = ["residual-blocks", "inverted-residuals"];

    /// <summary>New in 1.7: shortcuts with layers of their own (Branch layers), ResNet's projection shortcuts.</summary>
    public static readonly string[] New1_7 = ["projection-shortcuts"];

    /// <summary>New in 1.8: paths joined by stacking their channels (Concat layers), SqueezeNet's Fire modules; slices and
    /// shuffles of channels, ShuffleNet v2's units.</summary>
    public static readonly string[] New1_8 = ["fire-modules", "shuffle-units"];

    /// <summary>New in 1.9: hard swish, hard sigmoid, SiLU and squeeze-and-excitation (ChannelScale layers), MobileNetV3's
    /// and EfficientNet's blocks.</summary>
    public static readonly string[] New1_9 = ["squeeze-excite"];

    /// <summary>New in 1.10: integer products, the int8 twins with every matrix layer quantizing its inputs as it runs.</summary>
    public static readonly string[] New1_10 = ["lenet300-factorized-dynamic", "tiny-odd-dynamic"];

    /// <summary>New in 1.11: integer convolutions, the int8 twin of LeNet-5 with every matrix layer quantizing its inputs.</summary>
    public static readonly string[] New1_11 = ["lenet5-factorized-dynamic"];

    /// <summary>Also new in 1.11, with no new kind: 1×1 depthwise convolutions over 1, 3 and 11 channels, which a session runs as
    /// per-channel affine maps (an imported model's input normalization), so that the emulation checks run that kernel on arm64.</summary>
    public static readonly string[] ChannelAffine = ["channel-affine"];

    /// <summary>Also in 1.11, with no new kind: a model that records the input normalization folded into its first layer (an
    /// import with --input-mean/--input-std) and no pixel scale, so that the checks see the warning of standardized pixels.</summary>
    public static readonly string[] FoldedNormalization = ["folded-normalization"];

    /// <summary>New in 1.12: leaky ReLUs, each with its slope.</summary>
    public static readonly string[] New1_12 = ["leaky-relu"];

    /// <summary>New in 1.13: windows padded differently per side (TensorFlow's SAME, PyTorch's padding='same' with an even
    /// kernel, Keras' SAME pooling), in 88-byte layer records.</summary>
    public static readonly string[] New1_13 = ["uneven-padding"];

    /// <summary>Every file the current generator writes.</summary>
    public static readonly string[] Names = [.. Released, .. Int8, .. New1_4, .. New1_5, .. New1_6, .. New1_7, .. New1_8, .. New1_9, .. New1_10, .. New1_11, .. ChannelAffine, .. FoldedNormalization, .. New1_12, .. New1_13];

    /// <summary>The format 1.0 release, kept byte for byte in tests/fixtures/v1.0.</summary>
    public static readonly string[] Release1_0 = ["v1.0/lenet300-dense", "v1.0/lenet300-factorized", "v1.0/tiny-odd"];

    /// <summary>The format 1.1 release, kept byte for byte in tests/fixtures/v1.1 (every weight panel-16).</summary>
    public static readonly string[] Release1_1 = Released.Select(name => "v1.1/" + name).ToArray();

    /// <summary>The format 1.2 release, kept byte for byte in tests/fixtures/v1.2 (narrow matrices row-major).</summary>
    public static readonly string[] Release1_2 = Released.Select(name => "v1.2/" + name).ToArray();

    /// <summary>The format 1.3 release, kept byte for byte in tests/fixtures/v1.3 (with the int8 twins).</summary>
    public static readonly string[] Release1_3 = Released.Concat(Int8).Select(name => "v1.3/" + name).ToArray();

    /// <summary>The format 1.4 release, kept byte for byte in tests/fixtures/v1.4 (with lenet5-1998).</summary>
    public static readonly string[] Release1_4 = Released.Concat(Int8).Concat(New1_4).Select(name => "v1.4/" + name).ToArray();

    /// <summary>The format 1.5 release, kept byte for byte in tests/fixtures/v1.5 (with depthwise-separable).</summary>
    public static readonly string[] Release1_5 = Released.Concat(Int8).Concat(New1_4).Concat(New1_5).Select(name => "v1.5/" + name).ToArray();

    /// <summary>The format 1.6 release, kept byte for byte in tests/fixtures/v1.6 (with residual-blocks and inverted-residuals).</summary>
    public static readonly string[] Release1_6 = Released.Concat(Int8).Concat(New1_4).Concat(New1_5).Concat(New1_6).Select(name => "v1.6/" + name).ToArray();

    /// <summary>The format 1.7 release, kept byte for byte in tests/fixtures/v1.7 (with projection-shortcuts).</summary>
    public static readonly string[] Release1_7 = Released.Concat(Int8).Concat(New1_4).Concat(New1_5).Concat(New1_6).Concat(New1_7).Select(name => "v1.7/" + name).ToArray();

    /// <summary>The format 1.8 release, kept byte for byte in tests/fixtures/v1.8 (with fire-modules and shuffle-units).</summary>
    public static readonly string[] Release1_8 = Released.Concat(Int8).Concat(New1_4).Concat(New1_5).Concat(New1_6).Concat(New1_7).Concat(New1_8).Select(name => "v1.8/" + name).ToArray();

    /// <summary>The format 1.9 release, kept byte for byte in tests/fixtures/v1.9 (with squeeze-excite).</summary>
    public static readonly string[] Release1_9 = Released.Concat(Int8).Concat(New1_4).Concat(New1_5).Concat(New1_6).Concat(New1_7).Concat(New1_8).Concat(New1_9).Select(name => "v1.9/" + name).ToArray();

    /// <summary>The format 1.10 release, kept byte for byte in tests/fixtures/v1.10 (with the integer-product twins).</summary>
    public static readonly string[] Release1_10 = Released.Concat(Int8).Concat(New1_4).Concat(New1_5).Concat(New1_6).Concat(New1_7).Concat(New1_8).Concat(New1_9).Concat(New1_10).Select(name => "v1.10/" + name).ToArray();

    /// <summary>The format 1.11 release, kept byte for byte in tests/fixtures/v1.11 (with the integer-convolution twin,
    /// channel-affine and folded-normalization).</summary>
    public static readonly string[] Release1_11 = Released.Concat(Int8).Concat(New1_4).Concat(New1_5).Concat(New1_6).Concat(New1_7).Concat(New1_8).Concat(New1_9).Concat(New1_10).Concat(New1_11).Concat(ChannelAffine).Concat(FoldedNormalization).Select(name => "v1.11/" + name).ToArray();

    /// <summary>The format 1.12 release, kept byte for byte in tests/fixtures/v1.12 (with leaky-relu).</summary>
    public static readonly string[] Release1_12 = Released.Concat(Int8).Concat(New1_4).Concat(New1_5).Concat(New1_6).Concat(New1_7).Concat(New1_8).Concat(New1_9).Concat(New1_10).Concat(New1_11).Concat(ChannelAffine).Concat(FoldedNormalization).Concat(New1_12).Select(name => "v1.12/" + name).ToArray();

    /// <summary>Every golden file of every released version.</summary>
    public static IEnumerable<string> All => Names.Concat(Release1_12).Concat(Release1_11).Concat(Release1_10).Concat(Release1_9).Concat(Release1_8).Concat(Release1_7).Concat(Release1_6).Concat(Release1_5).Concat(Release1_4).Concat(Release1_3).Concat(Release1_2).Concat(Release1_1).Concat(Release1_0);

    public static string Folder { get; } = Find();

    public static string Model(string name) => Path.Combine(Folder, name + ".elr");

    /// <summary>A raw little-endian f32 file.</summary>
    public static float[] Floats(string file)
    {
        byte[] bytes = File.ReadAllBytes(Path.Combine(Folder, file));
        var values = new float[bytes.Length / sizeof(float)];
        for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * sizeof(float)));
        return values;
    }

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "fixtures");
            if (File.Exists(Path.Combine(candidate, "README.md"))) return candidate;
        }
        throw new DirectoryNotFoundException($"tests/fixtures not found above {AppContext.BaseDirectory}.");
    }
}
