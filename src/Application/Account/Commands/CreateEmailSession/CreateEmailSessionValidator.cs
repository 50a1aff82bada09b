using FluentValidation;
using FunctionsPlatform.Domain.Identity;

namespace FunctionsPlatform.Application.Account.Commands.CreateEmailSession;

internal sealed class CreateEmailSessionValidator : AbstractValidator<CreateEmailSessionCommand>
{
    /// <summary>Longer than any token this server issues; bounds the hashing work a stranger can ask for.</summary>
    public const int PasswordMaxLength = 256;

    public CreateEmailSessionValidator()
    {
        RuleFor(c => c.Email).NotEmpty().MaximumLength(User.EmailMaxLength);
        RuleFor(c => c.Password).NotEmpty().MaximumLength(PasswordMaxLength);
    }
}
