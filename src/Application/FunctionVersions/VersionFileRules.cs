using FluentValidation;
using FunctionsPlatform.Domain.FunctionVersions;

namespace FunctionsPlatform.Application.FunctionVersions;

/// <summary>The checks a files list gets before the domain sees it, so each problem is a 400 naming <c>files[i].path</c>.</summary>
internal sealed class VersionFileInputValidator : AbstractValidator<VersionFileInput>
{
    public VersionFileInputValidator()
    {
        RuleFor(f => f.Path).NotEmpty().Must(VersionFile.IsValidPath)
            .WithMessage("Must be a relative file path using '/', without '..' segments.");
        RuleFor(f => f.Content).NotNull().Must(c => c is null || System.Text.Encoding.UTF8.GetByteCount(c) <= VersionFile.MaxFileBytes)
            .WithMessage($"A file holds at most {VersionFile.MaxFileBytes} bytes.");
    }
}

internal static class VersionFileRules
{
    public static void Files<T>(this IRuleBuilder<T, IReadOnlyList<VersionFileInput>?> rule)
    {
        rule.Must(files => files is null || files.Count <= VersionFile.MaxFiles)
            .WithMessage($"A version holds at most {VersionFile.MaxFiles} files.");
        rule.Custom((files, context) =>
        {
            // Only well-formed paths are compared: a malformed one already has its own error.
            var valid = files?.Select((f, i) => (f.Path, Index: i)).Where(f => VersionFile.IsValidPath(f.Path)).ToList() ?? [];
            if (VersionFilePaths.FindConflict([.. valid.Select(f => f.Path!)]) is { } conflict)
            {
                context.AddFailure($"files[{valid[conflict.Index].Index}].path", conflict.Message);
            }
        });
        rule.Must(files => files is null || files.Sum(f => (long)System.Text.Encoding.UTF8.GetByteCount(f.Content ?? "")) <= VersionFile.MaxTotalBytes)
            .WithMessage($"A version's files hold at most {VersionFile.MaxTotalBytes} bytes in all.");
    }

    public static IEnumerable<VersionFile> ToDomain(this IReadOnlyList<VersionFileInput> files) =>
        files.Select(f => VersionFile.Create(f.Path!, f.Content!));
}
