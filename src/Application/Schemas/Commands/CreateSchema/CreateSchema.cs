using System.Text.Json;
using FluentValidation;
using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Abstractions.Services;
using FunctionsPlatform.Application.Common;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Domain.Common;
using FunctionsPlatform.Domain.Identity;
using FunctionsPlatform.Domain.Schemas;
using MapsterMapper;

namespace FunctionsPlatform.Application.Schemas.Commands.CreateSchema;

/// <summary>POST /api/schemas.</summary>
[RequiresScope(Scope.FunctionsWrite)]
public sealed record CreateSchemaCommand(string WorkspaceId, string Name, JsonElement? Schema) : ICommand<SchemaDto>, IWorkspaceScoped;

internal sealed class CreateSchemaHandler(IRepository<Schema> schemas, IIdGenerator ids, TimeProvider clock, IMapper mapper)
    : MediatR.IRequestHandler<CreateSchemaCommand, SchemaDto>
{
    public Task<SchemaDto> Handle(CreateSchemaCommand request, CancellationToken cancellationToken)
    {
        var schema = Schema.Create(ids.NewId(IdPrefixes.Schema), request.WorkspaceId, request.Name, request.Schema!.Value.GetRawText(), clock.GetUtcNow());
        schemas.Add(schema);
        return Task.FromResult(mapper.Map<SchemaDto>(schema));
    }
}

internal sealed class CreateSchemaValidator : AbstractValidator<CreateSchemaCommand>
{
    public CreateSchemaValidator(IJsonSchemaValidator checker)
    {
        RuleFor(c => c.WorkspaceId).NotEmpty().MaximumLength(IdPrefixes.MaxIdLength);
        RuleFor(c => c.Name).NotEmpty().MaximumLength(Schema.NameMaxLength);
        RuleFor(c => c.Schema).SchemaDocument(checker);
    }
}
