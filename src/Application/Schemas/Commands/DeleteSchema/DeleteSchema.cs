using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Application.Functions;
using FunctionsPlatform.Application.Schemas.Specifications;
using FunctionsPlatform.Domain.Common;
using FunctionsPlatform.Domain.FunctionVersions;
using FunctionsPlatform.Domain.Identity;
using FunctionsPlatform.Domain.Schemas;

namespace FunctionsPlatform.Application.Schemas.Commands.DeleteSchema;

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
