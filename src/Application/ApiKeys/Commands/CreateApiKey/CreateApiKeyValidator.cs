using FluentValidation;
using FunctionsPlatform.Domain.Common;
using FunctionsPlatform.Domain.Identity;

namespace FunctionsPlatform.Application.ApiKeys.Commands.CreateApiKey;

internal sealed class CreateApiKeyValidator : AbstractValidator<CreateApiKeyCommand>
{
    public CreateApiKeyValidator(TimeProvider clock)
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(ApiKey.NameMaxLength);
        RuleFor(c => c.Scopes).NotNull().WithMessage("'scopes' is required (it may be empty).");
        RuleFor(c => c.Scopes).Must(s => s!.Count <= Scope.All.Count * 2)
            .Must(s => s!.All(Scope.All.Contains))
            .WithMessage(c => $"Unknown scope '{c.Scopes!.First(s => !Scope.All.Contains(s))}'. Known: {string.Join(", ", Scope.All)}.")
            .When(c => c.Scopes is not null);
        RuleFor(c => c.UserId).MaximumLength(IdPrefixes.MaxIdLength).Must(id => id is null || id.Length > 0);
        RuleFor(c => c.WorkspaceId).MaximumLength(IdPrefixes.MaxIdLength).Must(id => id is null || id.Length > 0);
        RuleFor(c => c.ExpiresAt).Must(e => e is null || e > clock.GetUtcNow()).WithMessage("'expiresAt' must be in the future.");
    }
}
