using System.Collections.Concurrent;
using System.Data.Common;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Domain.Executions;
using FunctionsPlatform.Infrastructure.Resilience;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FunctionsPlatform.Infrastructure.Persistence.Executions;

/// <summary>
/// Group commit for execution records. Each caller queues its row and waits for the writer lock; whoever holds it writes
/// every queued row in one transaction on a connection kept open for the journal, so under load N concurrent invokes
/// pay one commit, and alone a caller pays one prepared insert without a thread hop. A caller's task completes only
/// once its row is committed. A batch that fails for a reason other than a transient error is retried row by row, so
/// one bad row (its function purged meanwhile) fails only its own caller.
/// </summary>
internal sealed class GroupCommitExecutionJournal(
    IServiceScopeFactory scopes, ResiliencePipelineProvider resilience, ILogger<GroupCommitExecutionJournal> logger)
    : IExecutionJournal, IAsyncDisposable
{
    private const int MaxBatch = 256;

    private readonly ConcurrentQueue<PendingRecord> _queue = new();
    private readonly SemaphoreSlim _writer = new(1, 1);
    private JournalConnection? _connection;

    private sealed class PendingRecord(Execution execution)
    {
        public Execution Execution { get; } = execution;
        public TaskCompletionSource Written { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public async Task AppendAsync(Execution execution)
    {
        using var activity = Observability.PlatformTelemetry.Activities.StartActivity("journal.append");
        await AppendQueuedAsync(execution);
        Observability.PlatformTelemetry.JournalRecords.Add(1);
    }

    private async Task AppendQueuedAsync(Execution execution)
    {
        var pending = new PendingRecord(execution);
        _queue.Enqueue(pending);
        // Not cancellable: the run happened, its record is written even if the caller has gone away.
        await _writer.WaitAsync();
        try
        {
            // A previous holder may have written this row already; otherwise it is in the queue, behind at most
            // MaxBatch-sized groups.
            while (!pending.Written.Task.IsCompleted)
            {
                await WriteQueuedAsync();
            }
        }
        finally
        {
            _writer.Release();
        }

        await pending.Written.Task;
    }

    public async ValueTask DisposeAsync()
    {
        await _writer.WaitAsync();
        try
        {
            await ResetConnectionAsync();
        }
        finally
        {
            _writer.Release();
        }
    }

    private async Task WriteQueuedAsync()
    {
        var batch = new List<PendingRecord>();
        while (batch.Count < MaxBatch && _queue.TryDequeue(out var next))
        {
            batch.Add(next);
        }

        try
        {
            await InsertWithRetryAsync(batch);
            batch.ForEach(p => p.Written.TrySetResult());
        }
        catch (DbException) when (batch.Count > 1)
        {
            foreach (var pending in batch)
            {
                try
                {
                    await InsertWithRetryAsync([pending]);
                    pending.Written.TrySetResult();
                }
                catch (Exception ex)
                {
                    Fail(pending, ex);
                }
            }
        }
        catch (Exception ex)
        {
            batch.ForEach(p => Fail(p, ex));
        }
    }

    private void Fail(PendingRecord pending, Exception ex)
    {
        logger.LogError(ex, "The record of execution {ExecutionId} could not be stored", pending.Execution.Id);
        pending.Written.TrySetException(new ExecutionNotRecordedException(pending.Execution.Id, ex));
    }

    private Task InsertWithRetryAsync(IReadOnlyList<PendingRecord> batch) =>
        resilience.Database.ExecuteAsync(async ct =>
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
                foreach (var pending in batch)
                {
                    await connection.Insert.InsertAsync(pending.Execution, transaction, ct);
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

        var scope = scopes.CreateAsyncScope();
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
