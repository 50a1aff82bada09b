using System.Formats.Tar;
using System.IO.Compression;
using FunctionsPlatform.Application.Abstractions.Deployments;

namespace FunctionsPlatform.Infrastructure.Deployments;

/// <summary>How much one archive may expand to.</summary>
public sealed record ArchiveLimits(long MaxExtractedBytes, int MaxEntries);

/// <summary>
/// Extracts an uploaded <c>.tar.gz</c> (the largest attack surface there is: anyone with a deploy key writes it) into a
/// directory, or refuses it whole with <see cref="InvalidArchiveException"/>. Refused: a stream that is not gzip or not
/// tar, a truncated one, more than the limits (bytes, entries), entries named with an absolute path, a <c>..</c> segment,
/// NUL or invalid UTF-8, symbolic links resolving outside the root, hard links to anything but a file extracted before,
/// device files, FIFOs and other special entries, and any entry written through a symbolic link. Everything is written
/// into a fresh staging directory beside the target and renamed into place only when complete, so nothing
/// half-extracted is ever run. Files get mode 0644 or 0755 (no setuid/setgid, no group or world write).
/// </summary>
public sealed class SafeArchiveExtractor
{
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode ExecutableMode = FileMode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
    private const UnixFileMode DirectoryMode = ExecutableMode | UnixFileMode.UserWrite;

