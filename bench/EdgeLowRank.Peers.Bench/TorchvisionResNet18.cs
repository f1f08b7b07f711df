using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Peers.Bench;

/// <summary>
/// torchvision's resnet18 as the runtime holds it after an ONNX import, with its batch normalizations folded into the
/// convolutions: conv 7×7 stride 2 padding 3 to 64 channels (ReLU), max-pool 3×3 stride 2 padding 1, four stages of two
/// basic blocks (64, 128, 256, 512 channels; the first block of stages 2–4 downsamples with conv 3×3 stride 2 and a 1×1
/// stride-2 projection behind a Branch), global average pooling, dense 512→1000; 224×224×3 images, 11.7 million
/// parameters, 1.8 billion multiply-adds. Weights are seeded Kaiming-uniform: the benchmark times the structure, not a
/// trained network.
/// </summary>
internal static class TorchvisionResNet18
{
    public static Model Build(int seed = 18)
    {
        var random = new Random(seed);
        var layers = new List<Layer> { Convolution(random, 3, 64, 7, 2, 3, Activation.Relu), new MaxPool2dLayer(3, 2, 1) };
        int channels = 64;
        foreach (int width in new[] { 64, 128, 256, 512 })
            for (int block = 0; block < 2; block++)
            {
                int input = layers.Count, stride = block == 0 && width != 64 ? 2 : 1;
                layers.Add(Convolution(random, channels, width, 3, stride, 1, Activation.Relu));
                layers.Add(Convolution(random, width, width, 3, 1, 1, Activation.None));
                if (stride == 2)
                {
                    int mainPath = layers.Count;
                    layers.Add(new BranchLayer(input));
                    layers.Add(Convolution(random, channels, width, 1, 2, 0, Activation.None)); // torchvision's `downsample`
                    layers.Add(new AddLayer(mainPath, Activation.Relu));
                }
                else layers.Add(new AddLayer(input, Activation.Relu));
                channels = width;
            }
        layers.Add(new AvgPool2dLayer(7, 7));
        layers.Add(new FlattenLayer());
        layers.Add(new DenseLayer(Matrix(random, 512, 1000), Vector(random, 1000, 1 / MathF.Sqrt(512))));
        return new Model(new TensorShape(224, 224, 3), layers, new ModelMetadata { Producer = "EdgeLowRank.Peers.Bench" });
    }

    private static Conv2dLayer Convolution(Random random, int inputs, int outputs, int kernel, int stride, int padding, Activation activation)
    {
        int rows = kernel * kernel * inputs;
        return new Conv2dLayer(Matrix(random, rows, outputs), Vector(random, outputs, 1 / MathF.Sqrt(rows)), inputs,
            new ConvolutionGeometry(kernel, stride, padding), activation);
    }

    /// <summary>Kaiming-uniform: U(±√(6/rows)).</summary>
    private static PackedMatrix Matrix(Random random, int rows, int columns) =>
        PackedMatrix.FromRowMajor(Vector(random, rows * columns, MathF.Sqrt(6f / rows)).ToArray(), rows, columns);

    private static ReadOnlyMemory<float> Vector(Random random, int length, float bound) =>
        Enumerable.Range(0, length).Select(_ => bound * (2 * random.NextSingle() - 1)).ToArray();
}
