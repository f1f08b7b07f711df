using BenchmarkDotNet.Attributes;
using EdgeLowRank.Onnx;
using EdgeLowRank.Runtime.Execution;
using Ort = Microsoft.ML.OnnxRuntime;

namespace EdgeLowRank.Peers.Bench;

/// <summary>
/// Files PyTorch's own torch.onnx.export wrote (scripts/export-torch-models.py, into the folder $ELR_TORCH_EXPORTS):
/// ONNX Runtime runs the file as PyTorch wrote it, EdgeLowRank the model `elr import-onnx` makes of it, one image at a
/// time on one and on two threads a run (ONNX Runtime's intra-op threads; the session's <see cref="SessionOptions.Threads"/>,
/// which split each large layer of one image). Before any timing the two must agree on a random image.
/// </summary>
[MemoryDiagnoser, MedianColumn]
public class TorchExportBenchmarks
{
    private InferenceSession _session = null!;
    private Ort.InferenceSession _ort = null!;
    private Ort.OrtValue _ortInput = null!, _ortOutput = null!;
    private readonly Ort.RunOptions _runOptions = new();
    private readonly string[] _inputNames = ["input"], _outputNames = ["output"]; // as the script names them
    private Ort.OrtValue[] _inputs = null!, _outputs = null!;
    private float[] _input = null!, _output = null!, _ortOutputValues = null!;

    [Params("resnet18", "mobilenet_v2")]
    public string Model { get; set; } = "";

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        string folder = Environment.GetEnvironmentVariable("ELR_TORCH_EXPORTS") is { Length: > 0 } set ? set
            : throw new InvalidOperationException("Set ELR_TORCH_EXPORTS to a folder scripts/export-torch-models.py wrote (README, \"ONNX\").");
        byte[] onnx = File.ReadAllBytes(Path.Combine(folder, Model + ".onnx"));
        _session = new InferenceSession(OnnxImporter.Import(onnx), new SessionOptions { MaxBatchSize = 1, Threads = Threads }, ownsModel: true);

        float[] image = Fixtures.RandomInput(_session.InputLength); // in ONNX's layout, channels first
        _input = new float[image.Length];
        ChannelsFirst.FromOnnxLayout(image, _session.Model.InputShape, _input);
        _output = new float[_session.OutputLength];
        _ortOutputValues = new float[_session.OutputLength];

        _ort = new Ort.InferenceSession(onnx, new Ort.SessionOptions
        {
            IntraOpNumThreads = Threads,
            InterOpNumThreads = 1,
            ExecutionMode = Ort.ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = Ort.GraphOptimizationLevel.ORT_ENABLE_ALL,
        });
        _ortInput = Ort.OrtValue.CreateTensorValueFromMemory(image, [1, .. ChannelsFirst.OnnxShape(_session.Model.InputShape).Select(d => (long)d)]);
        _ortOutput = Ort.OrtValue.CreateTensorValueFromMemory(_ortOutputValues, [1, _session.OutputLength]);
        _inputs = [_ortInput];
        _outputs = [_ortOutput];

        EdgeLowRank();
        OnnxRuntime();
        double difference = _output.Zip(_ortOutputValues, (a, b) => Math.Abs(a - b)).Max() / _ortOutputValues.Max(Math.Abs);
        if (!(difference <= 1e-4))
            throw new InvalidOperationException($"ONNX Runtime and EdgeLowRank disagree on {Model} by {difference:E3} of the largest output; no time would mean anything.");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _session.Dispose();
        _ortInput.Dispose();
        _ortOutput.Dispose();
        _runOptions.Dispose();
        _ort.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void OnnxRuntime() => _ort.Run(_runOptions, _inputNames, _inputs, _outputNames, _outputs);

    [Benchmark]
    public void EdgeLowRank() => _session.Run(_input, _output);
}
