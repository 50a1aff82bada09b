using FunctionsPlatform.Api.Contracts;
using FunctionsPlatform.Api.Infrastructure;
using FunctionsPlatform.Application.ApiKeys;
using FunctionsPlatform.Application.ApiKeys.Commands.CreateApiKey;
using FunctionsPlatform.Application.ApiKeys.Commands.RevokeApiKey;
using FunctionsPlatform.Application.ApiKeys.Queries.ListApiKeys;
using FunctionsPlatform.Application.Functions;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FunctionsPlatform.Api.Endpoints.Management;

/// <summary>/api/api-keys: mint (the token is shown once), list and revoke.</summary>
public sealed class ApiKeyEndpoints : IEndpointGroup
{
    public void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/api-keys").WithTags("API keys");
        group.MapPost("", CreateApiKey).WithName(nameof(CreateApiKey));
        group.MapGet("", ListApiKeys).WithName(nameof(ListApiKeys));
        group.MapDelete("{id}", RevokeApiKey).WithName(nameof(RevokeApiKey));
    }

    public sealed record CreateApiKeyRequest(string? Name, IReadOnlyList<string>? Scopes, string? UserId, string? WorkspaceId, DateTimeOffset? ExpiresAt);

    public static async Task<Created<CreatedApiKeyDto>> CreateApiKey(CreateApiKeyRequest body, IMediator sender, CancellationToken ct)
    {
        var key = await sender.Send(new CreateApiKeyCommand(body.Name ?? "", body.Scopes, body.UserId, body.WorkspaceId, body.ExpiresAt), ct);
        return TypedResults.Created($"/api/api-keys/{key.Id}", key);
    }

    public static async Task<Ok<ListResponse<ApiKeyDto>>> ListApiKeys(IMediator sender, CancellationToken ct) =>
        TypedResults.Ok(UnpagedList.Of(await sender.Send(new ListApiKeysQuery(), ct)));

    public static async Task<Ok<SuccessDto>> RevokeApiKey(string id, IMediator sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new RevokeApiKeyCommand(id), ct));
}
