using System.Collections.Concurrent;
using System.Globalization;
using FunctionsPlatform.Infrastructure.Runtime.Sandbox;

namespace FunctionsPlatform.Infrastructure.Runtime.Bundles;

/// <summary>
/// Per-process code directories of generic processes: each generic process is started with an empty one bind-mounted
/// read-only at <c>/code</c> (mounts are fixed when the sandbox starts), and specializing it fills that directory with
/// hard links to the already-extracted bundle's files. A bind mount shows the directory itself, so entries added on the
/// host appear inside the sandbox at once; hard links cost one <c>link(2)</c> per file and no data, and share the
/// bundle's root-owned, read-only inodes. Views live in <c>bundles/.views/&lt;server pid&gt;-&lt;random&gt;</c> (the same
/// file system as the bundles, which hard links need); a view is deleted with its process, and the views of servers that
/// are gone are removed at start. Only bundles of at most <see cref="MaxEntries"/> entries are linked: beyond that the
/// normal cold start (one bind mount of the bundle) is cheaper.
/// </summary>
internal sealed class CodeViews
{
    /// <summary>The name of the views directory inside <c>bundles/</c>; the bundle sweep leaves it alone.</summary>
    public const string DirectoryName = ".views";

    public const int MaxEntries = 1000;

    private const int MaxRememberedBundles = 10_000;

    private const UnixFileMode Traversable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
    private const UnixFileMode Readable = Traversable | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private readonly ConcurrentDictionary<string, BundleEntry[]?> _entries = new(StringComparer.Ordinal);

    public CodeViews(string bundlesRoot)
    {
        Root = Path.Combine(bundlesRoot, DirectoryName);
        Directory.CreateDirectory(Root);
        SetMode(Root, Traversable);
        SweepOrphans();
    }

    public string Root { get; }

    /// <summary>A fresh, empty view directory (0755, root's): the sandbox user may read what is linked into it, never write.</summary>
    public string Create()
    {
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var path = Path.Combine(Root, $"{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..12]}");
            var error = Native.MakeDirectory(path, Readable);
            if (error == 0)
            {
                SetMode(path, Readable); // mkdir's mode is masked by the umask.
                return path;
            }

            if (error != Native.Eexist)
            {
                throw new IOException($"Could not create a code view (errno {error}).");
            }
        }

        throw new IOException("Could not create a unique code view.");
    }

    /// <summary>The bundle's entries when it has at most <see cref="MaxEntries"/> (remembered per bundle hash), else null.</summary>
    public IReadOnlyList<BundleEntry>? EntriesOf(MaterializedBundle bundle)
    {
        // Content-addressed: a hash always names the same entries, so the listing never goes stale.
        if (_entries.TryGetValue(bundle.Hash, out var known))
        {
            return known;
        }

        if (_entries.Count >= MaxRememberedBundles)
        {
            _entries.Clear();
        }

        return _entries[bundle.Hash] = List(bundle.Directory);
    }

    /// <summary>Links every entry of the bundle into the (empty) view: directories made, files hard-linked, symbolic links recreated.</summary>
    public static void Fill(string view, string bundleDirectory, IReadOnlyList<BundleEntry> entries)
    {
        foreach (var entry in entries)
        {
            var target = Path.Combine(view, entry.RelativePath);
            switch (entry.Kind)
            {
                case BundleEntryKind.Directory:
                    if (Native.MakeDirectory(target, Readable) is var mkdirError and not 0)
                    {
                        throw new IOException($"Could not create a directory in a code view (errno {mkdirError}).");
                    }

                    SetMode(target, Readable);
                    break;
                case BundleEntryKind.SymbolicLink:
                    File.CreateSymbolicLink(target, entry.LinkTarget!);
                    break;
                default:
                    var source = Path.Combine(bundleDirectory, entry.RelativePath);
                    if (Native.Link(source, target) is not 0)
                    {
                        File.Copy(source, target); // another file system (EXDEV) or links refused: a copy reads the same
                    }

                    break;
            }
        }
    }

    public static void Delete(string view)
    {
        try
        {
            Directory.Delete(view, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Gone already; else the next start's sweep removes it.
        }
    }

    /// <summary>Removes the views of servers whose pid is gone; never another live instance's.</summary>
    internal int SweepOrphans()
    {
        var removed = 0;
        foreach (var view in Directory.EnumerateDirectories(Root))
        {
            var name = Path.GetFileName(view);
            var dash = name.IndexOf('-', StringComparison.Ordinal);
            if (dash > 0 && int.TryParse(name.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && pid != Environment.ProcessId && !Directory.Exists($"/proc/{pid}"))
            {
                Delete(view);
                removed++;
            }
        }

        return removed;
    }

    private static void SetMode(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }

    private static BundleEntry[]? List(string bundleDirectory)
    {
        var entries = new List<BundleEntry>();
        var pending = new Stack<string>([bundleDirectory]);
        while (pending.TryPop(out var directory))
        {
            foreach (var info in new DirectoryInfo(directory).EnumerateFileSystemInfos())
            {
                if (entries.Count >= MaxEntries)
                {
                    return null;
                }

                var relative = Path.GetRelativePath(bundleDirectory, info.FullName);
                if (info.LinkTarget is { } linkTarget)
                {
                    entries.Add(new BundleEntry(relative, BundleEntryKind.SymbolicLink, linkTarget));
                }
                else if (info is DirectoryInfo)
                {
                    entries.Add(new BundleEntry(relative, BundleEntryKind.Directory, null));
                    pending.Push(info.FullName);
                }
                else
                {
                    entries.Add(new BundleEntry(relative, BundleEntryKind.File, null));
                }
            }
        }

        return [.. entries];
    }
}

internal enum BundleEntryKind
{
    File,
    Directory,
    SymbolicLink,
}

/// <summary>One entry of a bundle, relative to its root; directories come before what they hold.</summary>
internal sealed record BundleEntry(string RelativePath, BundleEntryKind Kind, string? LinkTarget);
