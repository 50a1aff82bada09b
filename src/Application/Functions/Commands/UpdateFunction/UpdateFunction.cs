using FluentValidation;
using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Common;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Domain.Functions;
using FunctionsPlatform.Domain.Identity;
using MapsterMapper;

namespace FunctionsPlatform.Application.Functions.Commands.UpdateFunction;

/// <summary>PATCH /api/functions/{id}: only the fields present change; <c>description: null</c> clears it.</summary>
[RequiresScope(Scope.FunctionsWrite)]
public sealed record UpdateFunctionCommand(string Id, Optional<string?> Name, Optional<string?> Description, Optional<string?> RuntimeUserId)
    : ICommand<FunctionDto>
{
    /// <summary>Requests one warm process serves at once; absent = unchanged.</summary>
    public Optional<int?> ProcessConcurrency { get; init; }
}

internal sealed class UpdateFunctionHandler(IFunctionAccess access, TimeProvider clock, IMapper mapper)
    : MediatR.IRequestHandler<UpdateFunctionCommand, FunctionDto>
{
    public async Task<FunctionDto> Handle(UpdateFunctionCommand request, CancellationToken cancellationToken)
    {
        var function = await access.GetWritableAsync(request.Id, cancellationToken);
        function.UpdateDetails(
            request.Name.IsSet ? request.Name.Value : null,
            request.Description.IsSet ? request.Description.Value : null,
            request.RuntimeUserId.IsSet ? request.RuntimeUserId.Value ?? "" : null,
            clearDescription: request.Description is { IsSet: true, Value: null },
            clock.GetUtcNow());
        if (request.ProcessConcurrency is { IsSet: true, Value: { } concurrency })
        {
            function.SetProcessConcurrency(concurrency, clock.GetUtcNow());
        }

        return mapper.Map<FunctionDto>(function);
    }
}

internal sealed class UpdateFunctionValidator : AbstractValidator<UpdateFunctionCommand>
{
    public UpdateFunctionValidator()
    {
        RuleFor(c => c.Name.Value).NotEmpty().MaximumLength(FunctionLimits.NameMaxLength)
            .When(c => c.Name.IsSet).OverridePropertyName("name");
        RuleFor(c => c.Description.Value).MaximumLength(FunctionLimits.DescriptionMaxLength)
            .When(c => c.Description.IsSet).OverridePropertyName("description");
        RuleFor(c => c.RuntimeUserId.Value).MaximumLength(64)
            .When(c => c.RuntimeUserId.IsSet).OverridePropertyName("runtimeUserId");
        RuleFor(c => c.ProcessConcurrency.Value).NotNull().InclusiveBetween(1, FunctionLimits.MaxProcessConcurrency)
            .When(c => c.ProcessConcurrency.IsSet).OverridePropertyName("processConcurrency");
    }
}
