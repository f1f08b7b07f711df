namespace EdgeLowRank.Runtime.Execution;

/// <summary>A public description of one step of a session's plan, for per-layer reports.</summary>
/// <param name="Name">A short label such as "FactorizedDense+Relu 784→300 (r=30)", or "FactorizedDense+Relu 784→300 uint8×int8
/// (r=30)" for a layer that quantizes its inputs and multiplies in integers.</param>
public sealed record SessionStep(string Name);
