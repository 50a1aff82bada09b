using FunctionsPlatform.Domain.Executions;
using FunctionsPlatform.Infrastructure.Persistence;
using FunctionsPlatform.Infrastructure.Persistence.Configurations;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Persistence;

/// <summary>The claim query reads the partial index of unfinished executions; finished rows are not in it.</summary>
public sealed class ExecutionQueueIndexTests : SqliteDatabaseTestBase
{
    [Test]
    public async Task DueQuery_OnSqlite_ShouldSearchThePartialIndexOfUnfinishedRows()
    {
        await using var context = CreateContext();
        var sql = new ExecutionLeases(context).DueQuery(DateTimeOffset.UtcNow, 10).ToQueryString();
        var statement = string.Join('\n', sql.Split('\n').Where(line => !line.StartsWith(".param", StringComparison.Ordinal)));

        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var explain = connection.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + statement;
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(3));
            }
        }

        Assert.That(string.Join(" | ", plan), Does.Contain(ExecutionConfiguration.UnfinishedIndex), sql);
        Assert.That(string.Join(" | ", plan), Does.Not.Contain("TEMP B-TREE"), "the index order is the query's order");
    }

    [Test]
    public void UnfinishedIndex_ShouldCoverExactlyTheStatusesAnExecutionCanBeClaimedIn()
    {
        var claimable = Enum.GetValues<ExecutionStatus>().Where(s => s is not (ExecutionStatus.Completed or ExecutionStatus.Failed));

        Assert.That(ExecutionConfiguration.UnfinishedStatuses, Is.EquivalentTo(claimable));
        using var context = CreateContext();
        var index = context.Model.FindEntityType(typeof(Execution))!.GetIndexes().Single(i => i.GetDatabaseName() == ExecutionConfiguration.UnfinishedIndex);
        Assert.That(index.GetFilter(), Is.EqualTo("\"Status\" IN ('Waiting', 'Scheduled', 'Processing')"));
    }
}
