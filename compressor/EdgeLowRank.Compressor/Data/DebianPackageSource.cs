namespace EdgeLowRank.Compressor.Data;

/// <summary>
/// Files shipped inside a Debian package. When the package is installed its files are copied from
/// where dpkg put them; otherwise <c>apt-get download</c> fetches the .deb and <c>dpkg -x</c>
/// unpacks it into a scratch folder — neither needs root nor installs anything.
/// </summary>
/// <param name="packageName">The Debian package, e.g. "dataset-fashion-mnist".</param>
/// <param name="timeout">Longest time each of apt-get and dpkg may take.</param>
/// <param name="installedRoot">Where an installed package's paths start: "/" on a real system.</param>
public sealed class DebianPackageSource(string packageName, TimeSpan timeout, string installedRoot = "/") : IDataSource
{
    /// <inheritdoc />
    public string Description => $"Debian package {packageName}";

    /// <inheritdoc />
    public void FetchInto(string directory, IReadOnlyList<PinnedFile> files, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        if (PackageTree.HasAll(installedRoot, files))
        {
            progress?.Report($"copying the installed files of {packageName}");
            PackageTree.CopyOut(installedRoot, files, directory, Description);
            return;
        }

        DirectoryInfo scratch = Directory.CreateTempSubdirectory("elr-deb-");
        try
        {
            progress?.Report($"apt-get download {packageName}");
            ExternalProcess.Run(
                "apt-get",
                ["download", packageName],
                scratch.FullName,
                timeout,
                installHint: "this data set comes from a Debian package: use a Debian-based system with apt-get and dpkg.",
                // The network first: offline, apt says "Temporary failure resolving" and an update would fail the same way.
                failureHint: $"check the network (apt-get fetches the package from the distribution's mirrors); if apt says it is unable "
                    + $"to locate {packageName}, run 'apt-get update' (as root) first; then retry.",
                cancellationToken);

            string deb = PackageTree.SingleFile(scratch.FullName, "*.deb", $"apt-get download {packageName}");
            string extracted = Path.Combine(scratch.FullName, "extracted");
            progress?.Report($"dpkg -x {Path.GetFileName(deb)}");
            ExternalProcess.Run(
                "dpkg",
                ["-x", deb, extracted],
                scratch.FullName,
                timeout,
                installHint: "install dpkg (it comes with every Debian-based system).",
                failureHint: "the downloaded .deb may be damaged: run 'apt-get clean' and retry.",
                cancellationToken);

            PackageTree.CopyOut(extracted, files, directory, Description);
        }
        finally
        {
            PackageTree.DeleteQuietly(scratch.FullName);
        }
    }
}
