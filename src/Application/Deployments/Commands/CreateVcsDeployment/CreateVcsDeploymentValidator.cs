using System.Text.RegularExpressions;
using FluentValidation;

namespace FunctionsPlatform.Application.Deployments.Commands.CreateVcsDeployment;

internal sealed partial class CreateVcsDeploymentValidator : AbstractValidator<CreateVcsDeploymentCommand>
{
    /// <summary>Appwrite's <c>reference</c> is a Text(255).</summary>
    public const int MaxReferenceLength = 255;

    /// <summary>The function's <c>providerRootDirectory</c> is a Text(128).</summary>
    public const int MaxRootDirectoryLength = 128;

    public const string RootDirectoryRule =
        "The root directory must be a relative path inside the repository: no '..' segment, no leading '/' or '-', no backslash or control character.";

    public static readonly string[] Types = ["branch", "commit"];

    public CreateVcsDeploymentValidator()
    {
        RuleFor(c => c.FunctionId).NotEmpty().OverridePropertyName("functionId");
        RuleFor(c => c.Type).Must(t => Types.Contains(t)).WithMessage("Type must be branch or commit.").OverridePropertyName("type");
        RuleFor(c => c.Reference).NotEmpty().WithMessage("Param \"reference\" is not optional.").MaximumLength(MaxReferenceLength).OverridePropertyName("reference");
        RuleFor(c => c.Reference)
            .Must(IsBranchName).WithMessage("The branch name is not a valid git branch name (it may not start with '-' or contain '..', spaces, control characters or any of ~^:?*[\\).")
            .When(c => c.Type == "branch" && !string.IsNullOrEmpty(c.Reference)).OverridePropertyName("reference");
        RuleFor(c => c.Reference)
            .Must(r => CommitHash().IsMatch(r)).WithMessage("A commit reference must be the full hash: 40 (or 64) lowercase hexadecimal characters.")
            .When(c => c.Type == "commit" && !string.IsNullOrEmpty(c.Reference)).OverridePropertyName("reference");
        RuleFor(c => c.ProviderRootDirectory!)
            .Must(IsSafeRootDirectory).WithMessage(RootDirectoryRule)
            .When(c => c.ProviderRootDirectory is not null).OverridePropertyName("providerRootDirectory");
    }

    /// <summary>
    /// git's branch name rules that matter here, and a leading '-' refused so the name can never read as an option of
    /// the git command line.
    /// </summary>
    public static bool IsBranchName(string name) =>
        name.Length <= MaxReferenceLength && !name.StartsWith('-') && !name.StartsWith('/') && !name.EndsWith('/')
        && !name.EndsWith('.') && !name.EndsWith(".lock", StringComparison.Ordinal) && !name.Contains("..", StringComparison.Ordinal)
        && !name.Contains("//", StringComparison.Ordinal) && !name.Contains("@{", StringComparison.Ordinal) && name != "@"
        && !name.Any(c => char.IsControl(c) || c is ' ' or '~' or '^' or ':' or '?' or '*' or '[' or '\\')
        && !name.Split('/').Any(part => part.StartsWith('.'));

    /// <summary>Empty (the repository's root) or a relative path that stays inside the checkout.</summary>
    public static bool IsSafeRootDirectory(string path) =>
        path.Length <= MaxRootDirectoryLength && !path.StartsWith('/') && !path.StartsWith('-')
        && !path.Any(c => char.IsControl(c) || c == '\\')
        && !path.Split('/').Any(part => part == "..");

    [GeneratedRegex("^([0-9a-f]{40}|[0-9a-f]{64})$", RegexOptions.CultureInvariant)]
    private static partial Regex CommitHash();
}
