using System.Data.Common;
using System.Threading.Channels;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Domain.Executions;
using FunctionsPlatform.Infrastructure.Resilience;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FunctionsPlatform.Infrastructure.Persistence.Executions;

/// <summary>
/// Write-behind journal for execution records. A caller queues its row and goes on; one writer drains the queue and
/// inserts what it finds (up to <see cref="MaxBatch"/> rows) in one transaction, on a connection it keeps open, so the
/// rows that finish while a commit is under way share the next one. A batch that is not full waits up to
/// <see cref="DefaultLinger"/> for more rows first, unless a reader is waiting: one commit per call cost more CPU than the call
/// itself on a small host, and ran beside the next call. The queue is bounded: when the database falls behind
/// by <see cref="QueueCapacity"/> rows, callers wait for room rather than drop records. Reads see every row appended
/// before them through <see cref="WhenWrittenAsync"/>, which cuts the wait short. Stopping the host drains the queue; a
/// crash loses what was still queued (answered runs whose rows were not committed yet).
/// </summary>
internal sealed class WriteBehindExecutionJournal : IExecutionJournal, IHostedService, IAsyncDisposable
{
    public const int QueueCapacity = 10_000;
    private const int MaxBatch = 256;

    /// <summary>
    /// How long a batch that is not full waits for more rows before it is committed. Measured on sequential calls: 0.5 ms
    /// gave the lowest p50 and p99; 1–5 ms batched more rows but the call that met the larger commit was the p99.
    /// </summary>
    internal static readonly TimeSpan DefaultLinger = TimeSpan.FromMicroseconds(500);

    private readonly TimeSpan _linger;

