using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Domain.Identity;
using MapsterMapper;

namespace FunctionsPlatform.Application.Schemas.Queries.GetSchema;

/// <summary>GET /api/schemas/{id}.</summary>
[RequiresScope(Scope.FunctionsRead)]
public sealed record GetSchemaQuery(string Id) : IQuery<SchemaDto>;

internal sealed class GetSchemaHandler(ISchemaAccess access, IMapper mapper) : MediatR.IRequestHandler<GetSchemaQuery, SchemaDto>
{
    public async Task<SchemaDto> Handle(GetSchemaQuery request, CancellationToken cancellationToken) =>
        mapper.Map<SchemaDto>(await access.GetVisibleAsync(request.Id, cancellationToken));
}
