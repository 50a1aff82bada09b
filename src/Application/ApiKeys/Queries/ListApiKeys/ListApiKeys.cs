using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Abstractions.Security;
using FunctionsPlatform.Application.ApiKeys.Specifications;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Domain.Identity;
using MapsterMapper;

namespace FunctionsPlatform.Application.ApiKeys.Queries.ListApiKeys;

/// <summary>GET /api/api-keys: the caller's live keys (every live key for admins); never the token.</summary>
public sealed record ListApiKeysQuery : IQuery<IReadOnlyList<ApiKeyDto>>;

internal sealed class ListApiKeysHandler(IReadRepository<ApiKey> keys, ICurrentPrincipal principal, IMapper mapper)
    : MediatR.IRequestHandler<ListApiKeysQuery, IReadOnlyList<ApiKeyDto>>
{
    public async Task<IReadOnlyList<ApiKeyDto>> Handle(ListApiKeysQuery request, CancellationToken cancellationToken)
    {
        if (!principal.IsAuthenticated)
        {
            throw new UnauthorizedException();
        }

        var list = await keys.ListAsync(new LiveApiKeysSpec(principal.IsAdmin ? null : principal.UserId), cancellationToken);
        return [.. list.Select(mapper.Map<ApiKeyDto>)];
    }
}