    private readonly IServiceScopeFactory _scopes;
    private readonly ResiliencePipelineProvider _resilience;
    private readonly ILogger<WriteBehindExecutionJournal> _logger;
    private readonly Channel<Queued> _queue = Channel.CreateBounded<Queued>(
        new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    // Rows get their sequence number in queue order (under the lock), so "settled up to n" means every row up to n.
    private readonly Lock _order = new();
    private long _appended;
    private long _settled;
    private TaskCompletionSource _progress = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Completed when someone waits for the rows (a read, the host stopping): the writer stops lingering.
    private TaskCompletionSource _flushWanted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _writer;

    // The writer's awaits resume on this thread, so the inserts and commits run at its lower priority.
    private readonly BackgroundThreadScheduler _scheduler = new("Execution journal");
    private JournalConnection? _connection;
    private int _disposed;

    private readonly record struct Queued(long Sequence, Execution Execution);

    public WriteBehindExecutionJournal(IServiceScopeFactory scopes, ResiliencePipelineProvider resilience, ILogger<WriteBehindExecutionJournal> logger)
        : this(scopes, resilience, logger, DefaultLinger)
    {
    }

    internal WriteBehindExecutionJournal(IServiceScopeFactory scopes, ResiliencePipelineProvider resilience, ILogger<WriteBehindExecutionJournal> logger, TimeSpan linger)
    {
        _linger = linger;
        _scopes = scopes;
        _resilience = resilience;
        _logger = logger;
        // The writer outlives the request that happened to create this singleton: it must not carry that request's
        // ambient state (its trace activity, logging scopes) into every batch.
        using (ExecutionContext.SuppressFlow())
        {
            _writer = Task.Factory.StartNew(WriteLoopAsync, CancellationToken.None, TaskCreationOptions.DenyChildAttach, _scheduler).Unwrap();
        }
    }

    public ValueTask AppendAsync(Execution execution)
    {
        lock (_order)
        {
            if (_queue.Writer.TryWrite(new Queued(_appended + 1, execution)))
            {
                _appended++;
                return ValueTask.CompletedTask;
            }
        }

        return AppendWhenRoomAsync(execution);
    }

    /// <summary>The queue is full (the database is behind): wait for room, never drop the record.</summary>
    private async ValueTask AppendWhenRoomAsync(Execution execution)
    {
        while (await _queue.Writer.WaitToWriteAsync())
        {
            lock (_order)
            {
                if (_queue.Writer.TryWrite(new Queued(_appended + 1, execution)))
                {
                    _appended++;
                    return;
                }
            }
        }

        // Only after disposal: the host is gone, and with it the database connection.
        _logger.LogError("The record of execution {ExecutionId} was not stored: the journal was already shut down", execution.Id);
    }

    public async Task WhenWrittenAsync(CancellationToken cancellationToken)
    {
        long target;
        lock (_order)
        {
            target = _appended;
        }

        while (Interlocked.Read(ref _settled) < target)
        {
            Volatile.Read(ref _flushWanted).TrySetResult();
            // Taken before the re-check: the writer publishes the settled count first, then completes this task.
            var progress = Volatile.Read(ref _progress);
            if (Interlocked.Read(ref _settled) >= target)
            {
                break;
            }

            await progress.Task.WaitAsync(cancellationToken);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Host stopping: write what is queued now. The queue stays open, since requests still being drained may append;
    /// disposal (after the server has stopped) writes the rest.
    /// </summary>
    public Task StopAsync(CancellationToken cancellationToken) => WhenWrittenAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _queue.Writer.TryComplete();
        Volatile.Read(ref _flushWanted).TrySetResult();
        await _writer;
        await ResetConnectionAsync();
        _scheduler.Dispose();
    }

    private async Task WriteLoopAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<Queued>(MaxBatch);
        while (await reader.WaitToReadAsync())
        {
            Drain(reader, batch);
            if (batch.Count == 0)
            {
                continue;
            }

            var flushWanted = Volatile.Read(ref _flushWanted).Task;
            if (batch.Count < MaxBatch && !flushWanted.IsCompleted)
            {
                await Task.WhenAny(flushWanted, Task.Delay(_linger));
                Drain(reader, batch);
            }

            if (flushWanted.IsCompleted)
            {
                // Renewed before the write: a reader arriving during it asks again and is served by the next batch.
                Interlocked.Exchange(ref _flushWanted, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            }

            await WriteAsync(batch);
            Interlocked.Exchange(ref _settled, batch[^1].Sequence);
            Interlocked.Exchange(ref _progress, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            batch.Clear();
        }
    }

    private static void Drain(ChannelReader<Queued> reader, List<Queued> batch)
    {
        while (batch.Count < MaxBatch && reader.TryRead(out var next))
        {
            batch.Add(next);
        }
    }

    /// <summary>Never throws: a row that cannot be stored is logged (its run was answered already) and the others go on.</summary>
    private async Task WriteAsync(List<Queued> batch)
    {
        using var activity = Observability.PlatformTelemetry.Activities.StartActivity("journal.append");
        try
        {
            await InsertWithRetryAsync(batch);
            Observability.PlatformTelemetry.JournalRecords.Add(batch.Count);
        }
        catch (DbException) when (batch.Count > 1)
        {
            // One bad row (its function purged while it ran) must not cost the others their records.
            foreach (var queued in batch)
            {
                try
                {
                    await InsertWithRetryAsync([queued]);
                    Observability.PlatformTelemetry.JournalRecords.Add(1);
                }
                catch (Exception ex)
                {
                    NotStored(queued, ex);
                }
            }
        }
        catch (Exception ex)
        {
            batch.ForEach(queued => NotStored(queued, ex));
        }
    }

    private void NotStored(Queued queued, Exception ex) =>
        _logger.LogError(ex, "The record of execution {ExecutionId} of function {FunctionId} could not be stored",
            queued.Execution.Id, queued.Execution.FunctionId);

    private Task InsertWithRetryAsync(IReadOnlyList<Queued> batch) =>
        _resilience.Database.ExecuteAsync(async ct =>
        {
            try
            {
                var connection = await ConnectionAsync(ct);
                if (batch.Count == 1)
                {
                    // One statement commits atomically on its own: no BEGIN/COMMIT round trips.
                    await connection.Insert.InsertAsync(batch[0].Execution, transaction: null, ct);
                    return;
                }

                await using var transaction = await connection.Db.BeginTransactionAsync(ct);
                foreach (var queued in batch)
                {
                    await connection.Insert.InsertAsync(queued.Execution, transaction, ct);
                }

                await transaction.CommitAsync(ct);
            }
            catch
            {
                // The connection may be broken (SQL Server) or left mid-transaction: the next attempt starts afresh.
                await ResetConnectionAsync();
                throw;
            }
        }).AsTask();

    private async Task<JournalConnection> ConnectionAsync(CancellationToken ct)
    {
        if (_connection is not null)
        {
            return _connection;
        }

        var scope = _scopes.CreateAsyncScope();
        try
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            // Opened through EF so the provider's per-connection set-up (SQLite pragmas) runs; then held until disposal.
            await db.Database.OpenConnectionAsync(ct);
            var connection = db.Database.GetDbConnection();
            var insert = new EntityInsertCommand<Execution>(db.Model, db.GetService<ISqlGenerationHelper>(), connection);
            return _connection = new JournalConnection(scope, db, connection, insert);
        }
        catch
        {
            await scope.DisposeAsync();
            throw;
        }
    }

    private async Task ResetConnectionAsync()
    {
        if (_connection is { } connection)
        {
            _connection = null;
            connection.Insert.Dispose();
            await connection.Context.Database.CloseConnectionAsync();
            await connection.Scope.DisposeAsync();
        }
    }

    private sealed record JournalConnection(AsyncServiceScope Scope, AppDbContext Context, DbConnection Db, EntityInsertCommand<Execution> Insert);
}
