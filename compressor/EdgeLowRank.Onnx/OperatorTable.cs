namespace EdgeLowRank.Onnx;

/// <summary>
/// The one list of the default-domain operators this import reads: each with its inputs and outputs as ONNX's operator
/// schema gives them (<see cref="OperatorArity"/> refuses a node that does not fit them), and how a refusal describes what
/// the import makes of it: as an operator of a supported graph (<see cref="Supported"/>, in the message for an operator the
/// import does not read), and as the runtime's activations it gives (<see cref="Activations"/>, in the message for GELU). An
/// operator read only as a weight, a shape computation, a part of another's form or one refused with a message of its own has
/// no description. Adding an operator is adding its row here and its case to <see cref="GraphWalk"/>'s walk (and its row to
/// docs/ONNX.md's table, which says what each becomes in more detail than a message can).
/// </summary>
internal static class OperatorTable
{
    /// <summary>An operator: its <paramref name="Signatures"/>, oldest first (the first is the one of opset 9, or of the opset
    /// that introduced it); the parts of the list of what is supported that it brings (<paramref name="Supported"/>, each
    /// saying how it is read where that is not any use of it: "Conv (group 1, or depthwise ...)"); and the runtime
    /// activations it makes, named for a user choosing one to train with, with the ONNX forms that give them
    /// (<paramref name="Activations"/>: "ReLU6 (Clip(0, 6))").</summary>
    internal sealed record Operator(string Name, OperatorSignature[] Signatures, string[] Supported, string[] Activations);

    private static Operator Op(string name, OperatorSignature[] signatures, string? supported = null, params string[] activations) =>
        new(name, signatures, supported is null ? [] : [supported], activations);

    private static Operator Op(string name, OperatorSignature[] signatures, string[] supported, params string[] activations) =>
        new(name, signatures, supported, activations);

    private static OperatorSignature S(int since, string inputs, int maxOutputs = 1) => OperatorSignature.Of(since, inputs, maxOutputs);

    private const int Any = OperatorSignature.Any;

