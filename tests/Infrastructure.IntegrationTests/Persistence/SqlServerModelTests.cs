using FunctionsPlatform.Domain.Executions;
using FunctionsPlatform.Domain.Functions;
using FunctionsPlatform.Infrastructure.Persistence.Executions;
using FunctionsPlatform.Infrastructure.Resilience;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using FunctionsPlatform.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Persistence;

/// <summary>SQL Server proved offline: the model, its create script and every migration script build without a server.</summary>
public sealed class SqlServerModelTests
{
    private const string OfflineConnection = "Server=none;Database=x;TrustServerCertificate=True";

    private static SqlServerAppDbContext CreateSqlServer(string connection = OfflineConnection) =>
        new(new DbContextOptionsBuilder<SqlServerAppDbContext>().UseSqlServer(connection).ConfigureWarnings(w => w.Log(Microsoft.EntityFrameworkCore.Diagnostics.CoreEventId.ManyServiceProvidersCreatedWarning)).Options);

    private static SqliteAppDbContext CreateSqlite() =>
        new(new DbContextOptionsBuilder<SqliteAppDbContext>().UseSqlite("Data Source=:memory:").ConfigureWarnings(w => w.Log(Microsoft.EntityFrameworkCore.Diagnostics.CoreEventId.ManyServiceProvidersCreatedWarning)).Options);

    [Test]
    public void Model_WhenBuiltForSqlServer_ShouldContainEveryEntity()
    {
        using var context = CreateSqlServer();
        var tables = context.Model.GetEntityTypes().Select(e => e.GetTableName()).ToList();
        Assert.That(tables, Is.SupersetOf(new[] { "functions", "function_versions", "executions", "deployments", "variables", "schemas", "workspaces", "memberships", "users", "api_keys" }));
    }

    [Test]
    public void GenerateCreateScript_WhenSqlServer_ShouldCreateTablesWithBinaryCollation()
    {
        using var context = CreateSqlServer();
        var script = context.Database.GenerateCreateScript();
        Assert.That(script, Does.Contain("CREATE TABLE [functions]"));
        Assert.That(script, Does.Contain("CREATE TABLE [function_versions]"));
        Assert.That(script, Does.Contain("CREATE TABLE [executions]"));
        Assert.That(script, Does.Contain("COLLATE " + SqlServerAppDbContext.BinaryCollation));
        Assert.That(script, Does.Contain("datetimeoffset(3)"), "times are stored at millisecond precision");
    }

    [Test]
    public void MigrationScript_WhenAllSqlServerMigrations_ShouldGenerate()
    {
        using var context = CreateSqlServer();
        var migrations = context.Database.GetMigrations().ToList();
        Assert.That(migrations, Is.Not.Empty);

        var migrator = context.GetService<IMigrator>();
        var script = migrator.GenerateScript(fromMigration: Migration.InitialDatabase, options: MigrationsSqlGenerationOptions.Idempotent);
        Assert.That(script, Does.Contain("CREATE TABLE [functions]"));
        Assert.That(script, Does.Contain("CREATE TRIGGER [functions_live_count] ON [functions] AFTER INSERT, UPDATE, DELETE"));
        Assert.That(script, Does.Contain(migrations[^1]));
    }

    [Test]
    public void MigrationScript_WhenAllSqliteMigrations_ShouldGenerate()
    {
        using var context = CreateSqlite();
        var script = context.GetService<IMigrator>().GenerateScript(fromMigration: Migration.InitialDatabase);
        Assert.That(script, Does.Contain("CREATE TABLE \"functions\""));
    }

    [Test]
    public void HasPendingModelChanges_WhenSqlServer_ShouldBeFalse()
    {
        using var context = CreateSqlServer();
        Assert.That(context.Database.HasPendingModelChanges(), Is.False,
            "the SQL Server model differs from its last migration snapshot: add a migration (see README, Migrations)");
    }

    [Test]
    public void HasPendingModelChanges_WhenSqlite_ShouldBeFalse()
    {
        using var context = CreateSqlite();
        Assert.That(context.Database.HasPendingModelChanges(), Is.False,
            "the SQLite model differs from its last migration snapshot: add a migration (see README, Migrations)");
    }

    [Test]
    public void Query_WhenTranslatedForSqlServer_ShouldUseParametersAndOrdering()
    {
        using var context = CreateSqlServer();
#pragma warning disable CA1866 // the string overload is the translation under test
        var sql = context.Functions.Where(f => f.WorkspaceId == "default" && f.Name.StartsWith("a")).OrderByDescending(f => f.CreatedAt).ThenByDescending(f => f.Id).ToQueryString();
#pragma warning restore CA1866
        Assert.That(sql, Does.Contain("FROM [functions]"));
        Assert.That(sql, Does.Contain("ORDER BY [f].[CreatedAt] DESC, [f].[Id] DESC"));
        Assert.That(sql, Does.Contain("[f].[DeletedAt] IS NULL"), "the soft-delete filter applies");
    }

