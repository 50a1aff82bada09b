using FunctionsPlatform.Domain.Workspaces;

namespace FunctionsPlatform.Application.Workspaces;

public sealed record WorkspaceDto(string Id, string Name, DateTimeOffset CreatedAt);

public sealed record MembershipDto(string WorkspaceId, string UserId, string Role, DateTimeOffset CreatedAt)
{
    public static MembershipDto From(Membership m) => new(m.WorkspaceId, m.UserId, m.Role.ToString().ToLowerInvariant(), m.CreatedAt);
}
