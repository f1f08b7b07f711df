using System.Buffers.Binary;
using EdgeLowRank.FixtureGenerator;
using EdgeLowRank.Runtime.Format;

// Writes NAME.elr, NAME.input.f32 and NAME.expected.f32 for every fixture network into the folder
// given as the only argument (default: tests/fixtures beside this project). Same seeds, same bytes.
const int Batch = 4;
const ulong InputSeed = 4242;

string output = args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "../../../../fixtures");
Directory.CreateDirectory(output);
foreach (NetSpec net in FixtureNets.All())
{
    using var model = net.ToModel();
    ModelWriter.Write(model, Path.Combine(output, net.Name + ".elr"));
    var rng = new SplitMix64(InputSeed ^ net.Seed);
    int features = model.InputShape.ElementCount, outputs = model.OutputShape.ElementCount;
    float[] inputs = new float[Batch * features];
    for (int i = 0; i < inputs.Length; i++) inputs[i] = rng.NextUnit();
    float[] expected = new float[Batch * outputs];
    for (int b = 0; b < Batch; b++)
    {
        double[] y = ReferenceForward.Run(net.InputShape, net.Layers, net.Int8, inputs.AsSpan(b * features, features));
        for (int n = 0; n < outputs; n++) expected[b * outputs + n] = (float)y[n];
    }
    File.WriteAllBytes(Path.Combine(output, net.Name + ".input.f32"), LittleEndian(inputs));
    File.WriteAllBytes(Path.Combine(output, net.Name + ".expected.f32"), LittleEndian(expected));
    Console.WriteLine($"{net.Name}: {model.Layers.Count} layers, {model.ParameterCount} parameters, batch {Batch} × {features} → {outputs}");
}

static byte[] LittleEndian(float[] values)
{
    var bytes = new byte[values.Length * sizeof(float)];
    for (int i = 0; i < values.Length; i++)
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
    return bytes;
}
