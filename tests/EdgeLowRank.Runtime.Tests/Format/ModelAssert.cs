using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Tests.Format;

/// <summary>Asserts two models hold the same shapes, layers, weights (bit for bit) and metadata.</summary>
internal static class ModelAssert
{
    public static void Same(Model expected, Model actual)
    {
        Assert.Equal(expected.InputShape, actual.InputShape);
        Assert.Equal(expected.OutputShape, actual.OutputShape);
        Assert.Equal(expected.Metadata, actual.Metadata);
        Assert.Equal(expected.Layers.Count, actual.Layers.Count);
        for (int i = 0; i < expected.Layers.Count; i++)
        {
            Layer e = expected.Layers[i], a = actual.Layers[i];
            Assert.Equal(e.GetType(), a.GetType());
            Assert.Equal((e.Kind, e.Method, e.Rank, e.ParameterCount), (a.Kind, a.Method, a.Rank, a.ParameterCount));
            Assert.Equal((e.Label, e.Activation, e.InputQuantization), (a.Label, a.Activation, a.InputQuantization)); // an Add's, Branch's or Concat's source, a Concat's order
            Assert.Equal(e.MultiplyAccumulates(expected.InputShapeOf(i)), a.MultiplyAccumulates(actual.InputShapeOf(i)));
            switch (e, a)
            {
                case (DenseLayer ed, DenseLayer ad):
                    Assert.Equal(ed.Activation, ad.Activation);
                    Same(ed.Weights, ad.Weights);
                    Assert.Equal(ed.Bias.ToArray(), ad.Bias.ToArray());
                    break;
                case (FactorizedDenseLayer ef, FactorizedDenseLayer af):
                    Assert.Equal(ef.Activation, af.Activation);
                    Same(ef.First, af.First);
                    Same(ef.Second, af.Second);
                    Assert.Equal(ef.Bias.ToArray(), af.Bias.ToArray());
                    break;
                case (Conv2dLayer ec, Conv2dLayer ac):
                    Assert.Equal((ec.Activation, ec.Geometry, ec.InputChannels), (ac.Activation, ac.Geometry, ac.InputChannels));
                    Same(ec.Weights, ac.Weights);
                    Assert.Equal(ec.Bias.ToArray(), ac.Bias.ToArray());
                    break;
                case (FactorizedConv2dLayer ef, FactorizedConv2dLayer af):
                    Assert.Equal((ef.Activation, ef.Geometry, ef.InputChannels), (af.Activation, af.Geometry, af.InputChannels));
                    Same(ef.First, af.First);
                    Same(ef.Second, af.Second);
                    Assert.Equal(ef.Bias.ToArray(), af.Bias.ToArray());
                    break;
                case (DepthwiseConv2dLayer ed, DepthwiseConv2dLayer ad):
                    Assert.Equal((ed.Activation, ed.Geometry, ed.Channels), (ad.Activation, ad.Geometry, ad.Channels));
                    Assert.Equal(ed.Filters.ToArray(), ad.Filters.ToArray());
                    Assert.Equal(ed.Bias.ToArray(), ad.Bias.ToArray());
                    break;
                case (PoolLayer ep, PoolLayer ap):
                    Assert.Equal(ep.Geometry, ap.Geometry);
                    break;
            }
        }
    }

    private static void Same(PackedMatrix expected, PackedMatrix actual)
    {
        Assert.Equal((expected.Rows, expected.Columns, expected.ElementType), (actual.Rows, actual.Columns, actual.ElementType));
        Assert.True(expected.Data.Span.SequenceEqual(actual.Data.Span), "packed weights differ");
        Assert.True(expected.Quantized.Span.SequenceEqual(actual.Quantized.Span), "packed int8 weights differ");
        Assert.True(expected.Scales.Span.SequenceEqual(actual.Scales.Span), "int8 scales differ");
    }
}
