namespace EdgeLowRank.Runtime.Execution;

/// <summary>A public description of one step of a session's plan, for per-layer reports.</summary>
/// <param name="FirstLayer">The index of the first model layer the step runs.</param>
/// <param name="LayerCount">How many consecutive layers it runs (2 when a ReLU is fused).</param>
/// <param name="Name">A short label such as "FactorizedDense+Relu 784→300 (r=30)".</param>
public sealed record SessionStep(int FirstLayer, int LayerCount, string Name);
