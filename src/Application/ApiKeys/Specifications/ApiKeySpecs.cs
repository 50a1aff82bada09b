using FunctionsPlatform.Application.Abstractions.Specifications;
using FunctionsPlatform.Domain.Identity;

namespace FunctionsPlatform.Application.ApiKeys.Specifications;

/// <summary>Live (not revoked) keys, of one user or (null) of everyone, oldest first.</summary>
public sealed class LiveApiKeysSpec : Specification<ApiKey>
{
    public LiveApiKeysSpec(string? userId)
    {
        Query.Where(k => k.RevokedAt == null);
        Query.Where(userId is not null, k => k.UserId == userId);
        Query.OrderBy(k => k.CreatedAt).OrderBy(k => k.Id);
    }
}

public sealed class LiveApiKeyByIdSpec : Specification<ApiKey>
{
    public LiveApiKeyByIdSpec(string id) => Query.Where(k => k.Id == id && k.RevokedAt == null).Tracking();
}
