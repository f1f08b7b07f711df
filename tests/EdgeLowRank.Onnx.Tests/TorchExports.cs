using System.Buffers.Binary;
using System.Text.Json;

namespace EdgeLowRank.Onnx.Tests;

/// <summary>The files scripts/export-torch-models.py writes with PyTorch's own torch.onnx.export, in the folder
/// $ELR_TORCH_EXPORTS: per model its ONNX file, an input and PyTorch's output for it, and manifest.json listing them.
/// Tests never export (PyTorch is a Debian package CI installs, not a dependency of the tests).</summary>
internal static class TorchExports
{
    public const string EnvironmentVariable = "ELR_TORCH_EXPORTS";

    /// <summary>The folder named by $ELR_TORCH_EXPORTS; null when the variable is unset.</summary>
    public static string? Folder { get; } = Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } folder ? folder : null;

    public static bool RunningInCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether the folder holds a manifest (an export ran to its end: the manifest is written last).</summary>
    public static bool Present => Folder is not null && File.Exists(Path.Combine(Folder, "manifest.json"));

    /// <summary>The model <paramref name="name"/> as the manifest lists it, with its file, input and PyTorch's output.</summary>
    public static TorchExport Load(string name)
    {
        if (!Present)
            Assert.Fail($"no torch.onnx.export files: ${EnvironmentVariable} is {(Folder is null ? "unset" : $"'{Folder}', without a manifest.json")}; "
                + "CI must run scripts/export-torch-models.py into it before the tests.");
        using JsonDocument manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Folder!, "manifest.json")));
        JsonElement entry = manifest.RootElement.GetProperty("models").EnumerateArray().SingleOrDefault(m => m.GetProperty("name").GetString() == name);
        Assert.True(entry.ValueKind == JsonValueKind.Object, $"the manifest in {Folder} lists no model '{name}'.");
        string path = Path.Combine(Folder!, name);
        return new TorchExport(name, File.ReadAllBytes(path + ".onnx"), Shape(entry, "input_shape"), Floats(path + ".input.f32"),
            Shape(entry, "output_shape"), Floats(path + ".output.f32"));
    }

    private static int[] Shape(JsonElement entry, string property) => entry.GetProperty(property).EnumerateArray().Select(d => d.GetInt32()).ToArray();

    /// <summary>A file of little-endian float32 values, as numpy's astype('&lt;f4').tofile writes them.</summary>
    private static float[] Floats(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        var values = new float[bytes.Length / sizeof(float)];
        for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * sizeof(float)));
        return values;
    }
}

/// <summary>One exported model: the ONNX file's bytes, an input batch in ONNX's layout (N × C × H × W) and PyTorch's
/// output for it (N × classes).</summary>
internal sealed record TorchExport(string Name, byte[] Onnx, int[] InputShape, float[] Input, int[] OutputShape, float[] Output);
