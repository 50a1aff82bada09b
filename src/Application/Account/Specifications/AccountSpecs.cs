using FunctionsPlatform.Application.Abstractions.Specifications;
using FunctionsPlatform.Domain.Identity;

namespace FunctionsPlatform.Application.Account.Specifications;

public sealed class ApiKeyByTokenHashSpec : Specification<ApiKey>
{
    public ApiKeyByTokenHashSpec(string tokenHash) => Query.Where(k => k.TokenHash == tokenHash);
}

/// <summary>One of the user's own sessions, tracked for removal.</summary>
public sealed class SessionOfUserSpec : Specification<Session>
{
    public SessionOfUserSpec(string userId, string sessionId) => Query.Where(s => s.Id == sessionId && s.UserId == userId).Tracking();
}
