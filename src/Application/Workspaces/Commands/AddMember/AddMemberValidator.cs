using FluentValidation;
using FunctionsPlatform.Domain.Common;

namespace FunctionsPlatform.Application.Workspaces.Commands.AddMember;

internal sealed class AddMemberValidator : AbstractValidator<AddMemberCommand>
{
    public AddMemberValidator()
    {
        RuleFor(c => c.UserId).NotEmpty().MaximumLength(IdPrefixes.MaxIdLength);
        RuleFor(c => c.Role).Must(r => r is "owner" or "member").WithMessage("'role' must be owner or member.");
    }
}
