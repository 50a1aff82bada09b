using FunctionsPlatform.Application.Common.Behaviours;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Domain.Identity;
using MediatR;

namespace FunctionsPlatform.Application.UnitTests.Common;

[RequiresScope(Scope.FunctionsWrite)]
public sealed record ScopedTestRequest(string WorkspaceId) : IRequest<string>, IWorkspaceScoped;

[RequiresAdmin]
public sealed record AdminTestRequest : IRequest<string>;

[AllowAnonymousRequest]
public sealed record AnonymousTestRequest : IRequest<string>;

public sealed record PlainTestRequest : IRequest<string>;

public sealed class AuthorizationBehaviourTests
{
    private static async Task<(string Result, bool NextCalled)> SendAsync<TRequest>(TRequest request, FakePrincipal principal, FakeWorkspaceAccess? access = null)
    {
        var behaviour = new AuthorizationBehaviour<TRequest, string>(principal, access ?? new FakeWorkspaceAccess());
        var called = false;
        var result = await behaviour.Handle(request, CancellationToken.None, () =>
        {
            called = true;
            return Task.FromResult("handled");
        });
        return (result, called);
    }

    [Test]
    public void Handle_WhenUnauthenticated_ShouldThrowUnauthorized() =>
        Assert.ThrowsAsync<UnauthorizedException>(() => SendAsync(new PlainTestRequest(), FakePrincipal.Anonymous));

    [Test]
    public void Handle_FunctionKeyOnAnOperationNoScopeGuards_ShouldThrowForbidden()
    {
        var functionKey = new FakePrincipal { UserId = "", KeyFunctionId = "fn_1", Scopes = new HashSet<string> { Scope.FunctionsWrite } };

        var exception = Assert.ThrowsAsync<ForbiddenException>(() => SendAsync(new PlainTestRequest(), functionKey));

        Assert.That(exception!.Message, Does.Contain("function's key"));
    }

    [Test]
    public async Task Handle_FunctionKeyWithTheScope_ShouldCallNext()
    {
        var functionKey = new FakePrincipal { UserId = "", KeyFunctionId = "fn_1", Scopes = new HashSet<string> { Scope.FunctionsWrite } };

        var (_, called) = await SendAsync(new ScopedTestRequest(FakeWorkspaceAccess.MyWorkspace), functionKey);

        Assert.That(called, Is.True);
    }

    [Test]
    public void Handle_WhenScopeMissing_ShouldThrowForbidden()
    {
        var exception = Assert.ThrowsAsync<ForbiddenException>(() => SendAsync(new ScopedTestRequest(FakeWorkspaceAccess.MyWorkspace), FakePrincipal.WithScopes(Scope.FunctionsRead)));
        Assert.That(exception!.Message, Does.Contain(Scope.FunctionsWrite));
    }

    [Test]
    public async Task Handle_WhenScopeAndMembership_ShouldCallNext()
    {
        var access = new FakeWorkspaceAccess();
        var (result, called) = await SendAsync(new ScopedTestRequest(FakeWorkspaceAccess.MyWorkspace), FakePrincipal.WithScopes(Scope.FunctionsWrite), access);
        Assert.That(called, Is.True);
        Assert.That(result, Is.EqualTo("handled"));
        Assert.That(access.Checked, Is.EqualTo(new[] { FakeWorkspaceAccess.MyWorkspace }));
    }

    [Test]
    public void Handle_WhenNotMemberOfWorkspace_ShouldThrowNotFound() =>
        Assert.ThrowsAsync<NotFoundException>(() => SendAsync(new ScopedTestRequest("ws_other"), FakePrincipal.WithScopes(Scope.FunctionsWrite)));

    [Test]
    public async Task Handle_WhenWorkspaceIdEmpty_ShouldLeaveItToValidation()
    {
        var access = new FakeWorkspaceAccess();
        var (_, called) = await SendAsync(new ScopedTestRequest(""), FakePrincipal.WithScopes(Scope.FunctionsWrite), access);
        Assert.That(called, Is.True);
        Assert.That(access.Checked, Is.Empty);
    }

    [Test]
    public void Handle_WhenAdminOnlyAndNotAdmin_ShouldThrowForbidden() =>
        Assert.ThrowsAsync<ForbiddenException>(() => SendAsync(new AdminTestRequest(), FakePrincipal.WithScopes([.. Scope.All])));

    [Test]
    public async Task Handle_WhenAdminOnlyAndAdmin_ShouldCallNext()
    {
        var (_, called) = await SendAsync(new AdminTestRequest(), new FakePrincipal { IsAdmin = true });
        Assert.That(called, Is.True);
    }

    [Test]
    public void Handle_WhenAdminOnlyAndUnauthenticated_ShouldThrowUnauthorizedFirst() =>
        Assert.ThrowsAsync<UnauthorizedException>(() => SendAsync(new AdminTestRequest(), FakePrincipal.Anonymous));

    [Test]
    public async Task Handle_WhenAnonymousAllowed_ShouldCallNextWithoutCaller()
    {
        var (_, called) = await SendAsync(new AnonymousTestRequest(), FakePrincipal.Anonymous);
        Assert.That(called, Is.True);
    }
}
