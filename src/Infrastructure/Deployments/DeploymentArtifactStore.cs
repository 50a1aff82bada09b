using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using FunctionsPlatform.Application.Abstractions.Deployments;
using FunctionsPlatform.Application.Abstractions.Storage;
using FunctionsPlatform.Application.Deployments;

namespace FunctionsPlatform.Infrastructure.Deployments;

/// <summary>
/// Build directories under <c>{DataDirectory}/builds/</c> and artifacts under <c>{DataDirectory}/artifacts/{sha256}/</c>:
/// a finished build directory is hashed (paths, kinds, executable bits, contents, link targets; links never followed)
/// and renamed to its hash, so equal output is kept once and an execution finds its code on disk, extracted.
/// </summary>
internal sealed class DeploymentArtifactStore(
    StorageOptions storage,
    IBlobStorage blobs,
    SafeArchiveExtractor extractor,
    DeploymentSettings deployments,
    BuildSettings builds) : IDeploymentArtifacts
{
    private string BuildsRoot => Path.Combine(storage.DataDirectory, "builds");

    private string ArtifactsRoot => Path.Combine(storage.DataDirectory, "artifacts");

    public async Task<string> ExtractSourceAsync(string sourceKey, CancellationToken ct)
    {
        Directory.CreateDirectory(BuildsRoot);
        var directory = Path.Combine(BuildsRoot, Guid.NewGuid().ToString("N"));
        await using var source = await blobs.OpenAsync(sourceKey, ct)
            ?? throw new FileNotFoundException("The deployment's source archive is missing from storage.");
        await extractor.ExtractAsync(source, directory, new ArchiveLimits(deployments.MaxExtractedBytes, deployments.MaxArchiveEntries), ct);
        return directory;
    }

    public Task<BuildArtifact> StoreAsync(string buildDirectory, CancellationToken ct)
    {
        var (key, size) = Hash(buildDirectory, builds.MaxOutputBytes, ct);
        Directory.CreateDirectory(ArtifactsRoot);
        // The executor binds the artifact read-only into the sandbox, whose user must read it whatever the server's umask.
        BuildDirectoryTree.TakeBack(buildDirectory, changeOwner: false);

        var target = Path.Combine(ArtifactsRoot, key);
        if (Directory.Exists(target))
        {
            DiscardBuildDirectory(buildDirectory); // equal output is stored already
        }
        else
        {
            try
            {
                Directory.Move(buildDirectory, target);
            }
            catch (IOException) when (Directory.Exists(target))
            {
                DiscardBuildDirectory(buildDirectory); // an equal build finished at the same moment
            }
        }

        return Task.FromResult(new BuildArtifact(key, size, target));
    }

    public string? Find(string artifactKey)
    {
        if (!IsKey(artifactKey))
        {
            return null;
        }

        var directory = Path.Combine(ArtifactsRoot, artifactKey);
        return Directory.Exists(directory) ? directory : null;
    }

    public async Task<Stream> OpenArchiveAsync(string artifactKey, CancellationToken ct)
    {
        var directory = Find(artifactKey) ?? throw new FileNotFoundException("The deployment's build output is missing from storage.");
        Directory.CreateDirectory(BuildsRoot);
        var temp = Path.Combine(BuildsRoot, $".archive-{Guid.NewGuid():N}.tar.gz");
        await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
        await using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        {
            await TarFile.CreateFromDirectoryAsync(directory, gzip, includeBaseDirectory: false, ct);
        }

        return new FileStream(temp, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, FileOptions.Asynchronous | FileOptions.DeleteOnClose);
    }

    public void DiscardBuildDirectory(string buildDirectory)
    {
        try
        {
            if (Directory.Exists(buildDirectory))
            {
                Directory.Delete(buildDirectory, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A build that left unremovable files costs disk only; it is never run.
        }
    }

    public Task DeleteAsync(string artifactKey, CancellationToken ct)
    {
        if (Find(artifactKey) is { } directory)
        {
            Directory.Delete(directory, recursive: true);
        }

        return Task.CompletedTask;
    }

    private static bool IsKey(string key) => key.Length == 64 && key.All(char.IsAsciiHexDigitLower);

    /// <summary>The tree's content hash and the bytes of its files; refuses an output over the limit as soon as it is passed.</summary>
    private static (string Key, long Size) Hash(string root, long maxBytes, CancellationToken ct)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long size = 0;
        var buffer = new byte[81920];
        var pending = new Stack<string>();
        pending.Push(root);
        var entries = new List<string>();
        while (pending.Count > 0)
        {
            var directory = pending.Pop();
            foreach (var entry in Directory.EnumerateFileSystemEntries(directory))
            {
                entries.Add(entry);
                if (Directory.Exists(entry) && new DirectoryInfo(entry).LinkTarget is null)
                {
                    pending.Push(entry);
                }
            }
        }

        foreach (var entry in entries.OrderBy(e => e, StringComparer.Ordinal))
        {
            ct.ThrowIfCancellationRequested();
            var relative = Path.GetRelativePath(root, entry).Replace(Path.DirectorySeparatorChar, '/');
            var info = new FileInfo(entry);
            if (info.LinkTarget is { } link)
            {
                Append(sha, "L", relative, link);
            }
            else if (Directory.Exists(entry))
            {
                Append(sha, "D", relative, "");
            }
            else
            {
                size += info.Length;
                if (size > maxBytes)
                {
                    throw new BuildOutputTooLargeException(maxBytes);
                }

                var executable = !OperatingSystem.IsWindows() && (info.UnixFileMode & UnixFileMode.UserExecute) != 0;
                Append(sha, executable ? "X" : "F", relative, info.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
                using var file = new FileStream(entry, FileMode.Open, FileAccess.Read, FileShare.Read, 81920);
                int read;
                while ((read = file.Read(buffer)) > 0)
                {
                    sha.AppendData(buffer, 0, read);
                }
            }
        }

        return (Convert.ToHexStringLower(sha.GetHashAndReset()), size);
    }

    private static void Append(IncrementalHash sha, string kind, string path, string detail)
    {
        sha.AppendData(Encoding.UTF8.GetBytes(kind));
        sha.AppendData([0]);
        sha.AppendData(Encoding.UTF8.GetBytes(path));
        sha.AppendData([0]);
        sha.AppendData(Encoding.UTF8.GetBytes(detail));
        sha.AppendData([0]);
    }
}
