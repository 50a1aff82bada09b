using FluentValidation;
using FunctionsPlatform.Application.Abstractions.Runtime;
using FunctionsPlatform.Application.Common.Validation;
using FunctionsPlatform.Domain.Functions;

namespace FunctionsPlatform.Application.Functions.Commands.CreateFunction;

internal sealed class CreateFunctionValidator : AbstractValidator<CreateFunctionCommand>
{
    public CreateFunctionValidator(IRuntimeCatalog runtimes)
    {
        RuleFor(c => c.WorkspaceId).NotEmpty().MaximumLength(64);
        RuleFor(c => c.Name).FunctionName();
        RuleFor(c => c.Description).MaximumLength(FunctionLimits.DescriptionMaxLength);
        RuleFor(c => c.Source).Must(s => s is null || FunctionSourceNames.All.Contains(s))
            .WithMessage($"'source' must be one of: {string.Join(", ", FunctionSourceNames.All)}.");
        RuleFor(c => c.InputSchemaId).ResourceId();
        RuleFor(c => c.OutputSchemaId).ResourceId();
        RuleFor(c => c.Runtime).Must(r => r is null || runtimes.Find(r) is not null)
            .WithMessage(c => $"Runtime '{c.Runtime}' is not available on this host. Available: {string.Join(", ", runtimes.Runtimes.Select(r => r.Id))}.");
        RuleFor(c => c.Entrypoint).RelativeFilePath();
        RuleFor(c => c.ProcessConcurrency).InclusiveBetween(1, FunctionLimits.MaxProcessConcurrency);
    }
}
