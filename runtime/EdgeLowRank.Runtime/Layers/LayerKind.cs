namespace EdgeLowRank.Runtime.Layers;

/// <summary>The operation a layer performs. The numeric values are the layer codes of the .elr format.</summary>
public enum LayerKind : uint
{
    /// <summary>y = act(xW + b).</summary>
    Dense = 1,
    /// <summary>y = act((xA)B + b), A: in×r, B: r×out.</summary>
    FactorizedDense = 2,
    /// <summary>y = max(0, x), element-wise.</summary>
    Relu = 3,
    /// <summary>y = exp(x - max x) / Σ exp(x - max x) over the last dimension.</summary>
    Softmax = 4,
    /// <summary>Reshapes an image (h×w×c) to a vector of h·w·c, in channels-last order.</summary>
    Flatten = 5,
    /// <summary>A k×k convolution over a channels-last image (format 1.1).</summary>
    Conv2d = 6,
    /// <summary>A k×k convolution to r channels followed by a 1×1 convolution (format 1.1).</summary>
    FactorizedConv2d = 7,
    /// <summary>Max pooling (format 1.1).</summary>
    MaxPool2d = 8,
    /// <summary>y = tanh(x), element-wise (format 1.4).</summary>
    Tanh = 9,
    /// <summary>y = 1 / (1 + exp(−x)), element-wise (format 1.4).</summary>
    Sigmoid = 10,
    /// <summary>Average pooling over windows without padding (format 1.4).</summary>
    AvgPool2d = 11,
    /// <summary>A k×k convolution of each channel by its own filter, c_out = c_in (format 1.5).</summary>
    DepthwiseConv2d = 12,
    /// <summary>y = act(x + a): the input plus an earlier activation of the same shape, a residual connection (format 1.6).</summary>
    Add = 13,
    /// <summary>y = min(max(x, 0), 6), element-wise: ReLU6, MobileNet's activation (format 1.6).</summary>
    Relu6 = 14,
    /// <summary>The chain continues from an earlier activation: a branch such as a projection shortcut starts (format 1.7).</summary>
    Branch = 15,
    /// <summary>y = [a, x]: an earlier activation's channels and then the input's, stacked (format 1.8).</summary>
    Concat = 16,
    /// <summary>y = x[…, s … s + n − 1]: a run of the input's channels (format 1.8).</summary>
    ChannelSlice = 17,
    /// <summary>The channels dealt one from each of g groups in turn: ShuffleNet's channel shuffle (format 1.8).</summary>
    ChannelShuffle = 18,
    /// <summary>y = x·min(max(x + 3, 0), 6) / 6, element-wise: MobileNetV3's hard swish (format 1.9).</summary>
    HardSwish = 19,
    /// <summary>y = min(max(αx + β, 0), 1), element-wise: the hard sigmoid, MobileNetV3's gate (format 1.9).</summary>
    HardSigmoid = 20,
    /// <summary>y = x·σ(x) = x / (1 + exp(−x)), element-wise: SiLU or swish, EfficientNet's activation (format 1.9).</summary>
    Silu = 21,
    /// <summary>y = a ⊙ x: each channel of an earlier activation times the input's value for it, squeeze-and-excitation's
    /// scaling (format 1.9).</summary>
    ChannelScale = 22,
    /// <summary>y = x for x ≥ 0, αx below, element-wise: the leaky ReLU, with the slope α its layer stores (format 1.12).</summary>
    LeakyRelu = 23,
}
