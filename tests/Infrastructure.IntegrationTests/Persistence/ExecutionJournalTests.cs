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

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Persistence;

/// <summary>The write-behind journal that stores synchronous executions, and the model-built insert under it.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "NUnit's [TearDown] disposes the journal after every test.")]
public sealed class ExecutionJournalTests : SqliteDatabaseTestBase
{
    private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 11, 24, 9, 30, 0, 456, TimeSpan.Zero).AddTicks(789);

    private ServiceProvider _services = null!;
    private WriteBehindExecutionJournal _journal = null!;
    private ListLogger _log = null!;

    [SetUp]
    public async Task StartJournalAsync()
    {
        var services = new ServiceCollection();
        services.AddDbContextPool<SqliteAppDbContext>(o => o.UseSqlite(ConnectionString).AddInterceptors(new SqliteConnectionPragmas()).ConfigureWarnings(w => w.Log(Microsoft.EntityFrameworkCore.Diagnostics.CoreEventId.ManyServiceProvidersCreatedWarning)));
        services.AddScoped<AppDbContext>(sp => sp.GetRequiredService<SqliteAppDbContext>());
        _services = services.BuildServiceProvider();
        _log = new ListLogger();
        _journal = new WriteBehindExecutionJournal(_services.GetRequiredService<IServiceScopeFactory>(), new ResiliencePipelineProvider(), _log);

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
        await _journal.WhenWrittenAsync(CancellationToken.None);

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
    public async Task WhenWrittenAsync_AfterManyCallersAppendedAtOnce_ShouldFindEveryRowStored()
    {
        var ids = Enumerable.Range(0, 64).Select(i => $"exe_many_{i:D2}").ToList();

        await Task.WhenAll(ids.Select(id => Task.Run(async () => await _journal.AppendAsync(Finished(id)))));
        await _journal.WhenWrittenAsync(CancellationToken.None);

        Assert.That(await StoredIdsAsync(), Is.EqualTo(ids));
    }

    [Test]
    public async Task WhenWrittenAsync_WhenNothingWasAppended_ShouldCompleteAtOnce()
    {
        var waiting = _journal.WhenWrittenAsync(CancellationToken.None);

        Assert.That(waiting.IsCompletedSuccessfully, Is.True);
        await waiting;
    }

    [Test]
    public async Task AppendAsync_WhenOneRowViolatesAConstraint_ShouldLeaveOnlyThatRowOutAndLogIt()
    {
        var good = Enumerable.Range(0, 20).Select(i => $"exe_good_{i:D2}").ToList();

        var appends = good.Select(id => Task.Run(async () => await _journal.AppendAsync(Finished(id)))).ToList();
        appends.Add(Task.Run(async () => await _journal.AppendAsync(Finished("exe_orphan", functionId: "fun_purged"))));
        await Task.WhenAll(appends);
        await _journal.WhenWrittenAsync(CancellationToken.None);

        Assert.That(await StoredIdsAsync(), Is.EqualTo(good), "its function is gone: the foreign key refuses that row alone");
        Assert.That(_log.Errors, Has.Exactly(1).Contains("exe_orphan").And.Contains("fun_purged"));
    }

    [Test]
    public async Task AppendAsync_AfterAFailure_ShouldKeepWriting()
    {
        await _journal.AppendAsync(Finished("exe_bad", functionId: "fun_none"));
        await _journal.WhenWrittenAsync(CancellationToken.None);

        await _journal.AppendAsync(Finished("exe_after"));
        await _journal.WhenWrittenAsync(CancellationToken.None);

        Assert.That(await StoredIdsAsync(), Is.EqualTo(new[] { "exe_after" }));
        Assert.That(_log.Errors, Has.Exactly(1).Contains("exe_bad"));
    }

    [Test]
    public async Task AppendAsync_WhenSameIdTwice_ShouldRefuseTheSecondAndKeepTheFirst()
    {
        var first = Finished("exe_dup");
        await _journal.AppendAsync(first);
        await _journal.AppendAsync(Finished("exe_dup"));
        await _journal.WhenWrittenAsync(CancellationToken.None);

        await using var context = CreateContext();
        Assert.That(await context.Executions.Select(e => e.ConcurrencyStamp).ToListAsync(), Is.EqualTo(new[] { first.ConcurrencyStamp }));
        Assert.That(_log.Errors, Has.Exactly(1).Contains("exe_dup"));
    }

    [Test]
    public async Task DisposeAsync_WithRowsStillQueued_ShouldWriteThemAllBeforeItEnds()
    {
        var ids = Enumerable.Range(0, 600).Select(i => $"exe_stop_{i:D3}").ToList();
        foreach (var id in ids)
        {
            await _journal.AppendAsync(Finished(id));
        }

        await _journal.DisposeAsync();

        Assert.That(await StoredIdsAsync(), Is.EqualTo(ids), "a clean stop loses nothing that was answered");
    }

    [Test]
    public async Task StopAsync_WithRowsQueued_ShouldWriteThemAndKeepAccepting()
    {
        await _journal.AppendAsync(Finished("exe_before_stop"));

        await _journal.StopAsync(CancellationToken.None);
        Assert.That(await StoredIdsAsync(), Is.EqualTo(new[] { "exe_before_stop" }));

        await _journal.AppendAsync(Finished("exe_while_draining"));
        await _journal.WhenWrittenAsync(CancellationToken.None);
        Assert.That(await StoredIdsAsync(), Is.EqualTo(new[] { "exe_before_stop", "exe_while_draining" }), "requests still being answered after the stop signal keep their records");
    }

    [Test]
    public async Task AppendAsync_WhenTheDatabaseIsBehindByAFullQueue_ShouldWaitForRoomAndDropNothing()
    {
        // Another connection holds SQLite's write lock: the writer's first batch waits inside its insert, so the queue fills.
        await using var blocker = new Microsoft.Data.Sqlite.SqliteConnection(ConnectionString);
        await blocker.OpenAsync();
        await using var hold = blocker.CreateCommand();
        hold.CommandText = "BEGIN IMMEDIATE";
        await hold.ExecuteNonQueryAsync();
        var count = WriteBehindExecutionJournal.QueueCapacity + 600;
        var ids = Enumerable.Range(0, count).Select(i => $"exe_full_{i:D5}").ToList();

        var appending = Task.Run(async () =>
        {
            foreach (var id in ids)
            {
                await _journal.AppendAsync(Finished(id));
            }
        });
        await Task.Delay(1500);
        Assert.That(appending.IsCompleted, Is.False, "past the queue's capacity a caller waits for room");

        hold.CommandText = "COMMIT";
        await hold.ExecuteNonQueryAsync();
        await appending.WaitAsync(TimeSpan.FromSeconds(60));
        await _journal.WhenWrittenAsync(CancellationToken.None);

        await using var context = CreateContext();
        Assert.That(await context.Executions.CountAsync(), Is.EqualTo(count));
        Assert.That(_log.Errors, Is.Empty);
    }

    [Test]
    public async Task AppendAsync_WithNobodyReading_ShouldCommitTheRowOnItsOwnWithinTheLinger()
    {
        await _journal.AppendAsync(Finished("exe_alone"));

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await StoredIdsAsync()).Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.That(await StoredIdsAsync(), Is.EqualTo(new[] { "exe_alone" }), "a lingering batch is committed when the linger ends, reader or not");
    }

    [Test]
    public async Task AppendAsync_WithNobodyReading_ShouldHoldTheBatchForTheLinger_AndAReaderShouldCutItShort()
    {
        await using var journal = new WriteBehindExecutionJournal(_services.GetRequiredService<IServiceScopeFactory>(), new ResiliencePipelineProvider(), _log, linger: TimeSpan.FromMinutes(5));
        await journal.AppendAsync(Finished("exe_linger_1"));
        await Task.Delay(100);
        await journal.AppendAsync(Finished("exe_linger_2"));
        await Task.Delay(400);
        Assert.That(await StoredIdsAsync(), Is.Empty, "rows wait for company while nobody reads them");

        await journal.WhenWrittenAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.That(await StoredIdsAsync(), Is.EqualTo(new[] { "exe_linger_1", "exe_linger_2" }), "a read does not wait for the linger");
    }

    [Test]
    public async Task DisposeAsync_WhileABatchLingers_ShouldWriteItWithoutWaitingForTheLinger()
    {
        var journal = new WriteBehindExecutionJournal(_services.GetRequiredService<IServiceScopeFactory>(), new ResiliencePipelineProvider(), _log, linger: TimeSpan.FromMinutes(5));
        await journal.AppendAsync(Finished("exe_linger_stop"));
        await Task.Delay(100);

        await journal.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.That(await StoredIdsAsync(), Is.EqualTo(new[] { "exe_linger_stop" }));
    }

    private async Task<List<string>> StoredIdsAsync()
    {
        await using var context = CreateContext();
        return await context.Executions.Select(e => e.Id).OrderBy(id => id).ToListAsync();
    }

    /// <summary>Keeps the journal's error lines (message with its exception), which is where an unstored record is told.</summary>
    private sealed class ListLogger : Microsoft.Extensions.Logging.ILogger<WriteBehindExecutionJournal>
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _errors = new();

        public IReadOnlyList<string> Errors => [.. _errors];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= Microsoft.Extensions.Logging.LogLevel.Error)
            {
                _errors.Enqueue(formatter(state, exception));
            }
        }
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
