using System.Buffers.Binary;
using EdgeLowRank.Onnx;
using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.IO;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Fuzz;

/// <summary>
/// Writes a starting corpus for a target from the repository's small golden models, so no corpus is kept in git: the
/// .elr files as they are, their ONNX export, and .npy and IDX files of the types elr-run reads and refuses. Small
/// seeds keep AFL's mutations near the headers, where the parsing is.
/// </summary>
internal static class Seeds
{
    // The smallest golden model of each layer kind but LeNet-5 1998's (Tanh, Sigmoid, AvgPool2d; 249 KB, mostly weights):
    // a dense network in three weight forms, then Concat, ChannelSlice, the squeeze-excite kinds, depthwise, Add and Branch.
    private static readonly string[] Models = ["tiny-odd", "tiny-odd-int8", "tiny-odd-dynamic", "fire-modules", "shuffle-units",
        "squeeze-excite", "inverted-residuals", "depthwise-separable", "residual-blocks", "projection-shortcuts"];

    /// <summary>Writes <paramref name="target"/>'s seeds from <paramref name="fixtures"/> (tests/fixtures) into <paramref name="folder"/>.</summary>
    public static void Write(string target, string fixtures, string folder)
    {
        Directory.CreateDirectory(folder);
        switch (target)
        {
            case "elr":
                foreach (string name in Models) File.Copy(Path.Combine(fixtures, name + ".elr"), Path.Combine(folder, name + ".elr"), true);
                break;
            case "onnx":
                foreach (string name in Models)
                {
                    using Model model = ModelReader.Load(Path.Combine(fixtures, name + ".elr"));
                    File.WriteAllBytes(Path.Combine(folder, name + ".onnx"), OnnxExporter.Export(model));
                }
                break;
            case "onnx-graph":
                GraphSeeds(folder);
                break;
            case "inputs":
                foreach (NpyDataType type in Enum.GetValues<NpyDataType>())
                    File.WriteAllBytes(Path.Combine(folder, $"{type}.npy"), Npy(type, [2, 3]));
                File.WriteAllBytes(Path.Combine(folder, "scalar.npy"), Npy(NpyDataType.Float32, []));
                File.WriteAllBytes(Path.Combine(folder, "bytes.idx"), Idx(0x08, [2, 2, 2], 1));
                File.WriteAllBytes(Path.Combine(folder, "floats.idx"), Idx(0x0D, [3, 2], 4));
                break;
            default:
                throw new ArgumentException($"no seeds for target {target}", nameof(target));
        }
    }

    /// <summary>Choices for <see cref="OnnxGraphTarget"/> whose graphs the import takes, of three layers or more and each of
    /// another sequence of layer kinds: the first eight found among random byte strings (fixed seed), then the first two
    /// with a layer of quantize_dynamic's form and the first two whose flatten is computed from the shape (x.view(x.size(0),
    /// -1)), which the first eight rarely hold, so that AFL starts past the walk's first refusals in those forms too.</summary>
    private static void GraphSeeds(string folder)
    {
        var random = new Random(1);
        var kinds = new HashSet<string>();
        var wanted = new Dictionary<string, int> { ["plain"] = 8, ["dynamic"] = 2, ["shape"] = 2 };
        int tries = 0;
        for (; tries < 200_000 && wanted.Values.Any(n => n > 0); tries++)
        {
            byte[] choices = new byte[random.Next(16, 80)];
            random.NextBytes(choices);
            try
            {
                byte[] onnx = OnnxGraphTarget.Build(choices);
                using Model model = OnnxImporter.Import(onnx);
                string kind = string.Join(' ', model.Layers.Select(l => l.Kind + (l.InputQuantization == InputQuantization.None ? "" : "/dynamic")));
                string form = kind.Contains("/dynamic") ? "dynamic" : global::Onnx.ModelProto.Parser.ParseFrom(onnx).Graph.Node.Any(n => n.OpType == "Shape") ? "shape" : "plain";
                if (model.Layers.Count >= 3 && wanted[form] > 0 && kinds.Add(kind))
                {
                    wanted[form]--;
                    File.WriteAllBytes(Path.Combine(folder, $"graph-{kinds.Count}.bin"), choices);
                }
            }
            catch (Exception e) when (e is OnnxImportException or ModelFormatException)
            {
            }
        }
        Console.WriteLine($"{kinds.Count} graph seeds from {tries:N0} tries: {string.Join("; ", kinds)}");
    }

    private static byte[] Npy(NpyDataType type, long[] shape)
    {
        byte[] header = NpyHeader.Write(type, shape);
        long count = shape.Aggregate(1L, (a, b) => a * b);
        return [.. header, .. new byte[count * NpyHeader.SizeOf(type)]];
    }

    private static byte[] Idx(byte type, uint[] dims, int width)
    {
        var header = new byte[4 + 4 * dims.Length];
        header[2] = type;
        header[3] = (byte)dims.Length;
        for (int d = 0; d < dims.Length; d++) BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4 + 4 * d), dims[d]);
        long count = dims.Aggregate(1L, (a, b) => a * b);
        return [.. header, .. Enumerable.Range(0, (int)(count * width)).Select(i => (byte)i)];
    }
}
