using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using FunctionsPlatform.Application.Abstractions.Runtime;
using FunctionsPlatform.Infrastructure.Runtime.Bundles;
using FunctionsPlatform.Infrastructure.Runtime.Pooling;
using FunctionsPlatform.Infrastructure.Runtime.Processes;
using FunctionsPlatform.Infrastructure.Runtime.Sandbox;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace FunctionsPlatform.Infrastructure.Runtime;

/// <summary>
/// Runs functions in warm interpreter processes (node, python) outside the API process: bundle on disk, process from the
/// warm pool or started through the spawn pipeline, one call per process at a time, killed on timeout or crash.
/// </summary>
internal sealed class ProcessRuntimeExecutor : IRuntimeExecutor, IDisposable
{
    private const string SafePath = "/usr/local/bin:/usr/bin:/bin";

    /// <summary>The Appwrite server version this platform answers as (<c>APPWRITE_VERSION</c>).</summary>
    private const string AppwriteVersion = "1.9.6";

    private readonly RuntimeCatalog _catalog;
    private readonly BundleStore _bundles;
    private readonly RuntimeOptions _options;
    private readonly string _apiEndpoint;
    private readonly ILogger<ProcessRuntimeExecutor> _logger;
    private readonly LaunchPlanner _planner;
    private readonly CgroupController _cgroups;
    private readonly LauncherPool _launchers;
    private readonly WarmPool _pool;
    private readonly ConcurrencyGate _gate;
    private readonly ConcurrentDictionary<string, ResiliencePipeline> _startPipelines = new();

    public ProcessRuntimeExecutor(RuntimeCatalog catalog, BundleStore bundles, IOptions<RuntimeOptions> options, ILogger<ProcessRuntimeExecutor> logger)
    {
        _catalog = catalog;
        _bundles = bundles;
        _options = options.Value;
        _apiEndpoint = _options.ApiEndpoint;
        _logger = logger;
        _planner = new LaunchPlanner(catalog.BubblewrapPath, _options.AllowNetwork, Path.Combine(AppContext.BaseDirectory, "Runtime", "Adapters"));
        _cgroups = new CgroupController(_options.UseCgroups, logger);
        _launchers = new LauncherPool(_cgroups, _options.ParkedLaunchers, TimeSpan.FromSeconds(_options.StartTimeoutSeconds));
        _launchers.Refill();
        _pool = new WarmPool(_options.MaxIdlePerFunction, _options.MaxProcesses);
        _gate = new ConcurrencyGate(_options.MaxConcurrencyPerFunction, _options.MaxProcesses, TimeSpan.FromMilliseconds(_options.QueueTimeoutMs));
    }

    /// <summary>cgroup limits in force: <c>v1</c>, <c>v2</c> or <c>none</c>.</summary>
    public string Cgroups => _cgroups.Available ? _cgroups.Version : "none";

    public int LiveProcesses => _pool.LiveCount;

    public int PrewarmOnActivate => Math.Clamp(_options.PrewarmOnActivate, 0, _options.MaxIdlePerFunction);

