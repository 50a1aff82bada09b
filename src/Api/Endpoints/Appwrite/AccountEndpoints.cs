using FunctionsPlatform.Api.Authentication;
using FunctionsPlatform.Api.Contracts.Appwrite;
using FunctionsPlatform.Api.Infrastructure;
using FunctionsPlatform.Application.Account.Commands.CreateEmailSession;
using FunctionsPlatform.Application.Account.Commands.DeleteSession;
using FunctionsPlatform.Application.Account.Queries.GetAccount;
using MediatR;

namespace FunctionsPlatform.Api.Endpoints.Appwrite;

/// <summary>/v1/account: console sessions, what <c>appwrite login</c>, <c>whoami</c> and <c>logout</c> use.</summary>
public sealed class AccountEndpoints : IEndpointGroup
{
    public void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/account").WithTags("Appwrite account");
        group.MapGet("", AccountGet).WithName(nameof(AccountGet));
        group.MapPost("sessions/email", AccountCreateEmailPasswordSession).WithName(nameof(AccountCreateEmailPasswordSession))
            .Accepts<EmailSessionRequest>("application/json").AllowAnonymous();
        group.MapDelete("sessions/{sessionId}", AccountDeleteSession).WithName(nameof(AccountDeleteSession));
    }

    public static async Task<IResult> AccountGet(IMediator sender, CancellationToken ct) =>
        AppwriteRequest.Json(AccountModel.From(await sender.Send(new GetAccountQuery(), ct)));

    /// <summary>201 with the Session and its cookie; the cookie is what later requests present.</summary>
    public static async Task<IResult> AccountCreateEmailPasswordSession(HttpRequest request, HttpResponse response, IMediator sender, CancellationToken ct)
    {
        var body = await AppwriteRequest.BodyAsync<EmailSessionRequest>(request, ct);
        var opened = await sender.Send(new CreateEmailSessionCommand(body.Email, body.Password), ct);
        SessionCookie.Write(response, opened.Secret, opened.Session.ExpiresAt);
        return AppwriteRequest.Json(SessionModel.From(opened.Session, current: true), StatusCodes.Status201Created);
    }

    public static async Task<IResult> AccountDeleteSession(string sessionId, HttpResponse response, IMediator sender, CancellationToken ct)
    {
        await sender.Send(new DeleteSessionCommand(sessionId), ct);
        if (sessionId == "current")
        {
            SessionCookie.Clear(response);
        }

        return Results.NoContent();
    }
}
