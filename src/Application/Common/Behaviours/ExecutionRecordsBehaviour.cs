using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using MediatR;

namespace FunctionsPlatform.Application.Common.Behaviours;

/// <summary>
/// Read-your-writes for execution records, which are written behind the runs they record: a request that reads or
/// removes them waits until every record appended before it is committed. Nothing to wait for costs two reads.
/// </summary>
public sealed class ExecutionRecordsBehaviour<TRequest, TResponse>(IExecutionJournal journal) : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        if (request is IReadsExecutionRecords)
        {
            await journal.WhenWrittenAsync(cancellationToken);
        }

        return await next();
    }
}
