namespace EdgeLowRank.Onnx.Tests;

/// <summary><see cref="OperatorTable"/> is the one list of the operators the import reads; what it describes as supported,
/// the walk must have a case for.</summary>
public sealed class OperatorTableTests
{
    public static TheoryData<string> Described => new(OperatorTable.Described);

    /// <summary>An operator given a row and a description but no case in the walk would be refused with a list that names
    /// it: "the operator X is not supported; supported: ..., X, ...". A node of it after a Gemm, its inputs filled in with
    /// weights, may be refused for its form or its place, but not as an operator the import does not read.</summary>
    [Theory, MemberData(nameof(Described))]
    public void TheWalkReadsEveryOperatorTheListOfWhatIsSupportedNames(string op)
    {
        OperatorSignature[] signatures = OperatorTable.Signatures(op)!;
        var g = new GraphBuilder([20], Math.Max(13, signatures[0].Since));
        g.Then("Gemm", [g.Weights("w", [20, 10]), g.Weights("b", [10])]);
        OperatorSignature signature = signatures.Last(s => s.Since <= g.Opset);
        g.Then(op, Enumerable.Range(1, Math.Max(0, signature.Required - 1)).Select(i => g.Weights($"in{i}", [10])).ToArray());

        var e = Record.Exception(() => OnnxImporter.Import(g.Build(10)));

        Assert.DoesNotContain($"the operator {op} is not supported", e?.Message ?? "");
    }
}
