using Google.Protobuf;
using Onnx;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Onnx.Tests;

/// <summary>An exported quantize_dynamic pattern altered one way, and the import's refusal of it.</summary>
internal static class AlteredPatterns
{
    /// <summary>The import's refusal of <paramref name="model"/>'s export once <paramref name="alter"/> has changed the graph, given
    /// it, its first DynamicQuantizeLinear and its first <paramref name="op"/> node (MatMulInteger or ConvInteger).</summary>
    public static OnnxImportException Refusal(Model model, string op, Action<GraphProto, NodeProto, NodeProto> alter)
    {
        ModelProto proto = ModelProto.Parser.ParseFrom(OnnxExporter.Export(model));
        GraphProto graph = proto.Graph;
        alter(graph, graph.Node.First(n => n.OpType == "DynamicQuantizeLinear"), graph.Node.First(n => n.OpType == op));
        return Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(proto.ToByteArray()));
    }

    /// <summary>A second reader of <paramref name="quantize"/>'s values (an Identity), just after <paramref name="product"/>.</summary>
    public static void ReadTwice(GraphProto graph, NodeProto quantize, NodeProto product) =>
        graph.Node.Insert(graph.Node.IndexOf(product) + 1, new NodeProto { OpType = "Identity", Name = "spy", Input = { quantize.Output[0] }, Output = { "spy" } });
}
