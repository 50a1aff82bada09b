using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Common.Behaviours;
using FunctionsPlatform.Domain.Executions;
using MediatR;

namespace FunctionsPlatform.Application.UnitTests.Common;

public sealed class ExecutionRecordsBehaviourTests
{
    private sealed record ReadsRecords : IQuery<string>, IReadsExecutionRecords;

    /// <summary>A journal whose queued records are written when the test says so.</summary>
    private sealed class HeldJournal : IExecutionJournal
    {
        public TaskCompletionSource Written { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask AppendAsync(Execution execution) => ValueTask.CompletedTask;

        public Task WhenWrittenAsync(CancellationToken cancellationToken) => Written.Task.WaitAsync(cancellationToken);
    }

    [Test]
    public async Task Handle_WhenTheRequestReadsExecutionRecords_ShouldRunOnlyOnceTheQueuedRecordsAreWritten()
    {
        var journal = new HeldJournal();
        var ran = false;
        var handling = new ExecutionRecordsBehaviour<ReadsRecords, string>(journal)
            .Handle(new ReadsRecords(), CancellationToken.None, () => { ran = true; return Task.FromResult("page"); });

        await Task.Delay(50);
        Assert.That(ran, Is.False, "the read waits for the records written behind their runs");
        journal.Written.SetResult();
        Assert.That(await handling, Is.EqualTo("page"));
        Assert.That(ran, Is.True);
    }

    [Test]
    public void Handle_WhenTheCallerGivesUpWhileWaiting_ShouldStopWaiting()
    {
        using var cancel = new CancellationTokenSource(50);

        Assert.CatchAsync<OperationCanceledException>(() => new ExecutionRecordsBehaviour<ReadsRecords, string>(new HeldJournal())
            .Handle(new ReadsRecords(), cancel.Token, () => Task.FromResult("page")));
    }
}
