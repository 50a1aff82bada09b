using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Abstractions.Specifications;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Application.UnitTests.Common;
using FunctionsPlatform.Application.Workspaces;
using FunctionsPlatform.Domain.Workspaces;

namespace FunctionsPlatform.Application.UnitTests.Workspaces;

/// <summary>The single-workspace check behind /v1 projects and function visibility, and the grants it remembers.</summary>
public sealed class WorkspaceAccessTests
{
    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    /// <summary>Workspaces in memory; each probe is counted (it stands for one query).</summary>
    private sealed class InMemoryWorkspaces(List<Workspace> rows) : IReadRepository<Workspace>
    {
        public int Probes { get; private set; }

        private IEnumerable<Workspace> Matching(Specification<Workspace> spec) =>
            rows.Where(w => spec.WhereExpressions.All(e => e.Compile()(w)));

        public Task<bool> AnyAsync(Specification<Workspace> spec, CancellationToken ct = default)
        {
            Probes++;
            return Task.FromResult(Matching(spec).Any());
        }

        public Task<Workspace?> FirstOrDefaultAsync(Specification<Workspace> spec, CancellationToken ct = default) => Task.FromResult(Matching(spec).FirstOrDefault());
        public Task<TResult?> FirstOrDefaultAsync<TResult>(Specification<Workspace, TResult> spec, CancellationToken ct = default) => throw new InvalidOperationException("not used");
        public Task<List<Workspace>> ListAsync(Specification<Workspace> spec, CancellationToken ct = default) => Task.FromResult(Matching(spec).ToList());
        public Task<List<TResult>> ListAsync<TResult>(Specification<Workspace, TResult> spec, CancellationToken ct = default) => throw new InvalidOperationException("not used");
        public Task<int> CountAsync(Specification<Workspace> spec, CancellationToken ct = default) => Task.FromResult(Matching(spec).Count());
    }

    private readonly ManualClock _clock = new();
    private readonly List<Workspace> _rows = [];
    private readonly WorkspaceGrantCache _grants;

    public WorkspaceAccessTests()
    {
        _grants = new WorkspaceGrantCache(_clock);
        _rows.Add(Workspace.Create("ws_a", "A", "usr_owner", _clock.Now));
        _rows.Add(Workspace.Create("ws_b", "B", "usr_owner", _clock.Now));
    }

    private (WorkspaceAccess Access, InMemoryWorkspaces Repository) For(FakePrincipal principal)
    {
        var repository = new InMemoryWorkspaces(_rows);
        return (new WorkspaceAccess(principal, repository, _grants), repository);
    }

    [Test]
    public async Task CanSeeAsync_Member_ShouldSeeOwnWorkspaceOnly()
    {
        var (access, _) = For(new FakePrincipal { UserId = "usr_owner" });

        Assert.That(await access.CanSeeAsync("ws_a"), Is.True);
        Assert.That(await access.CanSeeAsync("ws_missing"), Is.False);
        var (stranger, _) = For(new FakePrincipal { UserId = "usr_other" });
        Assert.That(await stranger.CanSeeAsync("ws_a"), Is.False);
    }

    [Test]
    public async Task CanSeeAsync_Admin_ShouldSeeAnyExistingWorkspace()
    {
        var (access, _) = For(new FakePrincipal { UserId = "usr_admin", IsAdmin = true });

        Assert.That(await access.CanSeeAsync("ws_b"), Is.True);
        Assert.That(await access.CanSeeAsync("ws_missing"), Is.False);
    }

    [Test]
    public async Task CanSeeAsync_KeyBoundToAnotherWorkspace_ShouldRefuseWithoutAQuery()
    {
        var (access, repository) = For(new FakePrincipal { UserId = "usr_admin", IsAdmin = true, KeyWorkspaceId = "ws_a" });

        Assert.That(await access.CanSeeAsync("ws_b"), Is.False);
        Assert.That(repository.Probes, Is.Zero);
        Assert.That(async () => await access.EnsureAccessAsync("ws_b"), Throws.TypeOf<UnauthorizedException>());
    }

    [Test]
    public async Task CanSeeAsync_Granted_ShouldBeRememberedForTheNextRequest()
    {
        var principal = new FakePrincipal { UserId = "usr_owner" };
        var (first, firstRepository) = For(principal);
        var (second, secondRepository) = For(principal);

        await first.CanSeeAsync("ws_a");
        Assert.That(await second.CanSeeAsync("ws_a"), Is.True);

        Assert.That(firstRepository.Probes + secondRepository.Probes, Is.EqualTo(1));
    }

    [Test]
    public async Task CanSeeAsync_Refused_ShouldNotBeRemembered_SoANewMemberIsLetInAtOnce()
    {
        var principal = new FakePrincipal { UserId = "usr_new" };
        var (before, _) = For(principal);
        Assert.That(await before.CanSeeAsync("ws_a"), Is.False);

        _rows[0].AddMember("usr_new", MembershipRole.Member, _clock.Now);
        var (after, _) = For(principal);

        Assert.That(await after.CanSeeAsync("ws_a"), Is.True);
    }

    [Test]
    public async Task CanSeeAsync_GrantOlderThanTimeToLive_ShouldBeAskedAgain()
    {
        var principal = new FakePrincipal { UserId = "usr_owner" };
        var (first, _) = For(principal);
        await first.CanSeeAsync("ws_a");
        _clock.Now += WorkspaceGrantCache.TimeToLive + TimeSpan.FromMilliseconds(1);
        var (later, repository) = For(principal);

        await later.CanSeeAsync("ws_a");

        Assert.That(repository.Probes, Is.EqualTo(1));
    }

    [Test]
    public async Task CanSeeAsync_GrantOfAnotherCaller_ShouldNotApply()
    {
        var (owner, _) = For(new FakePrincipal { UserId = "usr_owner" });
        await owner.CanSeeAsync("ws_a");
        var (stranger, repository) = For(new FakePrincipal { UserId = "usr_other" });

        Assert.That(await stranger.CanSeeAsync("ws_a"), Is.False);
        Assert.That(repository.Probes, Is.EqualTo(1));
    }
}
