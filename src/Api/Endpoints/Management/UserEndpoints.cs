using FunctionsPlatform.Api.Contracts;
using FunctionsPlatform.Api.Infrastructure;
using FunctionsPlatform.Application.Users;
using FunctionsPlatform.Application.Users.Commands.CreateUser;
using FunctionsPlatform.Application.Users.Queries.ListUsers;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FunctionsPlatform.Api.Endpoints.Management;

/// <summary>/api/users: admins create and list users.</summary>
public sealed class UserEndpoints : IEndpointGroup
{
    public void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/users").WithTags("Users");
        group.MapPost("", CreateUser).WithName(nameof(CreateUser));
        group.MapGet("", ListUsers).WithName(nameof(ListUsers));
    }

    public sealed record CreateUserRequest(string? Name, string? Email, bool? IsAdmin);

    public static async Task<Created<UserDto>> CreateUser(CreateUserRequest body, IMediator sender, CancellationToken ct)
    {
        var user = await sender.Send(new CreateUserCommand(body.Name ?? "", body.Email ?? "", body.IsAdmin ?? false), ct);
        return TypedResults.Created($"/api/users/{user.Id}", user);
    }

    public static async Task<Ok<ListResponse<UserDto>>> ListUsers(IMediator sender, CancellationToken ct) =>
        TypedResults.Ok(UnpagedList.Of(await sender.Send(new ListUsersQuery(), ct)));
}