    public async Task<RuntimeResult> ExecuteAsync(RuntimeInvocation invocation, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var runtime = _catalog.Find(invocation.RuntimeId);
        if (runtime is null)
        {
            return RuntimeResult.Failed(RuntimeFailure.RuntimeUnavailable, $"Runtime '{invocation.RuntimeId}' is not installed on this host.", TimeSpan.Zero);
        }

        using var slot = await _gate.EnterAsync(invocation.FunctionId, cancellationToken);

        MaterializedBundle bundle;
        try
        {
            bundle = await _bundles.MaterializeAsync(invocation.Code, cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return RuntimeResult.Failed(RuntimeFailure.LoadFailed, $"The code bundle could not be prepared: {ex.Message}", Stopwatch.GetElapsedTime(started));
        }

        var key = PoolKey(runtime, bundle, invocation);
        var pooled = _pool.TryTakeIdle(key);
        var cold = pooled is null;
        if (pooled is null)
        {
            if (!File.Exists(bundle.EntrypointPath))
            {
                return RuntimeResult.Failed(RuntimeFailure.LoadFailed, $"Entrypoint '{invocation.Code.Entrypoint}' was not found in the code bundle.", Stopwatch.GetElapsedTime(started));
            }

            try
            {
                pooled = await StartAsync(runtime, bundle, invocation, key, cancellationToken);
            }
            catch (RuntimeLoadException ex)
            {
                _launchers.Refill();
                return RuntimeResult.Failed(RuntimeFailure.LoadFailed, ex.Message, Stopwatch.GetElapsedTime(started));
            }
            catch (Exception ex) when (ex is RuntimeSpawnException or BrokenCircuitException)
            {
                _launchers.Refill();
                _logger.LogError(ex, "Runtime {Runtime} could not be started", runtime.Id);
                return RuntimeResult.Failed(RuntimeFailure.RuntimeUnavailable, $"Runtime '{runtime.Id}' is unavailable: {ex.Message}", Stopwatch.GetElapsedTime(started));
            }

            if (_options.PrewarmCount > 0)
            {
                _ = FillAsync(runtime, bundle, invocation, key, _options.PrewarmCount, CancellationToken.None);
            }
        }

        RuntimeResult result;
        try
        {
            result = await pooled.Process.InvokeAsync(invocation.Request, invocation.Limits.Timeout, cancellationToken);
        }
        catch
        {
            Discard(pooled); // The caller gave up mid-call: the process state is unknown.
            throw;
        }

        if (result.Failure is RuntimeFailure.TimedOut or RuntimeFailure.ProcessExited || !_pool.TryReturn(pooled))
        {
            Discard(pooled);
        }

        if (cold)
        {
            _launchers.Refill();
        }

        return result with { ColdStart = cold, Duration = Stopwatch.GetElapsedTime(started) };
    }

    public async Task PrewarmAsync(RuntimeInvocation invocation, int processes, CancellationToken cancellationToken)
    {
        if (_catalog.Find(invocation.RuntimeId) is not { } runtime)
        {
            return;
        }

        var bundle = await _bundles.MaterializeAsync(invocation.Code, cancellationToken);
        if (File.Exists(bundle.EntrypointPath))
        {
            await FillAsync(runtime, bundle, invocation, PoolKey(runtime, bundle, invocation), processes, cancellationToken);
        }
    }

    public void EvictFunction(string functionId) => KillInBackground(_pool.Evict(functionId));

    /// <summary>Kills processes idle longer than the timeout and deletes bundles no longer used.</summary>
    public void Maintain()
    {
        KillInBackground(_pool.TakeExpired(TimeSpan.FromSeconds(_options.IdleTimeoutSeconds)));
        _bundles.Sweep();
    }

    public void Dispose()
    {
        foreach (var process in _pool.TakeAll())
        {
            Discard(process);
        }

        _launchers.Dispose();
        _gate.Dispose();
    }

    private async Task<PooledProcess> StartAsync(RuntimeInfo runtime, MaterializedBundle bundle, RuntimeInvocation invocation, string key, CancellationToken cancellationToken)
    {
        var generation = _pool.GenerationOf(invocation.FunctionId);
        var pipeline = _startPipelines.GetOrAdd(runtime.Id, _ => BuildStartPipeline());
        var process = await pipeline.ExecuteAsync(
            async ct =>
            {
                var launcher = await _launchers.TakeAsync(ct);
                var runDirectory = LaunchPlanner.CreateRunDirectory();
                try
                {
                    launcher.Cgroup?.Limit(invocation.Limits.Cpus, invocation.Limits.MemoryMb, _options.MaxPidsPerProcess);
                    var environment = BuildEnvironment(runtime, invocation, _planner.Sandboxed ? "/tmp" : runDirectory);
                    var plan = _planner.Plan(runtime, bundle.Directory, bundle.EntrypointPath, invocation.Limits, launcher.Cgroup is not null, runDirectory, environment);
                    return await RuntimeProcess.StartAsync(launcher, plan, invocation.Limits.MemoryMb, TimeSpan.FromSeconds(_options.StartTimeoutSeconds), ct);
                }
                catch
                {
                    launcher.Dispose();
                    TryDelete(runDirectory);
                    throw;
                }
            },
            cancellationToken);

        _bundles.AddReference(bundle.Hash);
        var pooled = new PooledProcess(process, key, invocation.FunctionId, bundle.Hash, generation);
        KillInBackground(_pool.Admit(pooled));
        return pooled;
    }

    private async Task FillAsync(RuntimeInfo runtime, MaterializedBundle bundle, RuntimeInvocation invocation, string key, int processes, CancellationToken cancellationToken)
    {
        while (_pool.IdleCount(key) < processes && _pool.LiveCount < _options.MaxProcesses)
        {
            try
            {
                var pooled = await StartAsync(runtime, bundle, invocation, key, cancellationToken);
                if (!_pool.TryReturn(pooled))
                {
                    Discard(pooled);
                    break;
                }
            }
            catch (Exception ex) when (ex is RuntimeLoadException or RuntimeSpawnException or BrokenCircuitException)
            {
                break;
            }
        }

        _launchers.Refill();
    }

    /// <summary>Retries a failed spawn (never a user-code failure) and stops trying a runtime that keeps failing to start.</summary>
    private static ResiliencePipeline BuildStartPipeline()
    {
        var spawnFailures = new PredicateBuilder().Handle<RuntimeSpawnException>();
        return new ResiliencePipelineBuilder()
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = spawnFailures,
                FailureRatio = 0.5,
                MinimumThroughput = 4,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = TimeSpan.FromSeconds(15),
            })
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = spawnFailures,
                MaxRetryAttempts = 2,
                Delay = TimeSpan.FromMilliseconds(50),
                BackoffType = DelayBackoffType.Exponential,
            })
            .Build();
    }

    /// <summary>A scrubbed environment: the function's variables, Appwrite's platform variables and a fixed PATH.</summary>
    private Dictionary<string, string> BuildEnvironment(RuntimeInfo runtime, RuntimeInvocation invocation, string tmp)
    {
        var environment = new Dictionary<string, string>(invocation.Variables, StringComparer.Ordinal)
        {
            ["PATH"] = SafePath,
            ["HOME"] = tmp,
            ["TMPDIR"] = tmp,
            ["LANG"] = "C.UTF-8",
            ["APPWRITE_FUNCTION_API_ENDPOINT"] = _apiEndpoint,
            ["APPWRITE_FUNCTION_PROJECT_ID"] = invocation.WorkspaceId,
            ["APPWRITE_VERSION"] = AppwriteVersion,
            ["APPWRITE_REGION"] = "default",
            ["APPWRITE_FUNCTION_ID"] = invocation.FunctionId,
            ["APPWRITE_FUNCTION_NAME"] = invocation.FunctionName,
            ["APPWRITE_FUNCTION_DEPLOYMENT"] = invocation.DeploymentId ?? "",
            ["APPWRITE_FUNCTION_RUNTIME_NAME"] = runtime.Name,
            ["APPWRITE_FUNCTION_RUNTIME_VERSION"] = runtime.Version,
            ["APPWRITE_FUNCTION_CPUS"] = invocation.Limits.Cpus.ToString(CultureInfo.InvariantCulture),
            ["APPWRITE_FUNCTION_MEMORY"] = invocation.Limits.MemoryMb.ToString(CultureInfo.InvariantCulture),
        };
        return environment;
    }

    private static string PoolKey(RuntimeInfo runtime, MaterializedBundle bundle, RuntimeInvocation invocation)
    {
        var text = new StringBuilder()
            .Append(runtime.Id).Append('\0').Append(bundle.Hash).Append('\0').Append(bundle.EntrypointPath).Append('\0')
            .Append(invocation.FunctionId).Append('\0').Append(invocation.FunctionName).Append('\0').Append(invocation.DeploymentId).Append('\0')
            .Append(invocation.Limits.Cpus.ToString(CultureInfo.InvariantCulture)).Append('\0').Append(invocation.Limits.MemoryMb);
        foreach (var (name, value) in invocation.Variables.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            text.Append('\0').Append(name).Append('=').Append(value);
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private void Discard(PooledProcess pooled)
    {
        _pool.Remove(pooled);
        pooled.Process.Dispose();
        _bundles.RemoveReference(pooled.BundleHash);
    }

    private void KillInBackground(IReadOnlyList<PooledProcess> processes)
    {
        if (processes.Count > 0)
        {
            _ = Task.Run(() =>
            {
                foreach (var process in processes)
                {
                    Discard(process);
                }
            });
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Temp leftovers are harmless.
        }
    }
}
