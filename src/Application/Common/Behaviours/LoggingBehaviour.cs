using System.Diagnostics;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Domain.Common;
using MediatR;
using Microsoft.Extensions.Logging;

namespace FunctionsPlatform.Application.Common.Behaviours;

/// <summary>Outermost: times every request, warns when slow, logs what escaped unhandled.</summary>
public sealed class LoggingBehaviour<TRequest, TResponse>(ILogger<LoggingBehaviour<TRequest, TResponse>> logger)
    : IPipelineBehavior<TRequest, TResponse>
{
    private static readonly TimeSpan SlowRequest = TimeSpan.FromMilliseconds(500);

    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await next();
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (elapsed > SlowRequest)
            {
                logger.LogWarning("Slow request {Request}: {ElapsedMs} ms", typeof(TRequest).Name, (long)elapsed.TotalMilliseconds);
            }

            return response;
        }
        catch (Exception ex) when (ex is not (AppException or DomainException or OperationCanceledException))
        {
            logger.LogError(ex, "Unhandled exception for request {Request}", typeof(TRequest).Name);
            throw;
        }
    }
}
