using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Export;

/// <summary>What <c>elr quantize --activations</c> does with the inputs of the layers whose weights become int8.</summary>
public enum ActivationQuantization
{
    /// <summary>The inputs and the arithmetic stay f32 (weight-only quantization; the default, and the only kind before format 1.10).</summary>
    Float,

    /// <summary>Every Dense, FactorizedDense, Conv2d and FactorizedConv2d layer with int8 weights quantizes each sample's inputs
    /// to uint8 as it runs (a convolution each image with one scale) and multiplies in integers
    /// (<see cref="InputQuantization.Dynamic"/>): TensorFlow Lite's dynamic-range quantization, ONNX Runtime's quantize_dynamic.
    /// Depthwise convolutions stay weight-only (their filters stay f32).</summary>
    Dynamic,
}
