using System.Runtime.CompilerServices;
using EdgeLowRank.Onnx;
using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.Layers;
using Ort = Microsoft.ML.OnnxRuntime;

namespace EdgeLowRank.Peers.Bench;

/// <summary>
/// The same golden model loaded twice: by EdgeLowRank and, exported to ONNX, by ONNX Runtime on the
/// CPU, each with the same number of threads per run (ONNX Runtime's intra-op threads, EdgeLowRank's
/// <see cref="SessionOptions.Threads"/>; one for a single-core latency figure). Inputs and
/// outputs are preallocated and bound once, so each side measures only its inference.
/// </summary>
internal sealed class PeerSessions : IDisposable
{
    private readonly Ort.InferenceSession _ort;
    private readonly Ort.OrtValue _ortInput, _ortOutput;
    private readonly Ort.RunOptions _runOptions = new();
    private readonly string[] _inputNames = [OnnxExporter.InputName], _outputNames = [OnnxExporter.OutputName];
    private readonly Ort.OrtValue[] _inputs, _outputs;

    /// <param name="modelName">A golden model of tests/fixtures.</param>
    /// <param name="batch">Samples per run.</param>
    /// <param name="threads">Threads per run on each side.</param>
    /// <param name="int8">How ONNX Runtime gets an int8 model's matrices (<see cref="Int8Export"/>): by default the f32
    /// values of its weights, the baseline the runtime's int8 kernels are timed against.</param>
    /// <param name="qdqFusion">With <see cref="Int8Export.Dequantize"/>: whether ONNX Runtime may fuse DequantizeLinear
    /// into integer kernels, as it does by default (quantizing activations too); without it, it computes q × scale.</param>
    public PeerSessions(string modelName, int batch, int threads = 1, Int8Export int8 = Int8Export.Float, bool qdqFusion = false)
        : this(ModelReader.Load(Fixtures.Model(modelName)), batch, threads, int8, qdqFusion, DeployedBuild.ExportedGraph(modelName, int8))
    {
    }

    /// <summary>The same for a model built in memory, which the sessions then own. <paramref name="onnx"/> is the graph
    /// ONNX Runtime runs instead of the model's own export: a file the model was imported from (PyTorch's), whose input
    /// and output carry <see cref="OnnxExporter"/>'s names.</summary>
    public PeerSessions(Model model, int batch, int threads = 1, Int8Export int8 = Int8Export.Float, bool qdqFusion = false, byte[]? onnx = null)
    {
        Batch = batch;
        EdgeLowRank = new InferenceSession(model, new SessionOptions { MaxBatchSize = batch, Threads = threads }, ownsModel: true);
        Input = Fixtures.RandomInput(batch * EdgeLowRank.InputLength);
        Output = new float[batch * EdgeLowRank.OutputLength];
        OrtOutput = new float[Output.Length];
        OrtInput = new float[Input.Length];

        var options = new Ort.SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = Ort.ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = Ort.GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        if (int8 == Int8Export.Dequantize && !qdqFusion) options.AddSessionConfigEntry("session.disable_quant_qdq", "1");
        // Under NativeAOT the compiler removes the exporter's branch (DeployedBuild says why it cannot run there).
        _ort = new Ort.InferenceSession(onnx ?? (RuntimeFeature.IsDynamicCodeSupported ? OnnxExporter.Export(model, int8)
            : throw new InvalidOperationException("A NativeAOT process cannot export an ONNX graph; give it one.")), options);
        ChannelsFirst.ToOnnxLayout(Input, model.InputShape, OrtInput);
        long[] inputShape = [batch, .. ChannelsFirst.OnnxShape(model.InputShape).Select(d => (long)d)];
        long[] outputShape = [batch, .. model.OutputShape.Dimensions.ToArray().Select(d => (long)d)];
        _ortInput = Ort.OrtValue.CreateTensorValueFromMemory(OrtInput, inputShape);
        _ortOutput = Ort.OrtValue.CreateTensorValueFromMemory(OrtOutput, outputShape);
        _inputs = [_ortInput];
        _outputs = [_ortOutput];
    }

    public int Batch { get; }

    public InferenceSession EdgeLowRank { get; }

    /// <summary>The runtime's input (images channels-last).</summary>
    public float[] Input { get; }

    /// <summary>The same samples in the ONNX graph's layout (images channels-first).</summary>
    public float[] OrtInput { get; }

    public float[] Output { get; }

    public float[] OrtOutput { get; }

    public void RunEdgeLowRank() => EdgeLowRank.Run(Input, Output, Batch);

    /// <summary>After a run of each: the largest difference between the two outputs, relative to ONNX Runtime's largest.</summary>
    public double LargestRelativeDifference() =>
        Output.Zip(OrtOutput, (a, b) => Math.Abs(a - b)).Max() / Math.Max(OrtOutput.Max(v => Math.Abs(v)), float.Epsilon);

    /// <summary>Runs both once and throws unless they agree within <paramref name="tolerance"/> of the largest output (1e-4
    /// unless given): on a deep network a wrong layer would hide in no time figure, so none is taken. Returns the
    /// difference.</summary>
    public double RequireAgreement(string what, double tolerance = 1e-4)
    {
        RunEdgeLowRank();
        RunOnnxRuntime();
        double difference = LargestRelativeDifference();
        if (!(difference <= tolerance))
            throw new InvalidOperationException($"ONNX Runtime and EdgeLowRank disagree on {what} by {difference:E3} of the largest output (tolerance {tolerance:0.#e+0}); no time would mean anything.");
        return difference;
    }

    public void RunOnnxRuntime() => _ort.Run(_runOptions, _inputNames, _inputs, _outputNames, _outputs);

    public void Dispose()
    {
        EdgeLowRank.Dispose();
        _ortInput.Dispose();
        _ortOutput.Dispose();
        _runOptions.Dispose();
        _ort.Dispose();
    }
}