    [Test]
    public void ExecutionPages_WhenSqlServer_ShouldCutTheOffsetFromTheIndexAndCountWithTop()
    {
        using var context = CreateSqlServer();

        var text = ExecutionPages.PageText(context, descending: true) + "\n" + ExecutionPages.CountText(context);

        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("WHERE [Id] IN (SELECT [Id] FROM [executions] WHERE [FunctionId] = @functionId ORDER BY [CreatedAt] DESC, [Id] DESC OFFSET @skip ROWS FETCH NEXT @take ROWS ONLY)"));
            Assert.That(text, Does.Contain("SELECT COUNT_BIG(*) FROM (SELECT TOP (@cap) [Id] FROM [executions] WHERE [FunctionId] = @functionId) AS [counted]"));
            Assert.That(text, Does.Not.Contain("LIMIT"));
        });
    }

    /// <summary>
    /// Live run against a real SQL Server, only when <c>FUNCTIONS_TEST_SQLSERVER</c> holds a connection string. Without
    /// it the result is Inconclusive (Assume), never a pass: nothing was proved, and the report says so.
    /// </summary>
    [Test]
    public async Task LiveSqlServer_WhenConfigured_ShouldMigrateAndRoundTripAFunction()
    {
        var connection = Environment.GetEnvironmentVariable("FUNCTIONS_TEST_SQLSERVER");
        Assume.That(connection, Is.Not.Null.And.Not.Empty, "FUNCTIONS_TEST_SQLSERVER is not set: live SQL Server test not run");

        await using (var context = CreateSqlServer(connection!))
        {
            await context.Database.MigrateAsync();
            Assert.That(await context.Database.GetPendingMigrationsAsync(), Is.Empty);
        }

        var id = "fun_it_" + Guid.NewGuid().ToString("N")[..12];
        var now = DateTimeOffset.UtcNow;
        var function = Function.Create(id, "ws_live", "Live", "node-20", now, settings: new FunctionSettings { Execute = ["any"] });
        await using (var context = CreateSqlServer(connection!))
        {
            context.Functions.Add(function);
            await context.SaveChangesAsync();
        }

        await using (var context = CreateSqlServer(connection!))
        {
            var read = await context.Functions.SingleAsync(f => f.Id == id);
            Assert.That(read.CreatedAt, Is.EqualTo(function.CreatedAt));
            Assert.That(read.Execute, Is.EqualTo(new[] { "any" }));
            Assert.That(await LiveCountAsync(context), Is.EqualTo(await context.Functions.LongCountAsync(f => f.WorkspaceId == "ws_live")), "the trigger counted the insert");
            await AppendExecutionThroughJournalAsync(connection!, id, now);
            Assert.That(await context.Executions.CountAsync(e => e.FunctionId == id && e.CreatedAt == now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond))), Is.EqualTo(1), "the journal's raw insert reads back through EF");
            var page = await new ExecutionPages(context).ReadAsync(new Application.Abstractions.Persistence.ExecutionPageRequest(id, false, 0, 1, 5001), CancellationToken.None);
            var viaEf = await context.Executions.AsNoTracking().SingleAsync(e => e.FunctionId == id);
            Assert.That((page.Counted, page.Rows.Single().Id, page.Rows.Single().CreatedAt, page.Rows.Single().Status), Is.EqualTo(((long?)1, viaEf.Id, viaEf.CreatedAt, viaEf.Status)), "the page reader reads what EF reads");
            read.SoftDelete(DateTimeOffset.UtcNow);
            await context.SaveChangesAsync();
            Assert.That(await LiveCountAsync(context), Is.EqualTo(await context.Functions.LongCountAsync(f => f.WorkspaceId == "ws_live")), "and the soft delete");
            context.Functions.Remove(read);
            await context.SaveChangesAsync();
        }
    }

    private static async Task AppendExecutionThroughJournalAsync(string connection, string functionId, DateTimeOffset now)
    {
        var services = new ServiceCollection();
        services.AddDbContextPool<SqlServerAppDbContext>(o => o.UseSqlServer(connection).ConfigureWarnings(w => w.Log(Microsoft.EntityFrameworkCore.Diagnostics.CoreEventId.ManyServiceProvidersCreatedWarning)));
        services.AddScoped<AppDbContext>(sp => sp.GetRequiredService<SqlServerAppDbContext>());
        await using var provider = services.BuildServiceProvider();
        await using var journal = new WriteBehindExecutionJournal(provider.GetRequiredService<IServiceScopeFactory>(), new ResiliencePipelineProvider(), NullLogger<WriteBehindExecutionJournal>.Instance);
        var execution = Execution.Create("exe_" + functionId, functionId, "ws_live", ExecutionTrigger.Http, "POST", "/", [new HeaderPair("content-type", "application/json")], "{}", now);
        execution.Conclude(new RunOutcome(true, 200, "{}", [], "", "", 0.001), now);
        await journal.AppendAsync(execution);
        await journal.WhenWrittenAsync(CancellationToken.None);
    }

    private static Task<long> LiveCountAsync(DbContext context) =>
        context.Set<Infrastructure.Persistence.ReadModels.WorkspaceFunctionCount>().Where(c => c.WorkspaceId == "ws_live").Select(c => c.Live).SingleOrDefaultAsync();
}
