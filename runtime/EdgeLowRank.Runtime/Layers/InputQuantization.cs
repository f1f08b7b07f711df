namespace EdgeLowRank.Runtime.Layers;

/// <summary>How a matrix layer (Dense, FactorizedDense, and since 1.11 Conv2d and FactorizedConv2d) with int8 weights computes its products (docs/FORMAT.md, "Int8
/// arithmetic"). Both keep the weights int8 in memory; they differ in the arithmetic.</summary>
public enum InputQuantization : uint
{
    /// <summary>The inputs stay f32, the int8 weights are widened to f32 as they are read, and the sums are f32
    /// (weight-only quantization; the only kind before format 1.10).</summary>
    None = 0,

    /// <summary>Since format 1.10: each sample's inputs are quantized as the layer runs, asymmetrically to uint8 with a scale
    /// and zero point of their own (TensorFlow Lite's dynamic-range quantization with asymmetric inputs, per sample; ONNX
    /// Runtime's DynamicQuantizeLinear, per sample rather than per batch), and multiplied by the int8 weights in exact
    /// integer arithmetic; the int32 sums are then scaled back to f32. A sample is a dense layer's row and, since 1.11, a
    /// convolution's whole image (ONNX Runtime's ConvInteger after DynamicQuantizeLinear at batch 1), its padding the zero
    /// point. Every weight matrix of the layer must be int8.</summary>
    Dynamic = 1,
}
