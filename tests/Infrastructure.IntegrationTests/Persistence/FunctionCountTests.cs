using FunctionsPlatform.Domain.Functions;
using FunctionsPlatform.Infrastructure.Persistence;
using FunctionsPlatform.Infrastructure.Persistence.ReadModels;
using Microsoft.EntityFrameworkCore;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Persistence;

/// <summary>The triggers on <c>functions</c> keep <c>function_counts</c> equal to a real count after every kind of write.</summary>
public sealed class FunctionCountTests : SqliteDatabaseTestBase
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    private static Function NewFunction(string id, string workspace, bool system = false) =>
        Function.Create(id, workspace, "fn " + id, "node-20", Now, source: system ? FunctionSource.System : FunctionSource.Custom);

    [Test]
    public async Task Counts_AfterCreateSoftDeleteRestoreAndPurge_ShouldEqualLiveRows()
    {
        await SaveAsync(NewFunction("fun_1", "ws_a"), NewFunction("fun_2", "ws_a"), NewFunction("fun_3", "ws_a"), NewFunction("fun_4", "ws_b"));
        await AssertCountsAsync(("ws_a", 3), ("ws_b", 1));

        await ChangeAsync("fun_1", f => f.SoftDelete(Now.AddMinutes(1)));
        await AssertCountsAsync(("ws_a", 2), ("ws_b", 1));

        await ChangeAsync("fun_2", f => f.UpdateDetails("renamed", null, null, clearDescription: false, Now.AddMinutes(2)));
        await AssertCountsAsync(("ws_a", 2), ("ws_b", 1));

        await ChangeAsync("fun_1", f => f.Restore(Now.AddMinutes(3)));
        await AssertCountsAsync(("ws_a", 3), ("ws_b", 1));

        await using (var context = CreateContext())
        {
            context.Functions.Remove(await context.Functions.SingleAsync(f => f.Id == "fun_2"));
            await context.SaveChangesAsync();
        }

        await AssertCountsAsync(("ws_a", 2), ("ws_b", 1));

        await ChangeAsync("fun_3", f => f.SoftDelete(Now.AddMinutes(4)));
        await using (var context = CreateContext())
        {
            // Purging a soft-deleted function does not count it twice.
            context.Functions.Remove(await context.Functions.IgnoreQueryFilters().SingleAsync(f => f.Id == "fun_3"));
            await context.SaveChangesAsync();
        }

        await AssertCountsAsync(("ws_a", 1), ("ws_b", 1));
    }

    [Test]
    public async Task Counts_AfterMultiRowStatementsOutsideEf_ShouldEqualLiveRows()
    {
        await SaveAsync(NewFunction("fun_1", "ws_a"), NewFunction("fun_2", "ws_a"), NewFunction("fun_3", "ws_b"));
        await using var context = CreateContext();
        await context.Database.ExecuteSqlRawAsync("UPDATE functions SET DeletedAt = 1 WHERE Id IN ('fun_1', 'fun_3')");
        await AssertCountsAsync(("ws_a", 1), ("ws_b", 0));
        await context.Database.ExecuteSqlRawAsync("UPDATE functions SET WorkspaceId = 'ws_c', DeletedAt = NULL");
        await AssertCountsAsync(("ws_a", 0), ("ws_b", 0), ("ws_c", 3));
        await context.Database.ExecuteSqlRawAsync("DELETE FROM functions WHERE Id <> 'fun_2'");
        await AssertCountsAsync(("ws_a", 0), ("ws_b", 0), ("ws_c", 1));
    }

    [Test]
    public async Task CountLive_WithSystemFunctionsElsewhere_ShouldAddThemOnce()
    {
        await SaveAsync(NewFunction("fun_1", "ws_a"), NewFunction("fun_2", "ws_a", system: true), NewFunction("fun_3", "ws_sys", system: true),
            NewFunction("fun_4", "ws_b"));
        await ChangeAsync("fun_4", f => f.SoftDelete(Now));
        await using var context = CreateContext();
        var counts = new FunctionCounts(context);

        Assert.That(await counts.CountLiveAsync(["ws_a"], includeSystemElsewhere: true, CancellationToken.None), Is.EqualTo(3), "fun_1, fun_2 and fun_3");
        Assert.That(await counts.CountLiveAsync(["ws_a"], includeSystemElsewhere: false, CancellationToken.None), Is.EqualTo(2));
        Assert.That(await counts.CountLiveAsync(["ws_b"], includeSystemElsewhere: true, CancellationToken.None), Is.EqualTo(2), "the two system functions");
        Assert.That(await counts.CountLiveAsync([], includeSystemElsewhere: false, CancellationToken.None), Is.Zero);
        Assert.That(await counts.CountLiveAsync(null, includeSystemElsewhere: true, CancellationToken.None), Is.EqualTo(3), "every workspace");
    }

    private static async Task ChangeAsync(string id, Action<Function> change)
    {
        await using var context = CreateContext();
        var function = await context.Functions.IgnoreQueryFilters().SingleAsync(f => f.Id == id);
        change(function);
        await context.SaveChangesAsync();
    }

    private static async Task AssertCountsAsync(params (string Workspace, long Live)[] expected)
    {
        await using var context = CreateContext();
        var counters = await context.Set<WorkspaceFunctionCount>().ToDictionaryAsync(c => c.WorkspaceId, c => c.Live);
        var actual = await context.Functions.GroupBy(f => f.WorkspaceId).Select(g => new { g.Key, Count = g.LongCount() }).ToDictionaryAsync(g => g.Key, g => g.Count);
        foreach (var (workspace, live) in expected)
        {
            Assert.That(counters.GetValueOrDefault(workspace), Is.EqualTo(live), $"counter of {workspace}");
            Assert.That(actual.GetValueOrDefault(workspace), Is.EqualTo(live), $"live rows of {workspace}");
        }
    }
}
