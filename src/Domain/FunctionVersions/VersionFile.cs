using System.Text;
using FunctionsPlatform.Domain.Common;

namespace FunctionsPlatform.Domain.FunctionVersions;

/// <summary>One UTF-8 text file of a version. Paths are relative, use '/', and never climb out (no '..', no absolute path).</summary>
public sealed record VersionFile
{
    public const int MaxPathLength = 512;
    public const int MaxFiles = 200;
    public const int MaxFileBytes = 1024 * 1024;
    public const long MaxTotalBytes = 5 * 1024 * 1024;

    private VersionFile(string path, string content, int size)
    {
        Path = path;
        Content = content;
        Size = size;
    }

    public string Path { get; private init; }
    public string Content { get; private init; }
    public int Size { get; private init; }

    public static VersionFile Create(string path, string content)
    {
        if (!IsValidPath(path))
        {
            throw new DomainException(FunctionVersionErrors.PathInvalid.WithMessage($"File path '{Truncated(path)}' is invalid: it must be relative, use '/', and contain no '..' segment."));
        }

        var size = Encoding.UTF8.GetByteCount(content);
        if (size > MaxFileBytes)
        {
            throw new DomainException(FunctionVersionErrors.FileTooLarge);
        }

        return new VersionFile(path, content, size);
    }

    public static bool IsValidPath(string? path)
    {
        if (string.IsNullOrWhiteSpace(path) || path.Length > MaxPathLength || path.StartsWith('/') || path.Contains('\\')
            || path.Contains('\0') || path.Contains(':') || path.EndsWith('/'))
        {
            return false;
        }

        return path.Split('/').All(s => s.Length > 0 && s != "." && s != ".." && !s.Any(char.IsControl));
    }

    private static string Truncated(string? path) => path is null ? "" : path.Length > 64 ? path[..64] + "…" : path;
}