    /// <summary>In the order the messages list them.</summary>
    private static readonly Operator[] Rows =
    [
        Op("Gemm", [S(9, "A B C"), S(11, "A B C?")], "Gemm"),
        Op("MatMul", [S(9, "A B")], "MatMul"),
        Op("DynamicQuantizeLinear", [S(11, "x", 3)], "quantize_dynamic's matrix product or convolution (DynamicQuantizeLinear, MatMulInteger or ConvInteger, Cast, Mul)"),
        Op("MatMulInteger", [S(10, "A B a_zero_point? b_zero_point?")]),   // part of quantize_dynamic's product
        Op("ConvInteger", [S(10, "x w x_zero_point? w_zero_point?")]),     // part of quantize_dynamic's product
        Op("Cast", [S(9, "input")]),   // part of quantize_dynamic's product, or of a shape computation
        Op("Add", [S(9, "A B")], "Add (a bias, or a residual connection)"),
        Op("Sum", [S(9, "data_0...")], "Sum (a residual connection)"),
        Op("Conv", [S(9, "X W B?")], "Conv (group 1, or depthwise with a depth multiplier of 1)"),
        Op("BatchNormalization", [S(9, "X scale B mean var", 5), S(14, "X scale B input_mean input_var", 3)], "BatchNormalization"),
        Op("MaxPool", [S(9, "X", 2)], "MaxPool"),
        Op("AveragePool", [S(9, "X")], "AveragePool"),
        Op("GlobalAveragePool", [S(9, "X")], "GlobalAveragePool (of a square image)"),
        Op("Relu", [S(9, "X")], "Relu", "ReLU (Relu, or Clip(0, +∞))"),
        Op("Clip", [S(9, "input"), S(11, "input min? max?")], "Clip(0, 6) (ReLU6), Clip(0, +∞) (a Relu) or Clip without bounds (nothing)", "ReLU6 (Clip(0, 6))"),
        Op("LeakyRelu", [S(9, "X")], "LeakyRelu", "LeakyReLU (LeakyRelu)"),
        Op("Tanh", [S(9, "input")], "Tanh", "Tanh"),
        Op("Sigmoid", [S(9, "X")], ["Sigmoid", "x·Sigmoid(x) (SiLU) as a Sigmoid and a Mul"], "Sigmoid", "SiLU (x·Sigmoid(x))"),
        Op("HardSwish", [S(14, "X")], "HardSwish", "HardSwish"),
        Op("HardSigmoid", [S(9, "X")], ["HardSigmoid", "x·HardSigmoid(x) (hardswish) as a HardSigmoid and a Mul"], "HardSigmoid"),
        Op("Mul", [S(9, "A B")], "Mul (a squeeze-and-excitation gate of one value per channel, Unsqueezed from a vector or not)"),
        Op("Unsqueeze", [S(9, "data"), S(13, "data axes")]),   // part of a squeeze-and-excitation gate
        Op("Concat", [S(9, "inputs...")], "Concat (of computed tensors along the channels: paths joined)"),
        Op("Slice", [S(9, "data"), S(10, "data starts ends axes? steps?")], "Slice (of the channels, step 1)"),
        Op("Split", [S(9, "input", Any), S(13, "input split?", Any)], "Split (of the channels)"),
        Op("ReduceMean", [S(9, "data"), S(18, "data axes?")], "ReduceMean (over the height and width)"),
        Op("Flatten", [S(9, "input")], "Flatten"),
        Op("Squeeze", [S(9, "data"), S(13, "data axes?")], "Squeeze (of axes of size 1, to a vector)"),
        Op("Pad", [S(9, "data"), S(11, "data pads constant_value?"), S(18, "data pads constant_value? axes?")], "Pad (with zeros, of the height and width, before a Conv)"),
        Op("Reshape", [S(9, "data shape")], ["Reshape", "a channel shuffle (Reshape into groups, Transpose, Reshape back)"]),
        Op("Transpose", [S(9, "data")], "Transpose (to channels-last)"),
        Op("Softmax", [S(9, "input")], "Softmax"),
        Op("LogSoftmax", [S(9, "input")], "LogSoftmax (at the end)"),
        Op("Dropout", [S(9, "data", 2), S(12, "data ratio? training_mode?", 2)], "Dropout"),
        Op("Identity", [S(9, "input")], "Identity"),
        Op("Sub", [S(9, "A B")], "Sub, Div, Mul or Add of a constant only before the first layer (the input's normalization)"),
        Op("Div", [S(9, "A B")]),   // only the input's normalization (Sub's entry says it)
        // Weights and shape computations, not steps.
        Op("Constant", [S(9, "")]),
        Op("DequantizeLinear", [S(10, "x x_scale x_zero_point?")]),
        Op("Shape", [S(9, "data")]),
        Op("Gather", [S(9, "data indices")]),
        // Refused by the walk with a message of their own (import the float model, quantize it with elr quantize).
        Op("QuantizeLinear", [S(10, "x y_scale y_zero_point?")]),
        Op("QLinearMatMul", [S(10, "a a_scale a_zero_point b b_scale b_zero_point y_scale y_zero_point")]),
        Op("QLinearConv", [S(10, "x x_scale x_zero_point w w_scale w_zero_point y_scale y_zero_point B?")]),
    ];

    private static readonly IReadOnlyDictionary<string, OperatorSignature[]> ByName = Rows.ToDictionary(r => r.Name, r => r.Signatures);

    /// <summary>What a graph may hold, as a refusal names it: "Gemm, MatMul, ..., and Sub, Div, Mul or Add of a constant only
    /// before the first layer (the input's normalization)".</summary>
    public static readonly string Supported = List(Rows.SelectMany(r => r.Supported).ToArray(), ", and ");

    /// <summary>The element-wise activations the runtime has, as a message names them: "ReLU (Relu, or Clip(0, +∞)), ...,
    /// HardSwish and HardSigmoid".</summary>
    public static readonly string Activations = List(Rows.SelectMany(r => r.Activations).ToArray(), " and ");

    /// <summary>The operators <see cref="Supported"/> describes, which the walk must read as a step (a test holds it to that).</summary>
    public static IEnumerable<string> Described => Rows.Where(r => r.Supported.Length > 0).Select(r => r.Name);

    /// <summary>Whether some part of the import reads the default-domain operator <paramref name="op"/>.</summary>
    public static bool Reads(string op) => ByName.ContainsKey(op);

    /// <summary>The signatures of <paramref name="op"/>, oldest first, or null for an operator the import does not read.</summary>
    public static OperatorSignature[]? Signatures(string op) => ByName.GetValueOrDefault(op);

    private static string List(string[] items, string last) =>
        items.Length < 2 ? string.Join("", items) : string.Join(", ", items[..^1]) + last + items[^1];
}
