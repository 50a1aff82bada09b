using System.Text.Json;
using FluentValidation;
using ValidationException = FunctionsPlatform.Application.Common.Errors.ValidationException;
using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Abstractions.Querying;
using FunctionsPlatform.Application.Abstractions.Services;
using FunctionsPlatform.Application.Common;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Application.Common.Querying;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Application.Common.Validation;
using FunctionsPlatform.Application.Functions;
using FunctionsPlatform.Application.Schemas.Queries;
using FunctionsPlatform.Application.Schemas.Specifications;
using FunctionsPlatform.Application.Workspaces;
using FunctionsPlatform.Domain.Common;
using FunctionsPlatform.Domain.FunctionVersions;
using FunctionsPlatform.Domain.Identity;
using FunctionsPlatform.Domain.Schemas;
using MapsterMapper;

namespace FunctionsPlatform.Application.Schemas;

internal static class SchemaDocumentRules
{
    /// <summary><c>schema</c> must be a JSON object that is a usable JSON Schema (draft 2020-12).</summary>
    public static IRuleBuilderOptionsConditions<T, JsonElement?> SchemaDocument<T>(this IRuleBuilder<T, JsonElement?> rule, IJsonSchemaValidator checker) =>
        rule.Custom((value, context) =>
        {
            if (value is not { ValueKind: JsonValueKind.Object } element)
            {
                context.AddFailure("schema", "'schema' must be a JSON Schema object.");
                return;
            }

            var text = element.GetRawText();
            if (text.Length > Schema.DocumentMaxLength)
            {
                context.AddFailure("schema", $"'schema' holds at most {Schema.DocumentMaxLength} characters.");
                return;
            }

            foreach (var problem in checker.CheckSchema(text))
            {
                context.AddFailure("schema", problem);
            }
        });
}

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

/// <summary>GET /api/schemas/{id}.</summary>
[RequiresScope(Scope.FunctionsRead)]
public sealed record GetSchemaQuery(string Id) : IQuery<SchemaDto>;

internal sealed class GetSchemaHandler(ISchemaAccess access, IMapper mapper) : MediatR.IRequestHandler<GetSchemaQuery, SchemaDto>
{
    public async Task<SchemaDto> Handle(GetSchemaQuery request, CancellationToken cancellationToken) =>
        mapper.Map<SchemaDto>(await access.GetVisibleAsync(request.Id, cancellationToken));
}

/// <summary>GET /api/schemas: the schemas of the caller's workspaces; <c>workspace_id</c> narrows to one.</summary>
[RequiresScope(Scope.FunctionsRead)]
public sealed record ListSchemasQuery(string? WorkspaceId, ListRequest List) : IQuery<Page<SchemaDto>>;

internal sealed class ListSchemasHandler(IWorkspaceAccess workspaces, ListQueryBuilder lists, IListQueryRunner runner, IMapper mapper)
    : MediatR.IRequestHandler<ListSchemasQuery, Page<SchemaDto>>
{
    public async Task<Page<SchemaDto>> Handle(ListSchemasQuery request, CancellationToken cancellationToken)
    {
        var list = lists.FromApi(SchemaQueryModel.Instance, request.List);
        if (request.WorkspaceId is { } workspaceId)
        {
            try
            {
                await workspaces.EnsureAccessAsync(workspaceId, cancellationToken);
            }
            catch (NotFoundException)
            {
                // As for functions: narrowing to a workspace the caller cannot see yields nothing.
                return new Page<SchemaDto>([], new PageInfo(0, false, false, null, null));
            }
        }

        var visible = await workspaces.VisibleWorkspaceIdsAsync(cancellationToken);
        var page = await runner.RunAsync(list.Within(new SchemasVisibleToCallerSpec(visible, request.WorkspaceId)), cancellationToken);
        return page.Map(mapper.Map<SchemaDto>);
    }
}

internal sealed class ListSchemasValidator : AbstractValidator<ListSchemasQuery>
{
    public ListSchemasValidator()
    {
        RuleFor(q => q.List).ListRequest();
        RuleFor(q => q.WorkspaceId).MaximumLength(IdPrefixes.MaxIdLength).OverridePropertyName("workspace_id");
    }
}

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

/// <summary>DELETE /api/schemas/{id}: 409 while a live function version uses it.</summary>
[RequiresScope(Scope.FunctionsWrite)]
public sealed record DeleteSchemaCommand(string Id) : ICommand<SuccessDto>;

internal sealed class DeleteSchemaHandler(ISchemaAccess access, IRepository<Schema> schemas, IReadRepository<FunctionVersion> versions)
    : MediatR.IRequestHandler<DeleteSchemaCommand, SuccessDto>
{
    public async Task<SuccessDto> Handle(DeleteSchemaCommand request, CancellationToken cancellationToken)
    {
        var schema = await access.GetVisibleAsync(request.Id, cancellationToken, tracking: true);
        if (await versions.AnyAsync(new LiveVersionsUsingSchemaSpec(schema.Id), cancellationToken))
        {
            throw new DomainException(SchemaErrors.InUse);
        }

        schemas.Remove(schema);
        return new SuccessDto(true);
    }
}
