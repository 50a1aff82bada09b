namespace FunctionsPlatform.Domain.FunctionVersions;

/// <summary>A clash between two paths of one version's files.</summary>
/// <param name="Index">The position of the later of the two paths, the one reported.</param>
public sealed record VersionFilePathConflict(int Index, string Message);

/// <summary>
/// The rule for a set of file paths: they must be writable side by side as one directory tree on any host. So no two
/// paths may be equal ignoring case (a case-insensitive file system would make them one file), and no path may be a
/// file where another needs a directory (<c>a</c> and <c>a/b</c>). Paths that only differ in spelling (<c>./a</c>,
/// <c>a//b</c>, a trailing '/', '\') never get here: <see cref="VersionFile.IsValidPath"/> refuses them.
/// </summary>
public static class VersionFilePaths
{
    public static VersionFilePathConflict? FindConflict(IReadOnlyList<string> paths)
    {
        var files = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var directories = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < paths.Count; i++)
        {
            var path = paths[i];
            if (files.TryGetValue(path, out var same))
            {
                return new(i, same == path
                    ? $"'{Shorten(path)}' appears twice."
                    : $"'{Shorten(path)}' and '{Shorten(same)}' differ only by case: they would be one file on a case-insensitive host.");
            }

            if (directories.TryGetValue(path, out var below))
            {
                return new(i, $"'{Shorten(path)}' is a file, but '{Shorten(below)}' needs it to be a directory.");
            }

            for (var cut = path.IndexOf('/'); cut > 0; cut = path.IndexOf('/', cut + 1))
            {
                var directory = path[..cut];
                if (files.TryGetValue(directory, out var file))
                {
                    return new(i, $"'{Shorten(path)}' needs '{Shorten(directory)}' to be a directory, but '{Shorten(file)}' is a file.");
                }

                directories.TryAdd(directory, path);
            }

            files.Add(path, path);
        }

        return null;
    }

    private static string Shorten(string path) => path.Length > 64 ? path[..64] + "…" : path;
}
