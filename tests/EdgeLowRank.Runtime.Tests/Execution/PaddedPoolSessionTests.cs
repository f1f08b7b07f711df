using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Tests.Execution;

/// <summary>Padded max pooling (format 1.7; per side since 1.13) in a session: the vector paths pool a −∞-bordered copy, the
/// scalar path skips the pixels outside the image, and both give each window's maximum over the pixels inside it.</summary>
public class PaddedPoolSessionTests
{
    /// <summary>Windows as the layer takes them: ResNet's stem (3, 2, padding 1), Keras' SAME over the 7×6 image (3, 2; top
    /// 1, left 0, bottom 1, right 1) and a 2/2 SAME over it (0, 0, 1, 0), PyTorch's padding='same' with an even window
    /// (4, 1; 1, 1, 2, 2), and sides padded on opposite edges (3, 1; 2, 0, 0, 2).</summary>
    public static TheoryData<KernelPath, int, int, int, int, int, int> PathsAndWindows()
    {
        var data = new TheoryData<KernelPath, int, int, int, int, int, int>();
        foreach (KernelPath path in InferenceSessionTests.Paths)
            foreach ((int size, int stride, WindowPadding p) in (ValueTuple<int, int, WindowPadding>[])[(3, 2, WindowPadding.Even(1)),
                (3, 2, new(1, 0, 1, 1)), (2, 2, new(0, 0, 1, 0)), (4, 1, new(1, 1, 2, 2)), (3, 1, new(2, 0, 0, 2))])
                data.Add(path, size, stride, p.Top, p.Left, p.Bottom, p.Right);
        return data;
    }

    [Theory]
    [MemberData(nameof(PathsAndWindows))]
    public void Every_path_gives_the_maximum_over_the_pixels_inside_each_window(KernelPath path, int size, int stride, int top, int left, int bottom, int right)
    {
        const int height = 7, width = 6;
        var pads = new WindowPadding(top, left, bottom, right);
        // 1 channel: the scalar loop on every path; 5: four lanes on x64; 21: Vector<float> with an overlapping last vector.
        foreach (int channels in new[] { 1, 5, 21 })
        {
            using var model = new Model(new TensorShape(height, width, channels), [new MaxPool2dLayer(size, stride, pads)], new ModelMetadata());
            float[] image = TestModels.RandomFloats(new Random(channels), height * width * channels, 3f).Select(v => v - 2).ToArray(); // mostly negative
            float[] expected = Oracle(image, height, width, channels, size, stride, pads);
            using var session = new InferenceSession(model, new SessionOptions { KernelPath = path });
            var pooled = new float[session.OutputLength * 2];

            session.Run([.. image, .. image], pooled, 2);

            Assert.Equal([.. expected, .. expected], pooled);
        }
    }

    [Fact]
    public void A_window_of_negative_pixels_gives_their_maximum_not_the_padding()
    {
        using var model = new Model(new TensorShape(2, 2, 1), [new MaxPool2dLayer(3, 2, 1)], new ModelMetadata());
        using var session = new InferenceSession(model);
        var pooled = new float[1];

        session.Run([-4f, -2f, -3f, -5f], pooled);

        Assert.Equal(-2f, pooled[0]); // a zero padding would have given 0
    }

    [Fact]
    public void The_writer_sets_the_required_feature_only_for_padded_pooling_and_the_reader_gets_the_padding_back()
    {
        using var padded = new Model(new TensorShape(6, 6, 2), [new MaxPool2dLayer(3, 2, 1)], new ModelMetadata());
        using var plain = new Model(new TensorShape(6, 6, 2), [new MaxPool2dLayer(3, 2)], new ModelMetadata());
        byte[] paddedFile = ModelWriter.ToArray(padded), plainFile = ModelWriter.ToArray(plain);

        Assert.Equal(4u, BitConverter.ToUInt32(paddedFile, FileLayout.Header.RequiredFlags) & 4u);
        Assert.Equal(0u, BitConverter.ToUInt32(plainFile, FileLayout.Header.RequiredFlags) & 4u);
        using Model read = ModelReader.Load(paddedFile);
        Assert.Equal(new ConvolutionGeometry(3, 2, 1), ((MaxPool2dLayer)read.Layers[0]).Geometry);
        Assert.Equal(new TensorShape(3, 3, 2), read.OutputShape);
    }

    [Fact]
    public void Average_pooling_takes_no_padding()
    {
        Assert.Throws<ArgumentException>(() => new MaxPool2dLayer(3, 1, 3)); // padding below the window
        Assert.DoesNotContain(typeof(AvgPool2dLayer).GetConstructors(), c => c.GetParameters().Any(p => p.Name == "padding"));
    }

    /// <summary>Each window's maximum over the pixels inside the image, in double-checked plain loops.</summary>
    private static float[] Oracle(float[] image, int height, int width, int channels, int size, int stride, WindowPadding pads)
    {
        int outHeight = (height + pads.Top + pads.Bottom - size) / stride + 1, outWidth = (width + pads.Left + pads.Right - size) / stride + 1;
        var pooled = new float[outHeight * outWidth * channels];
        for (int oy = 0; oy < outHeight; oy++)
        for (int ox = 0; ox < outWidth; ox++)
        for (int c = 0; c < channels; c++)
        {
            float max = float.NegativeInfinity;
            for (int y = Math.Max(0, oy * stride - pads.Top); y < Math.Min(height, oy * stride - pads.Top + size); y++)
            for (int x = Math.Max(0, ox * stride - pads.Left); x < Math.Min(width, ox * stride - pads.Left + size); x++)
                max = Math.Max(max, image[(y * width + x) * channels + c]);
            pooled[(oy * outWidth + ox) * channels + c] = max;
        }
        return pooled;
    }
}
