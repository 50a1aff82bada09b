using System.Globalization;

namespace FunctionsPlatform.Infrastructure.Runtime.Sandbox;

/// <summary>
/// The bubblewrap command line shared by executions and builds, so both get the same hardening: namespaces, no
/// capabilities, a cleared environment, the system directories and a few <c>/etc</c> entries read-only, <c>/proc</c> with
/// <c>/proc/sys</c> read-only, no <c>/sys</c>, a size-capped tmpfs <c>/tmp</c>, the seccomp program, and (server as
/// root) setpriv dropping to the sandbox user. Each caller adds its own binds between <see cref="Start"/> and <see cref="Finish"/>.
/// </summary>
internal sealed class SandboxArguments
{
    /// <summary>The launcher opens the seccomp program on this fd for bwrap (dash takes single-digit fds only).</summary>
    public const string SeccompFd = "9";

    public static readonly string[] SystemDirectories = ["/usr", "/bin", "/lib", "/lib64", "/lib32", "/sbin"];

    private static readonly string[] EtcEntries =
    [
        "/etc/alternatives", "/etc/ssl", "/etc/ca-certificates", "/etc/resolv.conf", "/etc/hosts", "/etc/nsswitch.conf",
        "/etc/passwd", "/etc/group", "/etc/localtime", "/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/mime.types",
    ];

    private readonly SandboxProfile _sandbox;
    private readonly HashSet<string> _created = new(StringComparer.Ordinal);

    private SandboxArguments(SandboxProfile sandbox) => _sandbox = sandbox;

    public List<string> Arguments { get; } = [];

    /// <summary>
    /// Namespaces, capabilities, environment, the system directories, <c>/etc</c> entries and interpreter prefixes.
    /// <paramref name="freePath"/> (under a system directory) is left unbound for a writable bind: its ancestors are then
    /// made as directories and their other children bound read-only one by one, because bwrap cannot create a mount point
    /// inside a read-only bind.
    /// </summary>
    public static SandboxArguments Start(
        SandboxProfile sandbox, IReadOnlyDictionary<string, string> environment, IEnumerable<string> interpreterPrefixes, string? freePath = null)
    {
        var builder = new SandboxArguments(sandbox);
        var args = builder.Arguments;
        args.AddRange([sandbox.BubblewrapPath, "--die-with-parent", "--new-session"]);
        if (sandbox.User is not null)
        {
            // No user namespace: inside one, uid 0 would still be host root. setpriv needs these three caps to drop to
            // the sandbox user; after its setresuid nothing is left in any set.
            args.AddRange(["--unshare-ipc", "--unshare-pid", "--unshare-uts", "--unshare-cgroup-try"]);
            args.AddRange(["--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--cap-add", "CAP_SETPCAP"]);
            if (!sandbox.AllowNetwork)
            {
                args.Add("--unshare-net");
            }
        }
        else
        {
            args.AddRange(["--unshare-all", "--unshare-user", "--disable-userns", "--cap-drop", "ALL"]);
            if (sandbox.AllowNetwork)
            {
                args.Add("--share-net");
            }
        }

        args.Add("--clearenv");
        foreach (var (name, value) in environment)
        {
            args.AddRange(["--setenv", name, value]);
        }

        foreach (var dir in SystemDirectories.Where(Path.Exists))
        {
            if (freePath is not null && freePath.StartsWith(dir + "/", StringComparison.Ordinal) && !IsSymlink(dir))
            {
                builder.BindAllBut(dir, freePath);
            }
            else
            {
                args.AddRange(IsSymlink(dir) ? ["--symlink", new FileInfo(dir).LinkTarget!, dir] : ["--ro-bind", dir, dir]);
            }
        }

        // bwrap makes the mount points' parents owner-only (0700): root's, so the sandbox user could not traverse them.
        foreach (var entry in EtcEntries.Where(Path.Exists))
        {
            builder.AddParents(entry);
            args.AddRange(["--ro-bind", entry, entry]);
        }

        // Interpreters installed outside /usr (pyenv, nvm): bind their prefix read-only.
        foreach (var prefix in interpreterPrefixes.Distinct(StringComparer.Ordinal))
        {
            builder.AddParents(prefix);
            args.AddRange(["--ro-bind", prefix, prefix]);
        }

        return builder;
    }

    /// <summary>The install prefix of an interpreter outside the system directories (pyenv, nvm), else null.</summary>
    public static string? InterpreterPrefix(string executablePath)
    {
        var prefix = Path.GetDirectoryName(Path.GetDirectoryName(executablePath));
        return prefix is not null && prefix != "/" && !SystemDirectories.Any(d => prefix.StartsWith(d + "/", StringComparison.Ordinal) || prefix == d)
            ? prefix
            : null;
    }

    /// <summary>Creates each missing ancestor of <paramref name="path"/> (shallowest first) as a 0755 directory.</summary>
    public void AddParents(string path)
    {
        var parents = new List<string>();
        for (var parent = Path.GetDirectoryName(path); parent is not null && parent != "/"; parent = Path.GetDirectoryName(parent))
        {
            parents.Add(parent);
        }

        parents.Reverse();
        foreach (var parent in parents.Where(_created.Add))
        {
            Arguments.AddRange(["--perms", "0755", "--dir", parent]);
        }
    }

    /// <summary>
    /// <c>/proc</c> (with <c>/proc/sys</c> read-only), a minimal <c>/dev</c>, the tmpfs <c>/tmp</c> (its pages count against
    /// the memory cgroup, its size is capped), the seccomp program, the working directory and hostname, then the uid drop.
    /// </summary>
    public List<string> Finish(int tmpSizeMb, string workingDirectory, string hostname)
    {
        var tmpBytes = ((long)Math.Max(1, tmpSizeMb) << 20).ToString(CultureInfo.InvariantCulture);
        Arguments.AddRange([
            "--proc", "/proc", "--ro-bind", "/proc/sys", "/proc/sys", "--dev", "/dev",
            "--perms", "1777", "--size", tmpBytes, "--tmpfs", "/tmp",
            "--seccomp", SeccompFd,
            "--chdir", workingDirectory, "--hostname", hostname, "--",
        ]);

        if (_sandbox is { User: { } user, SetprivPath: { } setpriv })
        {
            var uid = user.Uid.ToString(CultureInfo.InvariantCulture);
            var gid = user.Gid.ToString(CultureInfo.InvariantCulture);
            Arguments.AddRange([setpriv, "--reuid=" + uid, "--regid=" + gid, "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--"]);
        }

        return Arguments;
    }

    /// <summary>Makes <paramref name="directory"/> a plain directory holding read-only binds of its children, all but the branch towards <paramref name="freePath"/>.</summary>
    private void BindAllBut(string directory, string freePath)
    {
        AddParents(directory + "/.");
        foreach (var child in Directory.EnumerateFileSystemEntries(directory).Order(StringComparer.Ordinal))
        {
            if (child == freePath)
            {
                continue;
            }

            if (freePath.StartsWith(child + "/", StringComparison.Ordinal) && !IsSymlink(child) && Directory.Exists(child))
            {
                BindAllBut(child, freePath);
            }
            else if (IsSymlink(child))
            {
                Arguments.AddRange(["--symlink", new FileInfo(child).LinkTarget!, child]);
            }
            else
            {
                Arguments.AddRange(["--ro-bind", child, child]);
            }
        }

        AddParents(freePath);
    }

    private static bool IsSymlink(string path) => new FileInfo(path).LinkTarget is not null;
}
