using FunctionsPlatform.Api.Contracts;
using FunctionsPlatform.Api.Infrastructure;
using FunctionsPlatform.Application.Abstractions.Querying;
using FunctionsPlatform.Application.Functions;
using FunctionsPlatform.Application.Identity;
using FunctionsPlatform.Application.Workspaces;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FunctionsPlatform.Api.Endpoints.Management;

/// <summary>/api/users, /api/workspaces, /api/api-keys (CONTRACT §2).</summary>
public sealed class IdentityEndpoints : IEndpointGroup
{
    public void Map(IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/api/users").WithTags("Identity");
        users.MapPost("", CreateUser).WithName(nameof(CreateUser));
        users.MapGet("", ListUsers).WithName(nameof(ListUsers));

        var workspaces = app.MapGroup("/api/workspaces").WithTags("Identity");
        workspaces.MapPost("", CreateWorkspace).WithName(nameof(CreateWorkspace));
        workspaces.MapGet("", ListWorkspaces).WithName(nameof(ListWorkspaces));
        workspaces.MapPost("{id}/members", AddMember).WithName(nameof(AddMember));

        var keys = app.MapGroup("/api/api-keys").WithTags("Identity");
        keys.MapPost("", CreateApiKey).WithName(nameof(CreateApiKey));
        keys.MapGet("", ListApiKeys).WithName(nameof(ListApiKeys));
        keys.MapDelete("{id}", RevokeApiKey).WithName(nameof(RevokeApiKey));
    }

    public sealed record CreateUserRequest(string? Name, string? Email, bool? IsAdmin);

    public sealed record CreateWorkspaceRequest(string? Name, string? Id);

    public sealed record AddMemberRequest(string? UserId, string? Role);

    public sealed record CreateApiKeyRequest(string? Name, IReadOnlyList<string>? Scopes, string? UserId, string? WorkspaceId, DateTimeOffset? ExpiresAt);

    public static async Task<Created<UserDto>> CreateUser(CreateUserRequest body, IMediator sender, CancellationToken ct)
    {
        var user = await sender.Send(new CreateUserCommand(body.Name ?? "", body.Email ?? "", body.IsAdmin ?? false), ct);
        return TypedResults.Created($"/api/users/{user.Id}", user);
    }

    public static async Task<Ok<ListResponse<UserDto>>> ListUsers(IMediator sender, CancellationToken ct) =>
        TypedResults.Ok(Envelope(await sender.Send(new ListUsersQuery(), ct)));

    public static async Task<Created<WorkspaceDto>> CreateWorkspace(CreateWorkspaceRequest body, IMediator sender, CancellationToken ct)
    {
        var workspace = await sender.Send(new CreateWorkspaceCommand(body.Name ?? "", body.Id), ct);
        return TypedResults.Created($"/api/workspaces/{workspace.Id}", workspace);
    }

    public static async Task<Ok<ListResponse<WorkspaceDto>>> ListWorkspaces(IMediator sender, CancellationToken ct) =>
        TypedResults.Ok(Envelope(await sender.Send(new ListWorkspacesQuery(), ct)));

    public static async Task<Ok<MembershipDto>> AddMember(string id, AddMemberRequest body, IMediator sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new AddMemberCommand(id, body.UserId ?? "", body.Role ?? ""), ct));

    public static async Task<Created<CreatedApiKeyDto>> CreateApiKey(CreateApiKeyRequest body, IMediator sender, CancellationToken ct)
    {
        var key = await sender.Send(new CreateApiKeyCommand(body.Name ?? "", body.Scopes, body.UserId, body.WorkspaceId, body.ExpiresAt), ct);
        return TypedResults.Created($"/api/api-keys/{key.Id}", key);
    }

    public static async Task<Ok<ListResponse<ApiKeyDto>>> ListApiKeys(IMediator sender, CancellationToken ct) =>
        TypedResults.Ok(Envelope(await sender.Send(new ListApiKeysQuery(), ct)));

    public static async Task<Ok<SuccessDto>> RevokeApiKey(string id, IMediator sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new RevokeApiKeyCommand(id), ct));

    /// <summary>These lists are small and unpaged: one page holding everything.</summary>
    private static ListResponse<T> Envelope<T>(IReadOnlyList<T> items) =>
        new(items, new PageInfo(items.Count, false, false, null, null));
}
