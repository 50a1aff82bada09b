using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Abstractions.Security;
using FunctionsPlatform.Application.Account.Specifications;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Application.Functions;
using FunctionsPlatform.Domain.Identity;

namespace FunctionsPlatform.Application.Account.Commands.DeleteSession;

/// <summary>
/// DELETE /v1/account/sessions/{sessionId} (<c>appwrite logout</c>): <c>current</c> or one of the caller's own sessions
/// ends at once. Needs a session: an API key has no account.
/// </summary>
public sealed record DeleteSessionCommand(string SessionId) : ICommand<SuccessDto>;

internal sealed class DeleteSessionHandler(IRepository<Session> sessions, ICurrentPrincipal principal, ISessionAuthenticator authenticator, TimeProvider clock)
    : MediatR.IRequestHandler<DeleteSessionCommand, SuccessDto>
{
    public async Task<SuccessDto> Handle(DeleteSessionCommand request, CancellationToken cancellationToken)
    {
        var current = AccountAccess.RequireSession(principal);
        var id = request.SessionId == "current" ? current : request.SessionId;
        var session = await sessions.FirstOrDefaultAsync(new SessionOfUserSpec(principal.UserId, id), cancellationToken)
            ?? throw new NotFoundException("Session", request.SessionId, "user_session_not_found");
        session.End(clock.GetUtcNow());
        sessions.Remove(session);
        // Forgotten now, and again once the removal is committed (SessionEndedHandler), so a request racing this one
        // cannot re-cache the session as valid in between.
        authenticator.Forget(session.Id);
        return new SuccessDto(true);
    }
}
