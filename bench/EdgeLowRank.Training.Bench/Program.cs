using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Running;
using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Models;
using EdgeLowRank.Compressor.Training;

// Usage: dotnet run -c Release --project bench/EdgeLowRank.Training.Bench -- [models] [threads] [epochs]
//   models: comma-separated zoo names (default lenet300,lenet5); threads: e.g. 1,2; epochs per setting (default 3).
// Each setting trains from the same seed for the given number of full MNIST epochs at batch 256 and
// reports the median epoch's samples/s; the first epoch includes JIT warm-up, so use 3 or more.
// Profile: dotnet run -c Release --project bench/EdgeLowRank.Training.Bench -- profile lenet300 1 [steps] [batch]
//   prints the mean milliseconds per step of every layer's forward and backward pass, the loss and the optimizer.
// Sharpness: dotnet run -c Release --project bench/EdgeLowRank.Training.Bench -- sharpness MODEL.elr [dataset] [smoothings] [samples] [iterations] [threads] [step]
//   the top Hessian eigenvalue of the training loss at the model's weights, per label smoothing (default 0,0.1), over
//   the first samples (default 4096) of a seeded shuffle, by power iterations (default 20) on central differences of step ‖εv‖
//   (default 0.01), with each iteration's residual; and the rate 1.357/h below which Nesterov SGD (momentum 0.9) follows a
//   quadratic that sharp.
// Micro: dotnet run -c Release --project bench/EdgeLowRank.Training.Bench -- micro [BenchmarkDotNet arguments, e.g. --filter '*BatchNorm*' --job short]
//   BenchmarkDotNet over single layers' training passes (BatchNormBenchmarks), units of milliseconds where it pays.
if (args.Length > 0 && args[0] == "micro")
{
    BenchmarkSwitcher.FromAssembly(typeof(EdgeLowRank.Training.Bench.BatchNormBenchmarks).Assembly).Run(args[1..]);
    return;
}
if (args.Length > 0 && args[0] == "profile")
{
    DatasetParts data = new DatasetFetcher(DataCache.FromEnvironment()).Load(DatasetCatalog.Mnist);
    string name = args.Length > 1 ? args[1] : "lenet300";
    int profileThreads = args.Length > 2 ? int.Parse(args[2]) : 1;
    int steps = args.Length > 3 ? int.Parse(args[3]) : 100;
    int profileBatch = args.Length > 4 ? int.Parse(args[4]) : 256;
    EdgeLowRank.Training.Bench.Profile.Run(ModelZoo.Create(name, data.Train.SampleShape, data.Train.ClassCount, 1, profileBatch), data.Train, profileThreads, steps, profileBatch);
    return;
}
if (args.Length > 0 && args[0] == "sharpness")
{
    if (args.Length < 2)
    {
        Console.Error.WriteLine("sharpness needs a model: sharpness MODEL.elr [dataset] [smoothings] [samples] [iterations] [threads] [step]");
        Environment.Exit(1);
    }
    DatasetInfo dataset = DatasetCatalog.Get(args.Length > 2 ? args[2] : "mnist");
    Dataset train = new DatasetFetcher(DataCache.FromEnvironment()).Load(dataset).Train;
    double[] smoothings = (args.Length > 3 ? args[3] : "0,0.1").Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
    int samples = args.Length > 4 ? int.Parse(args[4]) : 4096;
    int iterations = args.Length > 5 ? int.Parse(args[5]) : 20;
    int sharpnessThreads = args.Length > 6 ? int.Parse(args[6]) : Environment.ProcessorCount;
    double step = args.Length > 7 ? double.Parse(args[7], CultureInfo.InvariantCulture) : 1e-2;
    EdgeLowRank.Training.Bench.Sharpness.Run(args[1], train, smoothings, samples, iterations, step, sharpnessThreads);
    return;
}
string[] models = (args.Length > 0 ? args[0] : "lenet300,lenet5").Split(',');
int[] threadCounts = (args.Length > 1 ? args[1] : "1,2").Split(',').Select(int.Parse).ToArray();
int epochs = args.Length > 2 ? int.Parse(args[2]) : 3;

DatasetParts mnist = new DatasetFetcher(DataCache.FromEnvironment()).Load(DatasetCatalog.Mnist);
Console.WriteLine($"load average before: {LoadAverage()}");
Console.WriteLine($"| model | threads | epochs | median samples/s | epoch seconds (each) | CPU seconds per epoch (each) |");
Console.WriteLine($"|---|---:|---:|---:|---|---|");
foreach (string model in models)
{
    foreach (int threads in threadCounts)
    {
        var options = new TrainingOptions { Epochs = epochs, BatchSize = 256, Threads = threads, Seed = 1 };
        var trainer = new Trainer(ModelZoo.Create(model, mnist.Train.SampleShape, mnist.Train.ClassCount, options.Seed), options);
        var results = new EpochResult[epochs];
        var cpu = new double[epochs];
        for (int e = 0; e < epochs; e++)
        {
            TimeSpan before = Process.GetCurrentProcess().TotalProcessorTime;
            results[e] = trainer.RunEpoch(mnist.Train, e);
            cpu[e] = (Process.GetCurrentProcess().TotalProcessorTime - before).TotalSeconds;
        }
        double median = results.Select(r => r.SamplesPerSecond).Order().ElementAt(epochs / 2);
        Console.WriteLine($"| {model} | {threads} | {epochs} | {median:N0} | {string.Join(", ", results.Select(r => r.Seconds.ToString("F2")))} | {string.Join(", ", cpu.Select(c => c.ToString("F2")))} |");
    }
}
Console.WriteLine($"load average after: {LoadAverage()}");

// The 1-, 5- and 15-minute load averages (Linux), to judge how busy the shared machine was.
static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
