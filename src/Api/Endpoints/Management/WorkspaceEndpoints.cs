using FunctionsPlatform.Api.Contracts;
using FunctionsPlatform.Api.Infrastructure;
using FunctionsPlatform.Application.Workspaces;
using FunctionsPlatform.Application.Workspaces.Commands.AddMember;
using FunctionsPlatform.Application.Workspaces.Commands.CreateWorkspace;
using FunctionsPlatform.Application.Workspaces.Queries.ListWorkspaces;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FunctionsPlatform.Api.Endpoints.Management;

/// <summary>/api/workspaces and their members.</summary>
public sealed class WorkspaceEndpoints : IEndpointGroup
{
    public void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/workspaces").WithTags("Workspaces");
        group.MapPost("", CreateWorkspace).WithName(nameof(CreateWorkspace));
        group.MapGet("", ListWorkspaces).WithName(nameof(ListWorkspaces));
        group.MapPost("{id}/members", AddMember).WithName(nameof(AddMember));
    }

    public sealed record CreateWorkspaceRequest(string? Name, string? Id);

    public sealed record AddMemberRequest(string? UserId, string? Role);

    public static async Task<Created<WorkspaceDto>> CreateWorkspace(CreateWorkspaceRequest body, IMediator sender, CancellationToken ct)
    {
        var workspace = await sender.Send(new CreateWorkspaceCommand(body.Name ?? "", body.Id), ct);
        return TypedResults.Created($"/api/workspaces/{workspace.Id}", workspace);
    }

    public static async Task<Ok<ListResponse<WorkspaceDto>>> ListWorkspaces(IMediator sender, CancellationToken ct) =>
        TypedResults.Ok(UnpagedList.Of(await sender.Send(new ListWorkspacesQuery(), ct)));

    public static async Task<Ok<MembershipDto>> AddMember(string id, AddMemberRequest body, IMediator sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new AddMemberCommand(id, body.UserId ?? "", body.Role ?? ""), ct));
}
