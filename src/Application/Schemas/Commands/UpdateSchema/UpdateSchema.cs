using System.Text.Json;
using FluentValidation;
using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Services;
using FunctionsPlatform.Application.Common;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Domain.Identity;
using FunctionsPlatform.Domain.Schemas;
using MapsterMapper;

namespace FunctionsPlatform.Application.Schemas.Commands.UpdateSchema;

/// <summary>PATCH /api/schemas/{id}: <c>name</c> and/or <c>schema</c>; neither may be null.</summary>
[RequiresScope(Scope.FunctionsWrite)]
public sealed record UpdateSchemaCommand(string Id, Optional<string?> Name, Optional<JsonElement?> Schema) : ICommand<SchemaDto>;

internal sealed class UpdateSchemaHandler(ISchemaAccess access, TimeProvider clock, IMapper mapper) : MediatR.IRequestHandler<UpdateSchemaCommand, SchemaDto>
{
    public async Task<SchemaDto> Handle(UpdateSchemaCommand request, CancellationToken cancellationToken)
    {
        var schema = await access.GetVisibleAsync(request.Id, cancellationToken, tracking: true);
        schema.Update(
            request.Name.IsSet ? request.Name.Value : null,
            request.Schema.IsSet ? request.Schema.Value!.Value.GetRawText() : null,
            clock.GetUtcNow());
        return mapper.Map<SchemaDto>(schema);
    }
}

internal sealed class UpdateSchemaValidator : AbstractValidator<UpdateSchemaCommand>
{
    public UpdateSchemaValidator(IJsonSchemaValidator checker)
    {
        RuleFor(c => c.Name.Value).NotEmpty().MaximumLength(Schema.NameMaxLength).When(c => c.Name.IsSet).OverridePropertyName("name");
        RuleFor(c => c.Schema.Value).SchemaDocument(checker).When(c => c.Schema.IsSet);
    }
}