    /// <summary>Extracts into <paramref name="targetDirectory"/>, which must not exist yet; its parent must.</summary>
    public async Task ExtractAsync(Stream archive, string targetDirectory, ArchiveLimits limits, CancellationToken ct)
    {
        var target = Path.GetFullPath(targetDirectory);
        var staging = Path.Combine(Path.GetDirectoryName(target)!, ".extract-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(staging);
        try
        {
            await ExtractIntoAsync(archive, staging, limits, ct);
            Directory.Move(staging, target);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    private static async Task ExtractIntoAsync(Stream archive, string root, ArchiveLimits limits, CancellationToken ct)
    {
        await EnsureGzipAsync(archive, ct);
        // Headers and padding cost up to 1.5 KiB per entry on top of the content.
        var streamLimit = limits.MaxExtractedBytes + (limits.MaxEntries * 1536L) + (2 * TarHeaderGuardStream.MaxMetadataBytes);
        await using var gzip = new GZipStream(archive, CompressionMode.Decompress, leaveOpen: true);
        await using var guard = new TarHeaderGuardStream(gzip, streamLimit);
        var state = new ExtractionState(root, limits);
        try
        {
            await using var reader = new TarReader(guard, leaveOpen: true);
            while (await reader.GetNextEntryAsync(copyData: false, ct) is { } entry)
            {
                await ExtractEntryAsync(entry, state, ct);
            }

            if (!guard.SawEndOfArchive)
            {
                throw new InvalidArchiveException(state.Entries == 0 ? "The archive is not a tar archive." : "The archive is truncated.");
            }

            // The rest is padding; reading it to the end makes the decompressor check the gzip trailer (CRC and length).
            await guard.CopyToAsync(Stream.Null, ct);
        }
        catch (NotSupportedException ex)
        {
            throw new InvalidArchiveException($"The archive holds an unsupported entry ({ex.Message})");
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or FormatException or ArgumentException or OverflowException)
        {
            throw new InvalidArchiveException(state.Entries == 0 && ex is not EndOfStreamException
                ? "The archive is not a tar archive."
                : $"The archive is truncated or corrupt ({ex.Message})");
        }

        state.VerifySymbolicLinks();
    }

    private static async Task EnsureGzipAsync(Stream archive, CancellationToken ct)
    {
        if (!archive.CanSeek)
        {
            return; // the decompressor refuses a bad header just the same, only less precisely
        }

        var magic = new byte[2];
        var start = archive.Position;
        var read = await archive.ReadAtLeastAsync(magic, 2, throwOnEndOfStream: false, ct);
        archive.Position = start;
        if (read < 2 || magic[0] != 0x1f || magic[1] != 0x8b)
        {
            throw new InvalidArchiveException(read == 0 ? "The archive is empty." : "The archive is not gzip-compressed.");
        }
    }

    private static async Task ExtractEntryAsync(TarEntry entry, ExtractionState state, CancellationToken ct)
    {
        if (entry.EntryType == TarEntryType.GlobalExtendedAttributes)
        {
            return; // metadata for the entries that follow; nothing to write
        }

        state.CountEntry();
        var name = state.Relative(entry.Name, "entry");
        if (name.Length == 0)
        {
            return; // the root itself ("./")
        }

        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                state.CreateDirectory(name);
                break;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                await state.WriteFileAsync(name, entry.DataStream, entry.Length, IsExecutable(entry.Mode), ct);
                break;
            case TarEntryType.SymbolicLink:
                state.CreateSymbolicLink(name, entry.LinkName);
                break;
            case TarEntryType.HardLink:
                await state.CopyHardLinkAsync(name, entry.LinkName, ct);
                break;
            case TarEntryType.CharacterDevice or TarEntryType.BlockDevice or TarEntryType.Fifo:
                throw new InvalidArchiveException($"'{name}' is a device file or FIFO; archives may hold files, directories and links only.");
            default:
                throw new InvalidArchiveException($"'{name}' is an unsupported archive entry ({entry.EntryType}).");
        }
    }

    private static bool IsExecutable(UnixFileMode mode) =>
        (mode & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;

    /// <summary>What is extracted so far: counts against the limits, and the links, so nothing is written through one.</summary>
    private sealed class ExtractionState(string root, ArchiveLimits limits)
    {
        private readonly HashSet<string> _symbolicLinks = new(StringComparer.Ordinal);
        private readonly HashSet<string> _files = new(StringComparer.Ordinal);
        private long _bytes;

        public int Entries { get; private set; }

        public void CountEntry()
        {
            if (++Entries > limits.MaxEntries)
            {
                throw new InvalidArchiveException($"The archive holds more than {limits.MaxEntries} entries.");
            }
        }

        /// <summary>The entry's path relative to the root, normalised ("./a//b/" → "a/b"); refuses every way out of the root.</summary>
        public string Relative(string name, string what)
        {
            if (name.Contains('\0'))
            {
                throw new InvalidArchiveException($"An archive {what} name contains a NUL character.");
            }

            if (name.Contains('\uFFFD'))
            {
                throw new InvalidArchiveException($"An archive {what} name is not valid UTF-8.");
            }

            if (name.StartsWith('/'))
            {
                throw new InvalidArchiveException($"'{name}' is an absolute path.");
            }

            var segments = name.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(s => s != ".").ToList();
            if (segments.Contains(".."))
            {
                throw new InvalidArchiveException($"'{name}' leaves the archive root ('..').");
            }

            return string.Join('/', segments);
        }

        public void CreateDirectory(string name)
        {
            EnsureNoLinkOnTheWay(name, includeSelf: true);
            var path = Full(name);
            if (File.Exists(path))
            {
                throw new InvalidArchiveException($"'{name}' is both a file and a directory.");
            }

            CreateDirectoryWithMode(path);
        }

        public async Task WriteFileAsync(string name, Stream? content, long length, bool executable, CancellationToken ct)
        {
            Charge(length, name);
            var path = PrepareLeaf(name);
            await using (var file = NewFile(path, executable))
            {
                if (content is not null)
                {
                    var copied = await CopyBoundedAsync(content, file, length, ct);
                    if (copied != length)
                    {
                        throw new InvalidArchiveException("The archive is truncated.");
                    }
                }
            }

            _files.Add(name);
        }

        public void CreateSymbolicLink(string name, string target)
        {
            if (target.Length == 0 || target.Contains('\0') || target.Contains('\uFFFD'))
            {
                throw new InvalidArchiveException($"'{name}' is a symbolic link with an invalid target.");
            }

            if (target.StartsWith('/'))
            {
                throw new InvalidArchiveException($"'{name}' is a symbolic link to an absolute path.");
            }

            var resolved = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Full(name))!, target));
            if (!Inside(resolved))
            {
                throw new InvalidArchiveException($"'{name}' is a symbolic link pointing outside the archive.");
            }

            var path = PrepareLeaf(name);
            File.CreateSymbolicLink(path, target);
            _symbolicLinks.Add(name);
        }

        public async Task CopyHardLinkAsync(string name, string target, CancellationToken ct)
        {
            var source = Relative(target, "link target");
            if (!_files.Contains(source))
            {
                throw new InvalidArchiveException($"'{name}' is a hard link to '{target}', which is not a file extracted before it.");
            }

            var length = new FileInfo(Full(source)).Length;
            Charge(length, name);
            var executable = !OperatingSystem.IsWindows() && (File.GetUnixFileMode(Full(source)) & UnixFileMode.UserExecute) != 0;
            await using var content = new FileStream(Full(source), System.IO.FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
            var path = PrepareLeaf(name);
            await using (var file = NewFile(path, executable))
            {
                await CopyBoundedAsync(content, file, length, ct);
            }

            _files.Add(name);
        }

        /// <summary>
        /// Resolves every symbolic link for real once all is written, one path segment at a time: a link may be
        /// lexically inside yet leave the root through another link (<c>a → .</c>, <c>b → a/..</c>).
        /// </summary>
        public void VerifySymbolicLinks()
        {
            foreach (var name in _symbolicLinks)
            {
                if (!ResolvesInside(name))
                {
                    throw new InvalidArchiveException($"'{name}' is a symbolic link pointing outside the archive.");
                }
            }
        }

        private bool ResolvesInside(string name)
        {
            const int MaxHops = 40;
            // Nothing is ever written through a link, so the directory holding a link has no link in its path.
            var current = Path.GetDirectoryName(Full(name))!;
            var pending = new LinkedList<string>(new FileInfo(Full(name)).LinkTarget!.Split('/'));
            var hops = 0;
            while (pending.First is { } first)
            {
                pending.RemoveFirst();
                var segment = first.Value;
                if (segment is "" or ".")
                {
                    continue;
                }

                if (segment == "..")
                {
                    if (current == root)
                    {
                        return false;
                    }

                    current = Path.GetDirectoryName(current)!;
                    continue;
                }

                var next = Path.Combine(current, segment);
                if (new FileInfo(next).LinkTarget is { } link)
                {
                    if (++hops > MaxHops)
                    {
                        throw new InvalidArchiveException($"'{name}' is a symbolic link that loops.");
                    }

                    if (link.StartsWith('/'))
                    {
                        return false;
                    }

                    var segments = link.Split('/');
                    for (var i = segments.Length - 1; i >= 0; i--)
                    {
                        pending.AddFirst(segments[i]);
                    }

                    continue;
                }

                current = next;
            }

            return Inside(current);
        }

        private void Charge(long length, string name)
        {
            _bytes += length;
            if (length < 0 || _bytes > limits.MaxExtractedBytes)
            {
                throw new InvalidArchiveException($"The archive expands to more than {limits.MaxExtractedBytes} bytes (at '{name}').");
            }
        }

        /// <summary>Creates the parents and clears the leaf: a later entry of the same name replaces an earlier file or link.</summary>
        private string PrepareLeaf(string name)
        {
            EnsureNoLinkOnTheWay(name, includeSelf: false);
            var path = Full(name);
            CreateDirectoryWithMode(Path.GetDirectoryName(path)!);
            if (Directory.Exists(path) && !_symbolicLinks.Contains(name))
            {
                throw new InvalidArchiveException($"'{name}' is both a directory and a file.");
            }

            if (_symbolicLinks.Remove(name) || _files.Remove(name))
            {
                File.Delete(path);
            }

            return path;
        }

        private void EnsureNoLinkOnTheWay(string name, bool includeSelf)
        {
            var segments = name.Split('/');
            var prefix = "";
            for (var i = 0; i < segments.Length - (includeSelf ? 0 : 1); i++)
            {
                prefix = prefix.Length == 0 ? segments[i] : prefix + "/" + segments[i];
                if (_symbolicLinks.Contains(prefix))
                {
                    throw new InvalidArchiveException($"'{name}' would be written through the symbolic link '{prefix}'.");
                }

                if (i < segments.Length - 1 && _files.Contains(prefix))
                {
                    throw new InvalidArchiveException($"'{name}' needs '{prefix}' to be a directory, but it is a file.");
                }
            }
        }

        private string Full(string name) => Path.Combine(root, name);

        private static void CreateDirectoryWithMode(string path)
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(path);
            }
            else
            {
                Directory.CreateDirectory(path, DirectoryMode);
            }
        }

        /// <summary>Created, never opened: a name that exists already was cleared first, so no link is ever followed.</summary>
        private static FileStream NewFile(string path, bool executable)
        {
            var options = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.Asynchronous };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = executable ? ExecutableMode : FileMode;
            }

            return new FileStream(path, options);
        }

        private bool Inside(string full) =>
            full == root || full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

        private static async Task<long> CopyBoundedAsync(Stream from, Stream to, long length, CancellationToken ct)
        {
            var buffer = new byte[81920];
            long copied = 0;
            while (copied < length)
            {
                var read = await from.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, length - copied)), ct);
                if (read == 0)
                {
                    break;
                }

                await to.WriteAsync(buffer.AsMemory(0, read), ct);
                copied += read;
            }

            return copied;
        }
    }
}
