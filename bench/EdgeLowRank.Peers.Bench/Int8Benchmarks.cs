using BenchmarkDotNet.Attributes;
using EdgeLowRank.Onnx;
using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Peers.Bench;

/// <summary>The int8 golden models, batch 1 and 64, one thread: EdgeLowRank's int8 weights (widened to f32 as it
/// multiplies) against ONNX Runtime on the f32 values of the same weights (the baseline), on ONNX Runtime's own
/// dynamic int8 (int8 weights and activations: MatMulInteger and ConvInteger, as quantize_dynamic writes them), and on the graph
/// <c>elr export-onnx</c> writes (int8 weights behind DequantizeLinear), as ONNX Runtime runs it by default (fused into
/// integer kernels) and with session.disable_quant_qdq (q × scale in f32, what EdgeLowRank computes by default); and
/// EdgeLowRank's own integer products (its dense layers and convolutions quantizing their inputs per sample and per image,
/// formats 1.10 and 1.11).</summary>
[MemoryDiagnoser, MedianColumn]
public class Int8Benchmarks
{
    private PeerSessions _values = null!, _dynamic = null!, _dequantized = null!, _dequantizedUnfused = null!, _integer = null!;
    private Model _loaded = null!;

    [Params("lenet300-factorized-int8", "lenet5-factorized-int8")]
    public string Model { get; set; } = "";

    [Params(1, 64)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _values = new PeerSessions(Model, Batch);
        _dynamic = new PeerSessions(Model, Batch, int8: Int8Export.Dynamic);
        _dequantized = new PeerSessions(Model, Batch, int8: Int8Export.Dequantize, qdqFusion: true);
        _dequantizedUnfused = new PeerSessions(Model, Batch, int8: Int8Export.Dequantize);
        _loaded = ModelReader.Load(Fixtures.Model(Model));
        _integer = new PeerSessions(IntegerProducts(_loaded), Batch);
    }

    /// <summary>The model with its matrix layers, dense and convolutions, quantizing their inputs (formats 1.10 and 1.11):
    /// EdgeLowRank's counterpart of ONNX Runtime's dynamic int8. Its layers share <paramref name="model"/>'s weights, which
    /// must outlive it.</summary>
    private static Model IntegerProducts(Model model) => new(model.InputShape,
        [.. model.Layers.Select(layer => layer is DenseLayer or FactorizedDenseLayer or Conv2dLayer or FactorizedConv2dLayer
            ? LayerEdits.With(layer, InputQuantization.Dynamic) : layer)],
        model.Metadata);

    [GlobalCleanup]
    public void Cleanup()
    {
        _values.Dispose();
        _dynamic.Dispose();
        _dequantized.Dispose();
        _dequantizedUnfused.Dispose();
        _integer.Dispose();
        _loaded.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void OnnxRuntime() => _values.RunOnnxRuntime();

    [Benchmark]
    public void OnnxRuntimeDynamicInt8() => _dynamic.RunOnnxRuntime();

    [Benchmark]
    public void OnnxRuntimeDequantizeLinear() => _dequantized.RunOnnxRuntime();

    [Benchmark]
    public void OnnxRuntimeDequantizeLinearUnfused() => _dequantizedUnfused.RunOnnxRuntime();

    [Benchmark]
    public void EdgeLowRank() => _values.RunEdgeLowRank();

    [Benchmark]
    public void EdgeLowRankIntegerProducts() => _integer.RunEdgeLowRank();
}
