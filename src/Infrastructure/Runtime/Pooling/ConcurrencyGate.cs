using System.Collections.Concurrent;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Infrastructure.Observability;

namespace FunctionsPlatform.Infrastructure.Runtime.Pooling;

/// <summary>Caps concurrent executions per function and globally; excess calls wait briefly, then get 429.</summary>
internal sealed class ConcurrencyGate(int perFunction, int global, TimeSpan queueTimeout) : IDisposable
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _functions = new();
    private readonly SemaphoreSlim _global = new(global, global);

    public async Task<IDisposable> EnterAsync(string functionId, CancellationToken cancellationToken)
    {
        var function = _functions.GetOrAdd(functionId, _ => new SemaphoreSlim(perFunction, perFunction));
        if (!await function.WaitAsync(queueTimeout, cancellationToken))
        {
            PlatformTelemetry.Rejections.Add(1, new KeyValuePair<string, object?>("cap", "function"));
            throw new TooManyRequestsException($"Function '{functionId}' already runs {perFunction} executions; try again shortly.", 1);
        }

        try
        {
            if (!await _global.WaitAsync(queueTimeout, cancellationToken))
            {
                PlatformTelemetry.Rejections.Add(1, new KeyValuePair<string, object?>("cap", "server"));
                throw new TooManyRequestsException($"The server already runs {global} executions; try again shortly.", 1);
            }
        }
        catch
        {
            function.Release();
            throw;
        }

        return new Slot(function, _global);
    }

    public void Dispose()
    {
        _global.Dispose();
        foreach (var semaphore in _functions.Values)
        {
            semaphore.Dispose();
        }
    }

    private sealed class Slot(SemaphoreSlim function, SemaphoreSlim global) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                global.Release();
                function.Release();
            }
        }
    }
}
