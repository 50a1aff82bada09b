using FluentValidation;
using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Common;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Application.Schemas;
using FunctionsPlatform.Domain.FunctionVersions;
using FunctionsPlatform.Domain.Identity;
using MapsterMapper;

namespace FunctionsPlatform.Application.FunctionVersions.Commands.UpdateFunctionVersion;

/// <summary>PATCH /api/function-versions/{id}: name and schema references; a schema id set to null is cleared.</summary>
[RequiresScope(Scope.FunctionsWrite)]
public sealed record UpdateFunctionVersionCommand(string Id, Optional<string?> Name, Optional<string?> InputSchemaId, Optional<string?> OutputSchemaId)
    : ICommand<FunctionVersionDto>;

internal sealed class UpdateFunctionVersionHandler(IFunctionVersionAccess access, ISchemaReferences schemas, TimeProvider clock, IMapper mapper)
    : MediatR.IRequestHandler<UpdateFunctionVersionCommand, FunctionVersionDto>
{
    public async Task<FunctionVersionDto> Handle(UpdateFunctionVersionCommand request, CancellationToken cancellationToken)
    {
        var (version, function) = await access.GetWritableAsync(request.Id, cancellationToken);
        function.EnsureLive();
        if (request.InputSchemaId.IsSet)
        {
            await schemas.EnsureInWorkspaceAsync(function.WorkspaceId, request.InputSchemaId.Value, "inputSchemaId", cancellationToken);
        }

        if (request.OutputSchemaId.IsSet)
        {
            await schemas.EnsureInWorkspaceAsync(function.WorkspaceId, request.OutputSchemaId.Value, "outputSchemaId", cancellationToken);
        }

        version.Update(
            request.Name.IsSet ? request.Name.Value : null,
            request.InputSchemaId.IsSet ? SchemaChange.To(request.InputSchemaId.Value) : SchemaChange.Keep,
            request.OutputSchemaId.IsSet ? SchemaChange.To(request.OutputSchemaId.Value) : SchemaChange.Keep,
            clock.GetUtcNow());
        return mapper.Map<FunctionVersionDto>(version);
    }
}

internal sealed class UpdateFunctionVersionValidator : AbstractValidator<UpdateFunctionVersionCommand>
{
    public UpdateFunctionVersionValidator()
    {
        RuleFor(c => c.Name.Value).NotEmpty().MaximumLength(FunctionVersionErrors.NameMaxLength)
            .When(c => c.Name.IsSet).OverridePropertyName("name");
        RuleFor(c => c.InputSchemaId.Value).MaximumLength(64).When(c => c.InputSchemaId.IsSet).OverridePropertyName("inputSchemaId");
        RuleFor(c => c.OutputSchemaId.Value).MaximumLength(64).When(c => c.OutputSchemaId.IsSet).OverridePropertyName("outputSchemaId");
    }
}
