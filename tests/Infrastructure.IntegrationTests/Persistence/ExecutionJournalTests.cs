using System.Data.Common;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Domain.Executions;
using FunctionsPlatform.Domain.Functions;
using FunctionsPlatform.Domain.Identity;
using FunctionsPlatform.Domain.Workspaces;
using FunctionsPlatform.Infrastructure.Persistence;
using FunctionsPlatform.Infrastructure.Persistence.Executions;
using FunctionsPlatform.Infrastructure.Resilience;
using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Persistence;

/// <summary>The group-commit journal that stores synchronous executions, and the model-built insert under it.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "NUnit's [TearDown] disposes the journal after every test.")]
public sealed class ExecutionJournalTests : SqliteDatabaseTestBase
{
    private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 11, 24, 9, 30, 0, 456, TimeSpan.Zero).AddTicks(789);

    private ServiceProvider _services = null!;
    private GroupCommitExecutionJournal _journal = null!;

    [SetUp]
    public async Task StartJournalAsync()
    {
        var services = new ServiceCollection();
        services.AddDbContextPool<SqliteAppDbContext>(o => o.UseSqlite(ConnectionString).AddInterceptors(new SqliteConnectionPragmas()).ConfigureWarnings(w => w.Log(Microsoft.EntityFrameworkCore.Diagnostics.CoreEventId.ManyServiceProvidersCreatedWarning)));
        services.AddScoped<AppDbContext>(sp => sp.GetRequiredService<SqliteAppDbContext>());
        _services = services.BuildServiceProvider();
        _journal = new GroupCommitExecutionJournal(_services.GetRequiredService<IServiceScopeFactory>(), new ResiliencePipelineProvider(), NullLogger<GroupCommitExecutionJournal>.Instance);

        var user = User.Create("usr_j", "Ann", "j@example.test", false, Now);
        var workspace = Workspace.Create("ws_j", "Team", user.Id, Now);
        await SaveAsync(user, workspace, Function.Create("fun_j", workspace.Id, "journal", "node-20", Now));
    }

    [TearDown]
    public async Task StopJournalAsync()
    {
        await _journal.DisposeAsync();
        await _services.DisposeAsync();
    }

    private static Execution Finished(string id, string functionId = "fun_j")
    {
        var execution = Execution.Create(id, functionId, "ws_j", ExecutionTrigger.Http, "POST", "/run?x=1",
            [new HeaderPair("content-type", "application/json"), new HeaderPair("x-trace", "é ✓")], """{"a":1}""", Now,
            versionId: "ver_j", createdBy: "usr_j");
        execution.Conclude(new RunOutcome(true, 201, """{"ok":true}""", [new HeaderPair("x-out", "1")], "log line\n", "warn line\n", 0.0123), Now.AddSeconds(1));
        return execution;
    }

    [Test]
    public async Task AppendAsync_WhenReadBackThroughEf_ShouldRoundTripEveryField()
    {
        var written = Finished("exe_round");

        await _journal.AppendAsync(written);

        await using var context = CreateContext();
        var read = await context.Executions.SingleAsync(e => e.Id == "exe_round");
        Assert.Multiple(() =>
        {
            Assert.That(read.FunctionId, Is.EqualTo("fun_j"));
            Assert.That(read.WorkspaceId, Is.EqualTo("ws_j"));
            Assert.That(read.VersionId, Is.EqualTo("ver_j"));
            Assert.That(read.DeploymentId, Is.Null);
            Assert.That(read.CreatedBy, Is.EqualTo("usr_j"));
            Assert.That(read.Trigger, Is.EqualTo(ExecutionTrigger.Http));
            Assert.That(read.Status, Is.EqualTo(ExecutionStatus.Completed));
            Assert.That(read.RequestMethod, Is.EqualTo("POST"));
            Assert.That(read.RequestPath, Is.EqualTo("/run?x=1"));
            Assert.That(read.RequestHeaders, Is.EqualTo(written.RequestHeaders));
            Assert.That(read.ResponseHeaders, Is.EqualTo(written.ResponseHeaders));
            Assert.That(read.ResponseStatusCode, Is.EqualTo(201));
            Assert.That(read.ResponseBody, Is.EqualTo("""{"ok":true}"""));
            Assert.That(read.Logs, Is.EqualTo("log line\n"));
            Assert.That(read.Errors, Is.EqualTo("warn line\n"));
            Assert.That(read.Duration, Is.EqualTo(0.0123));
            Assert.That(read.CreatedAt, Is.EqualTo(written.CreatedAt));
            Assert.That(read.UpdatedAt, Is.EqualTo(written.UpdatedAt));
            Assert.That(read.ConcurrencyStamp, Is.EqualTo(written.ConcurrencyStamp));
            Assert.That(read.ScheduledAt, Is.Null);
        });
        Assert.That(await context.Executions.CountAsync(e => e.CreatedAt == written.CreatedAt), Is.EqualTo(1), "times are stored in EF's own format: filters on them match");
    }

    [Test]
    public async Task AppendAsync_WhenManyCallersAtOnce_ShouldStoreEveryRowAndCompleteEveryCaller()
    {
        var ids = Enumerable.Range(0, 64).Select(i => $"exe_many_{i:D2}").ToList();

        await Task.WhenAll(ids.Select(id => Task.Run(() => _journal.AppendAsync(Finished(id)))));

        await using var context = CreateContext();
        Assert.That(await context.Executions.Select(e => e.Id).OrderBy(id => id).ToListAsync(), Is.EqualTo(ids));
    }

    [Test]
    public async Task AppendAsync_WhenOneRowViolatesAConstraint_ShouldFailOnlyThatCaller()
    {
        var good = Enumerable.Range(0, 20).Select(i => $"exe_good_{i:D2}").ToList();
        var appends = good.Select(id => Task.Run(() => _journal.AppendAsync(Finished(id)))).ToList();
        var orphan = Task.Run(() => _journal.AppendAsync(Finished("exe_orphan", functionId: "fun_purged")));

        var refused = Assert.ThrowsAsync<ExecutionNotRecordedException>(async () => await orphan, "its function is gone: the foreign key refuses the row");
        Assert.That(refused!.InnerException, Is.InstanceOf<DbException>());
        Assert.That(refused.ExecutionId, Is.EqualTo("exe_orphan"));
        await Task.WhenAll(appends);
        await using var context = CreateContext();
        Assert.That(await context.Executions.Select(e => e.Id).OrderBy(id => id).ToListAsync(), Is.EqualTo(good));
    }

    [Test]
    public async Task AppendAsync_AfterAFailure_ShouldKeepWriting()
    {
        Assert.ThrowsAsync<ExecutionNotRecordedException>(() => _journal.AppendAsync(Finished("exe_bad", functionId: "fun_none")));

        await _journal.AppendAsync(Finished("exe_after"));

        await using var context = CreateContext();
        Assert.That(await context.Executions.Select(e => e.Id).ToListAsync(), Is.EqualTo(new[] { "exe_after" }));
    }

    [Test]
    public async Task AppendAsync_WhenSameIdTwice_ShouldRefuseTheSecondAndKeepTheFirst()
    {
        await _journal.AppendAsync(Finished("exe_dup"));

        Assert.ThrowsAsync<ExecutionNotRecordedException>(() => _journal.AppendAsync(Finished("exe_dup")));
        await using var context = CreateContext();
        Assert.That(await context.Executions.CountAsync(), Is.EqualTo(1));
    }

    /// <summary>SQL Server proved offline: the statement and the parameters the provider would receive.</summary>
    [Test]
    public void InsertCommand_WhenSqlServer_ShouldQuoteNamesAndConvertValuesAsTheModelSays()
    {
        using var context = new SqlServerAppDbContext(new DbContextOptionsBuilder<SqlServerAppDbContext>().UseSqlServer("Server=none;Database=x;TrustServerCertificate=True").ConfigureWarnings(w => w.Log(Microsoft.EntityFrameworkCore.Diagnostics.CoreEventId.ManyServiceProvidersCreatedWarning)).Options);
        using var connection = new SqlConnection("Server=none;Database=x;TrustServerCertificate=True");
        using var insert = new EntityInsertCommand<Execution>(context.Model, context.GetService<ISqlGenerationHelper>(), connection);

        insert.Bind(Finished("exe_sql"));

        Assert.That(insert.CommandText, Does.StartWith("INSERT INTO [executions] ([Id], "));
        Assert.That(insert.CommandText, Does.Contain("VALUES (@p0, "));
        var values = insert.Parameters.Cast<SqlParameter>().ToList();
        var columns = context.Model.FindEntityType(typeof(Execution))!.GetProperties().Select(p => p.GetColumnName()).ToList();
        Assert.That(values, Has.Count.EqualTo(columns.Count), "one parameter per mapped column");
        SqlParameter Value(string column) => values[columns.IndexOf(column)];
        Assert.Multiple(() =>
        {
            Assert.That(Value("Id").Value, Is.EqualTo("exe_sql"));
            Assert.That(Value("Status").Value, Is.EqualTo("Completed"), "enum stored as its name");
            Assert.That(Value("RequestHeaders").Value, Does.Contain("x-trace"), "header list stored as JSON");
            Assert.That(Value("CreatedAt").Value, Is.TypeOf<DateTimeOffset>());
            Assert.That(Value("DeploymentId").Value, Is.EqualTo(DBNull.Value));
        });
    }
}
