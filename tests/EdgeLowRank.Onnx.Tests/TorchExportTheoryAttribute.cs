namespace EdgeLowRank.Onnx.Tests;

/// <summary>
/// A theory on the files of <see cref="TorchExports"/>. As the compressor tests' RealDataFact does for data sets, the
/// decision is made when tests are discovered (xunit 2 cannot skip from inside a test): locally, without the files the
/// test is skipped with the reason shown by the runner; with CI=true it is never skipped, so missing files fail it (through
/// <see cref="TorchExports.Load"/>) instead of passing silently.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class TorchExportTheoryAttribute : TheoryAttribute
{
    public TorchExportTheoryAttribute()
    {
        if (!TorchExports.RunningInCi && !TorchExports.Present)
        {
            Skip = $"no torch.onnx.export files in ${TorchExports.EnvironmentVariable} ({TorchExports.Folder ?? "unset"}): install Debian's "
                + "python3-torch and python3-torchvision, run /usr/bin/python3 scripts/export-torch-models.py DIR and set "
                + $"{TorchExports.EnvironmentVariable}=DIR (CI=true turns this skip into a failure).";
        }
    }
}
