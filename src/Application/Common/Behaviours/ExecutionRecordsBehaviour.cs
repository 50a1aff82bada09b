using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using MediatR;

namespace FunctionsPlatform.Application.Common.Behaviours;

/// <summary>
/// Read-your-writes for execution records, which are written behind the runs they record: a request that reads or
/// removes them waits until every record appended before it is committed. Nothing to wait for costs two reads. The
/// constraint keeps it out of every other request's pipeline (the container skips an open generic whose constraint a
/// request does not meet), so a warm invoke builds no step for it.
/// </summary>
public sealed class ExecutionRecordsBehaviour<TRequest, TResponse>(IExecutionJournal journal) : IPipelineBehavior<TRequest, TResponse>
    where TRequest : IReadsExecutionRecords
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        await journal.WhenWrittenAsync(cancellationToken);
        return await next();
    }
}
