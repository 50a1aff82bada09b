using FunctionsPlatform.Domain.Deployments;
using FunctionsPlatform.Domain.Executions;
using FunctionsPlatform.Domain.Functions;
using FunctionsPlatform.Domain.FunctionVersions;
using FunctionsPlatform.Domain.Identity;
using FunctionsPlatform.Domain.Schemas;
using FunctionsPlatform.Domain.Variables;
using FunctionsPlatform.Domain.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Persistence;

public sealed class RoundTripTests : SqliteDatabaseTestBase
{
    /// <summary>Sub-millisecond ticks on purpose: the domain truncates, and the stored value must read back equal.</summary>
    private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 11, 23, 10, 0, 0, 123, TimeSpan.Zero).AddTicks(4567);

    private static async Task<(Workspace Workspace, Function Function)> SeedFunctionAsync(string id = "fun_1", DateTimeOffset? at = null)
    {
        var user = User.Create("usr_" + id, "Ann", $"{id}@example.test", false, Now);
        var workspace = Workspace.Create("ws_" + id, "Team", user.Id, Now);
        var function = Function.Create(id, workspace.Id, "hello " + id, "node-20", at ?? Now, description: "desc",
            settings: new FunctionSettings { Execute = ["any"], Events = ["users.*.create"], Scopes = ["users.read"], Timeout = 30, Entrypoint = "index.js" });
        await SaveAsync(user, workspace, function);
        return (workspace, function);
    }

    [Test]
    public async Task Function_WhenSavedAndRead_ShouldRoundTripAllFields()
    {
        var (_, saved) = await SeedFunctionAsync();

        await using var context = CreateContext();
        var read = await context.Functions.SingleAsync(f => f.Id == saved.Id);

        Assert.That(read.Name, Is.EqualTo(saved.Name));
        Assert.That(read.Description, Is.EqualTo("desc"));
        Assert.That(read.Execute, Is.EqualTo(new[] { "any" }));
        Assert.That(read.Events, Is.EqualTo(new[] { "users.*.create" }));
        Assert.That(read.Scopes, Is.EqualTo(new[] { "users.read" }));
        Assert.That(read.ProviderBranches, Is.Empty);
        Assert.That(read.Timeout, Is.EqualTo(30));
        Assert.That(read.Entrypoint, Is.EqualTo("index.js"));
        Assert.That(read.Source, Is.EqualTo(FunctionSource.Custom));
        Assert.That(read.CreatedAt, Is.EqualTo(saved.CreatedAt));
        Assert.That(read.CreatedAt, Is.EqualTo(Now.AddTicks(-4567)), "stored at millisecond precision");
        Assert.That(read.UpdatedAt, Is.EqualTo(saved.UpdatedAt));
        Assert.That(read.ConcurrencyStamp, Is.EqualTo(saved.ConcurrencyStamp));
    }

    [Test]
    public async Task Function_WhenFilteredByReadBackTime_ShouldMatchExactly()
    {
        var (_, saved) = await SeedFunctionAsync();
        await using var context = CreateContext();
        var createdAt = (await context.Functions.SingleAsync()).CreatedAt;
        Assert.That(await context.Functions.CountAsync(f => f.CreatedAt == createdAt), Is.EqualTo(1));
        Assert.That(await context.Functions.CountAsync(f => f.CreatedAt > createdAt), Is.Zero);
        Assert.That(saved.Id, Is.Not.Null);
    }

    [Test]
    public async Task Functions_WhenOrderedByCreatedAtInSql_ShouldFollowTime()
    {
        await SeedFunctionAsync("fun_b", Now.AddMilliseconds(1));
        await SeedFunctionAsync("fun_c", Now.AddDays(-1));
        await SeedFunctionAsync("fun_a", Now.AddYears(1));

        await using var context = CreateContext();
        var ids = await context.Functions.OrderByDescending(f => f.CreatedAt).Select(f => f.Id).ToListAsync();
        var later = await context.Functions.Where(f => f.CreatedAt > Now).Select(f => f.Id).OrderBy(i => i).ToListAsync();

        Assert.That(ids, Is.EqualTo(new[] { "fun_a", "fun_b", "fun_c" }));
        Assert.That(later, Is.EqualTo(new[] { "fun_a", "fun_b" }));
        var sql = context.Functions.Where(f => f.CreatedAt > Now).ToQueryString();
        Assert.That(sql, Does.Not.Contain("ToUnixTimeMilliseconds"), "the comparison must run in SQL");
    }

    [Test]
    public async Task FunctionVersion_WhenSavedWithFiles_ShouldRoundTripFilesAndFork()
    {
        var (workspace, function) = await SeedFunctionAsync();
        var schema = Schema.Create("sch_1", workspace.Id, "input", """{"type":"object"}""", Now);
        var version = FunctionVersion.Create("funver_1", function.Id, "v1", schema.Id, null, Now,
            [VersionFile.Create("index.js", "module.exports = () => 'é';"), VersionFile.Create("lib/util.js", "")]);
        var fork = version.Fork("funver_2", "v2", Now.AddSeconds(1));
        await SaveAsync(schema, version, fork);

        await using var context = CreateContext();
        var read = await context.FunctionVersions.SingleAsync(v => v.Id == "funver_1");
        var readFork = await context.FunctionVersions.SingleAsync(v => v.Id == "funver_2");
        var readSchema = await context.Schemas.SingleAsync();

        Assert.That(read.Files.Select(f => (f.Path, f.Content, f.Size)), Is.EqualTo(version.Files.Select(f => (f.Path, f.Content, f.Size))));
        Assert.That(read.InputSchemaId, Is.EqualTo("sch_1"));
        Assert.That(readFork.ParentId, Is.EqualTo("funver_1"));
        Assert.That(readFork.Files, Has.Count.EqualTo(2));
        Assert.That(readSchema.Document, Is.EqualTo("""{"type":"object"}"""));
    }

    [Test]
    public async Task Execution_WhenSaved_ShouldRoundTripHeadersStatusAndLease()
    {
        var (workspace, function) = await SeedFunctionAsync();
        var execution = Execution.Create("exe_1", function.Id, workspace.Id, ExecutionTrigger.Http, "POST", "/", [new HeaderPair("x-a", "1")], "{}", Now, async: true);
        execution.Claim("worker-1", Now, TimeSpan.FromSeconds(30));
        await SaveAsync(execution);

        await using var context = CreateContext();
        var read = await context.Executions.SingleAsync();
        Assert.That(read.RequestHeaders, Is.EqualTo(new[] { new HeaderPair("x-a", "1") }));
        Assert.That(read.Status, Is.EqualTo(ExecutionStatus.Processing));
        Assert.That(read.Trigger, Is.EqualTo(ExecutionTrigger.Http));
        Assert.That(read.LeaseOwner, Is.EqualTo("worker-1"));
        Assert.That(read.LeaseExpiresAt, Is.EqualTo(execution.LeaseExpiresAt));
        Assert.That(await context.Executions.CountAsync(e => e.LeaseExpiresAt < Now.AddMinutes(1)), Is.EqualTo(1), "lease times compare in SQL");
    }

    [Test]
    public async Task Deployment_And_Variable_WhenSaved_ShouldRoundTrip()
    {
        var (_, function) = await SeedFunctionAsync();
        var deployment = Deployment.Create("dep_1", function.Id, "index.js", "npm ci", true, "manual", 3, Now);
        deployment.StartBuild(Now);
        var variable = Variable.Create("var_1", function.Id, "API_URL", "https://x", secret: true, Now);
        await SaveAsync(deployment, variable);

        await using var context = CreateContext();
        var readDeployment = await context.Deployments.SingleAsync();
        var readVariable = await context.Variables.SingleAsync();
        Assert.That(readDeployment.Status, Is.EqualTo(DeploymentStatus.Building));
        Assert.That(readDeployment.ChunksTotal, Is.EqualTo(3));
        Assert.That(readDeployment.BuildStartedAt, Is.EqualTo(deployment.BuildStartedAt));
        Assert.That(readVariable.Secret, Is.True);
        Assert.That(readVariable.Key, Is.EqualTo("API_URL"));
    }

    [Test]
    public async Task Workspace_And_ApiKey_WhenSaved_ShouldRoundTripMembersAndScopes()
    {
        var owner = User.Create("usr_1", "Ann", "ann@example.test", true, Now);
        var member = User.Create("usr_2", "Bob", "bob@example.test", false, Now);
        var workspace = Workspace.Create("default", "Default", owner.Id, Now);
        workspace.AddMember(member.Id, MembershipRole.Member, Now);
        var key = ApiKey.Create("key_1", "ci", "hash-1", owner.Id, [Scope.FunctionsRead, Scope.ExecutionsWrite], workspace.Id, Now.AddDays(1), Now);
        await SaveAsync(owner, member, workspace, key);

        await using var context = CreateContext();
        var readWorkspace = await context.Workspaces.SingleAsync();
        var readKey = await context.ApiKeys.SingleAsync();
        var admin = await context.Users.SingleAsync(u => u.IsAdmin);

        Assert.That(readWorkspace.Members.Select(m => (m.UserId, m.Role)), Is.EquivalentTo(new[] { ("usr_1", MembershipRole.Owner), ("usr_2", MembershipRole.Member) }));
        Assert.That(readKey.Scopes, Is.EqualTo(new[] { Scope.FunctionsRead, Scope.ExecutionsWrite }));
        Assert.That(readKey.WorkspaceId, Is.EqualTo("default"));
        Assert.That(readKey.ExpiresAt, Is.EqualTo(key.ExpiresAt));
        Assert.That(readKey.IsUsableAt(Now), Is.True);
        Assert.That(admin.Id, Is.EqualTo("usr_1"));
    }

    [Test]
    public async Task Function_WhenUpdatedConcurrently_ShouldThrowConcurrencyException()
    {
        var (_, function) = await SeedFunctionAsync();

        await using var first = CreateContext();
        await using var second = CreateContext();
        var a = await first.Functions.SingleAsync(f => f.Id == function.Id);
        var b = await second.Functions.SingleAsync(f => f.Id == function.Id);

        a.UpdateDetails("first", null, null, false, Now.AddSeconds(1));
        await first.SaveChangesAsync();
        b.UpdateDetails("second", null, null, false, Now.AddSeconds(2));

        Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync());
        await using var check = CreateContext();
        Assert.That((await check.Functions.SingleAsync()).Name, Is.EqualTo("first"));
    }

    [Test]
    public async Task SoftDeleteFilter_WhenFunctionDeleted_ShouldHideItUnlessIgnored()
    {
        var (_, live) = await SeedFunctionAsync("fun_live");
        var (_, deleted) = await SeedFunctionAsync("fun_gone");
        await using (var context = CreateContext())
        {
            var toDelete = await context.Functions.SingleAsync(f => f.Id == deleted.Id);
            toDelete.SoftDelete(Now);
            await context.SaveChangesAsync();
        }

        await using var read = CreateContext();
        Assert.That(await read.Functions.Select(f => f.Id).ToListAsync(), Is.EqualTo(new[] { live.Id }));
        var all = await read.Functions.IgnoreQueryFilters([Infrastructure.Persistence.AppDbContext.SoftDeleteFilter]).Select(f => f.Id).OrderBy(i => i).ToListAsync();
        Assert.That(all, Is.EqualTo(new[] { deleted.Id, live.Id }));
    }

    [Test]
    public async Task SoftDeleteFilter_WhenVersionDeleted_ShouldHideIt()
    {
        var (_, function) = await SeedFunctionAsync();
        var version = FunctionVersion.Create("funver_1", function.Id, "v1", null, null, Now);
        version.SoftDelete(Now);
        await SaveAsync(version);

        await using var context = CreateContext();
        Assert.That(await context.FunctionVersions.CountAsync(), Is.Zero);
        Assert.That(await context.FunctionVersions.IgnoreQueryFilters([Infrastructure.Persistence.AppDbContext.SoftDeleteFilter]).CountAsync(), Is.EqualTo(1));
    }

    [Test]
    public async Task Migrations_WhenApplied_ShouldLeaveNothingPending()
    {
        await using var context = CreateContext();
        Assert.That(await context.Database.GetPendingMigrationsAsync(), Is.Empty);
        Assert.That(await context.Database.GetAppliedMigrationsAsync(), Is.Not.Empty);
    }
}
