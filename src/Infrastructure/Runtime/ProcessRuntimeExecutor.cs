using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using FunctionsPlatform.Application.Abstractions.Runtime;
using FunctionsPlatform.Infrastructure.Observability;
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

    /// <summary>What a new process counts against the memory budget until it is sampled: the last sample of its runtime, else this.</summary>
    private const int InitialMemoryEstimateMb = 32;

    /// <summary>The Appwrite server version this platform answers as (<c>APPWRITE_VERSION</c>).</summary>
    internal const string AppwriteVersion = "1.9.6";

    /// <summary>
    /// A generic process boots under this memory limit; functions allowed less start the normal way (lowering a limit
    /// below what the booted interpreter already uses would have the kernel reclaim or kill it).
    /// </summary>
    internal const int GenericBootMemoryMb = 128;

    /// <summary>
    /// How long after a cold call its runtime's generic processes are refilled: the executor returns before the call's
    /// record is written and its answer sent, and booting an interpreter takes a core for tens of milliseconds.
    /// </summary>
    private static readonly TimeSpan GenericRefillDelay = TimeSpan.FromMilliseconds(50);

    /// <summary>After a generic process failed to boot, its runtime gets no new one for this long (cold calls start normally).</summary>
    private static readonly TimeSpan GenericBootBackoff = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Variables an interpreter or the C library reads once, at start-up: set later (as specialization does) they would
    /// not take effect, so a function that sets one starts its processes the normal way.
    /// </summary>
    private static readonly string[] StartupVariablePrefixes = ["NODE_", "UV_", "LD_", "PYTHON", "LC_", "MALLOC_", "GLIBC_", "OPENSSL_", "SSL_"];
    private static readonly string[] StartupVariables = ["LANG", "LANGUAGE", "TZ"];

    private readonly RuntimeCatalog _catalog;
    private readonly BundleStore _bundles;
    private readonly RuntimeOptions _options;
    private readonly string _apiEndpoint;
    private readonly ILogger<ProcessRuntimeExecutor> _logger;
    private readonly LaunchPlanner _planner;
    private readonly CgroupController _cgroups;
    private readonly RunDirectories _runDirectories;
    private readonly LauncherPool _launchers;
    private readonly WarmPool _pool;
    private readonly ConcurrencyGate _gate;
    private readonly ConcurrentDictionary<string, ResiliencePipeline> _startPipelines = new();
    private readonly ConcurrentDictionary<string, int> _memoryEstimates = new();
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _startGates = new();
    private readonly CodeViews? _views;
    private readonly GenericPool _generics = new();
    private readonly Lock _genericGate = new();
    private readonly ConcurrentDictionary<string, byte> _genericRefills = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _genericBootFailedAt = new(StringComparer.Ordinal);
    private bool _disposed;
    private long _specializations;
    private long _specializationFallbacks;

    /// <summary>
    /// One per process that may exist on the host, taken before it is spawned and given back once it is dead: the pool's
    /// own count only covers admitted processes, so without this a burst spawns past the cap while evicted processes die.
    /// </summary>
    private readonly SemaphoreSlim _processSlots;

    public ProcessRuntimeExecutor(RuntimeCatalog catalog, BundleStore bundles, IOptions<RuntimeOptions> options, ILogger<ProcessRuntimeExecutor> logger, TimeProvider? timeProvider = null)
    {
        timeProvider ??= TimeProvider.System;
        _catalog = catalog;
        _bundles = bundles;
        _options = options.Value;
        _apiEndpoint = _options.ApiEndpoint;
        _logger = logger;
        var sandboxUser = catalog.SetprivPath is not null ? new SandboxUser(_options.SandboxUserId, _options.SandboxGroupId) : null;
        _runDirectories = new RunDirectories(
            string.IsNullOrWhiteSpace(_options.RunDirectoryRoot) ? RunDirectories.DefaultRoot() : _options.RunDirectoryRoot, sandboxUser, logger);
        var sandbox = catalog.BubblewrapPath is { } bwrap
            ? new SandboxProfile(bwrap, catalog.SetprivPath, sandboxUser, _options.AllowNetwork, _runDirectories.SeccompFilterPath, Math.Max(1, _options.TmpSizeMb))
            : null;
        Sandbox = sandbox;
        _planner = new LaunchPlanner(sandbox, Path.Combine(AppContext.BaseDirectory, "Runtime", "Adapters"));
        _cgroups = new CgroupController(_options.UseCgroups, logger);
        _launchers = new LauncherPool(_cgroups, _options.ParkedLaunchers, TimeSpan.FromSeconds(_options.StartTimeoutSeconds));
        _launchers.Refill();
        var queueing = _options.QueueDepthPerProcess > 1
            ? new QueueingLimits(
                _options.QueueAfterBusyProcesses > 0 ? _options.QueueAfterBusyProcesses : Environment.ProcessorCount,
                Math.Min(_options.QueueDepthPerProcess, 64),
                _options.QueueFastRequest)
            : null;
        var limits = new WarmPoolLimits(_options.MinIdlePerFunction, _options.MaxProcesses, _options.MemoryBudgetMb, TimeSpan.FromSeconds(_options.IdleTimeoutSeconds), queueing);
        _pool = new WarmPool(limits, timeProvider, KillInBackground);
        _processSlots = new SemaphoreSlim(Math.Max(1, _options.MaxProcesses), Math.Max(1, _options.MaxProcesses));
        _gate = new ConcurrencyGate(_options.MaxConcurrencyPerFunction, _options.MaxConcurrentExecutions, TimeSpan.FromMilliseconds(_options.QueueTimeoutMs));
        PlatformTelemetry.ObservePool(() =>
        {
            var (busy, idle) = _pool.CountByState();
            return (busy, idle + _generics.Count, _pool.LiveMemoryMb + _generics.MemoryMb);
        });

        // Specialization needs the code view mounted by the sandbox and the limits written into cgroups after boot.
        if (_options.GenericPerRuntime > 0 && _planner.Sandboxed && _cgroups.Available)
        {
            _views = new CodeViews(bundles.Root);
            foreach (var runtime in catalog.Runtimes)
            {
                RefillGenerics(runtime);
            }
        }
    }

    /// <summary>Whether cold calls may specialize generic processes here (setting on, bubblewrap and cgroups in force).</summary>
    internal bool SpecializationEnabled => _views is not null;

    /// <summary>Cold starts served by a generic process, and those that fell back to a full start after specialization failed.</summary>
    internal long Specializations => Interlocked.Read(ref _specializations);

    internal long SpecializationFallbacks => Interlocked.Read(ref _specializationFallbacks);

    /// <summary>The launcher pids of the generic processes waiting now (tests follow them from the host).</summary>
    internal IReadOnlyList<int> GenericProcessIds(string runtimeId) =>
        _generics.Snapshot().Where(g => g.RuntimeId == runtimeId).Select(g => g.Process.ProcessId).ToList();

    /// <summary>cgroup limits in force: <c>v1</c>, <c>v2</c> or <c>none</c>.</summary>
    public string Cgroups => _cgroups.Available ? _cgroups.Version : "none";

    public int LiveProcesses => _pool.LiveCount;

    /// <summary>This instance's run directories (sockets) on the host.</summary>
    internal RunDirectories RunDirectories => _runDirectories;

    /// <summary>The sandbox executions run in (null: none); builds run in the same one.</summary>
    internal SandboxProfile? Sandbox { get; }

    /// <summary>This instance's cgroups on the host (tests count them from the host side; builds make theirs here too).</summary>
    internal CgroupController CgroupControl => _cgroups;

    public int PrewarmOnActivate => Math.Clamp(_options.PrewarmOnActivate, 0, _options.MinIdlePerFunction);

    internal WarmPool Pool => _pool;

    public async Task<RuntimeResult> ExecuteAsync(RuntimeInvocation invocation, CancellationToken cancellationToken)
    {
        using var activity = PlatformTelemetry.Activities.StartActivity("runtime.execute");
        var started = Stopwatch.GetTimestamp();
        var result = await RunAsync(invocation, started, cancellationToken);
        Record(invocation.RuntimeId, result, started);
        if (activity is not null)
        {
            activity.SetTag("faas.coldstart", result.ColdStart);
            activity.SetTag("functions.runtime", invocation.RuntimeId);
            activity.SetTag("functions.outcome", Outcome(result.Failure));
        }

        return result;
    }

    private static void Record(string runtimeId, RuntimeResult result, long started)
    {
        var runtimeTag = new KeyValuePair<string, object?>("runtime", runtimeId);
        var outcome = Outcome(result.Failure);
        PlatformTelemetry.Invocations.Add(1, runtimeTag, new KeyValuePair<string, object?>("outcome", outcome));
        PlatformTelemetry.Duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, runtimeTag);
        if (result.ColdStart)
        {
            PlatformTelemetry.ColdStarts.Add(1, runtimeTag);
        }

        if (result.Failure != RuntimeFailure.None)
        {
            PlatformTelemetry.Errors.Add(1, runtimeTag, new KeyValuePair<string, object?>("kind", outcome));
        }
    }

    private static string Outcome(RuntimeFailure failure) => failure switch
    {
        RuntimeFailure.None => "ok",
        RuntimeFailure.FunctionError => "function_error",
        RuntimeFailure.LoadFailed => "load_failed",
        RuntimeFailure.TimedOut => "timed_out",
        RuntimeFailure.ProcessExited => "process_exited",
        _ => "runtime_unavailable",
    };

    private async Task<RuntimeResult> RunAsync(RuntimeInvocation invocation, long started, CancellationToken cancellationToken)
    {
        var runtime = _catalog.Find(invocation.RuntimeId);
        if (runtime is null)
        {
            return RuntimeResult.Failed(RuntimeFailure.RuntimeUnavailable, $"Runtime '{invocation.RuntimeId}' is not installed on this host.", TimeSpan.Zero);
        }

        using var slot = await _gate.EnterAsync(invocation.FunctionId, cancellationToken);
        PlatformTelemetry.QueueWait.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);

        MaterializedBundle bundle;
        try
        {
            bundle = await _bundles.MaterializeAsync(invocation.Code, cancellationToken);
        }
        catch (InvalidDataException ex)
        {
            // The bundle store's own messages: bundle-relative paths only.
            return RuntimeResult.Failed(RuntimeFailure.LoadFailed, $"The code bundle could not be prepared: {ex.Message}", Stopwatch.GetElapsedTime(started));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A storage fault on this host: its message names host paths, so it goes to the log, not to the caller.
            _logger.LogError(ex, "The code bundle of function {FunctionId} could not be written", invocation.FunctionId);
            return RuntimeResult.Failed(RuntimeFailure.LoadFailed, "The code bundle could not be prepared: the server could not store it.", Stopwatch.GetElapsedTime(started));
        }

        var key = PoolKey(runtime, bundle, invocation);
        try
        {
            return await RunOnProcessAsync(runtime, bundle, invocation, key, started, cancellationToken);
        }
        catch (RequestNotStartedException)
        {
            // It was queued behind a request whose process died (timed out, crashed): it never ran, so it runs once more.
        }

        try
        {
            return await RunOnProcessAsync(runtime, bundle, invocation, key, started, cancellationToken);
        }
        catch (RequestNotStartedException ex)
        {
            return RuntimeResult.Failed(RuntimeFailure.ProcessExited, ex.Message, Stopwatch.GetElapsedTime(started));
        }
    }

    private async Task<RuntimeResult> RunOnProcessAsync(
        RuntimeInfo runtime, MaterializedBundle bundle, RuntimeInvocation invocation, string key, long started, CancellationToken cancellationToken)
    {
        var pooled = _pool.TryTake(key);
        SemaphoreSlim? startGate = null;
        if (pooled is null && invocation.ProcessConcurrency > 1)
        {
            // Shared processes start one at a time per key: callers arriving meanwhile wait for it and share it, so a
            // burst of 16 on a function with concurrency 4 starts about 4 processes, not 16.
            startGate = _startGates.GetOrAdd(key, _ => new SemaphoreSlim(1, 1));
            await startGate.WaitAsync(cancellationToken);
            pooled = _pool.TryTake(key);
        }

        var cold = pooled is null;
        var initTime = TimeSpan.Zero;
        try
        {
            if (pooled is null)
            {
                var starting = Stopwatch.GetTimestamp();
                var (startedProcess, failure) = await StartForCallAsync(runtime, bundle, invocation, key, started, cancellationToken);
                initTime = Stopwatch.GetElapsedTime(starting);
                if (failure is not null)
                {
                    return failure with { ColdStart = true, InitTime = initTime };
                }

                pooled = startedProcess!;
            }
        }
        finally
        {
            startGate?.Release();
        }

        var result = await InvokeOnAsync(pooled!, invocation, cold, started, cancellationToken);
        if (cold)
        {
            // After the cold call, not during it: booting competes with it for the CPU.
            _ = Task.Delay(GenericRefillDelay, CancellationToken.None).ContinueWith(_ => RefillGenerics(runtime), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }

        return cold ? result with { InitTime = initTime } : result;
    }

    private async Task<(PooledProcess? Process, RuntimeResult? Failure)> StartForCallAsync(
        RuntimeInfo runtime, MaterializedBundle bundle, RuntimeInvocation invocation, string key, long started, CancellationToken cancellationToken)
    {
        PooledProcess pooled;
        {
            if (!File.Exists(bundle.EntrypointPath))
            {
                return (null, RuntimeResult.Failed(RuntimeFailure.LoadFailed, $"Entrypoint '{invocation.Code.Entrypoint}' was not found in the code bundle.", Stopwatch.GetElapsedTime(started)));
            }

            try
            {
                pooled = await TrySpecializeAsync(runtime, bundle, invocation, key, busy: true, cancellationToken)
                    ?? (await StartAsync(runtime, bundle, invocation, key, busy: true, cancellationToken))!;
            }
            catch (RuntimeLoadException ex)
            {
                _launchers.Refill();
                return (null, RuntimeResult.Failed(RuntimeFailure.LoadFailed, ex.Message, Stopwatch.GetElapsedTime(started)));
            }
            catch (Exception ex) when (ex is RuntimeSpawnException or BrokenCircuitException)
            {
                _launchers.Refill();
                _logger.LogError(ex, "Runtime {Runtime} could not be started", runtime.Id);
                return (null, RuntimeResult.Failed(RuntimeFailure.RuntimeUnavailable, $"Runtime '{runtime.Id}' is unavailable: {ex.Message}", Stopwatch.GetElapsedTime(started)));
            }

            if (_options.PrewarmCount > 0)
            {
                _ = FillAsync(runtime, bundle, invocation, key, _options.PrewarmCount, CancellationToken.None);
            }
        }

        return (pooled, null);
    }

    private async Task<RuntimeResult> InvokeOnAsync(PooledProcess pooled, RuntimeInvocation invocation, bool cold, long started, CancellationToken cancellationToken)
    {
        // The request runs under its timeout, not under the caller's token: a caller who gives up leaves it running (it may
        // be queued behind others on the process), and the process counts it until it answers or is killed by the timeout.
        var call = pooled.Process.InvokeAsync(invocation.Request, invocation.Limits.Timeout, CancellationToken.None);
        RuntimeResult result;
        try
        {
            result = await call.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _ = call.ContinueWith(ended => Settle(pooled, ended.IsCompletedSuccessfully ? ended.Result : null), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw;
        }
        catch
        {
            Settle(pooled, null);
            throw;
        }

        Settle(pooled, result);

        if (cold)
        {
            _launchers.Refill();
        }

        return result with { ColdStart = cold, Duration = Stopwatch.GetElapsedTime(started) };
    }

    /// <summary>A request on the process ended: the process goes back to the pool, or is discarded when it died or timed out (null: the call failed).</summary>
    private void Settle(PooledProcess pooled, RuntimeResult? result)
    {
        if (result is null || result.Failure is RuntimeFailure.TimedOut or RuntimeFailure.ProcessExited)
        {
            Discard(pooled);
        }
        else
        {
            _pool.Release(pooled, result.Duration);
        }
    }

    public async Task PrepareAsync(CodeBundle code, CancellationToken cancellationToken)
    {
        var bundle = await _bundles.MaterializeAsync(code, cancellationToken);
        _bundles.Touch(bundle.Hash);
        if (_views is not null && File.Exists(bundle.EntrypointPath))
        {
            _views.EntriesOf(bundle); // the listing a specialization links from, remembered per content hash
        }
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

    public void EvictFunction(string functionId) => _pool.Evict(functionId);

    /// <summary>
    /// Cold start by specialization: takes a generic process of the runtime, links the bundle into its (empty) code view,
    /// writes the function's limits into its cgroups and has its adapter take on the function's environment and load the
    /// entrypoint. Null when the call is not eligible, no generic process waits, or specialization failed for a reason
    /// that is not the function's (the process is killed and the caller starts one the normal way). A function's own load
    /// failure throws <see cref="RuntimeLoadException"/>, as a normal start would.
    /// </summary>
    private async Task<PooledProcess?> TrySpecializeAsync(
        RuntimeInfo runtime, MaterializedBundle bundle, RuntimeInvocation invocation, string key, bool busy, CancellationToken cancellationToken)
    {
        if (_views is null || !CanSpecialize(runtime, bundle, invocation, out var entries))
        {
            return null;
        }

        var dead = new List<GenericProcess>();
        var generic = _generics.TryTake(runtime.Id, dead);
        foreach (var gone in dead)
        {
            KillGeneric(gone);
        }

        if (generic is null)
        {
            return null;
        }

        var generation = _pool.GenerationOf(invocation.FunctionId);
        var starting = Stopwatch.GetTimestamp();
        var process = generic.Process;
        try
        {
            CodeViews.Fill(process.CodeView!, bundle.Directory, entries);
            process.Cgroup?.Limit(invocation.Limits.Cpus, invocation.Limits.MemoryMb, _options.MaxPidsPerProcess);
            var environment = BuildEnvironment(runtime, invocation, "/tmp");
            environment.Remove("FP_CONCURRENCY");
            await process.SpecializeAsync(
                LaunchPlanner.SandboxEntrypoint(bundle.Directory, bundle.EntrypointPath), Math.Max(1, invocation.ProcessConcurrency), invocation.Limits.MemoryMb,
                environment, TimeSpan.FromSeconds(_options.StartTimeoutSeconds), cancellationToken, busy ? invocation.Request : null);
        }
        catch (Exception ex) when (ex is RuntimeSpawnException or IOException or UnauthorizedAccessException)
        {
            KillGeneric(generic);
            Interlocked.Increment(ref _specializationFallbacks);
            PlatformTelemetry.Specializations.Add(1, new KeyValuePair<string, object?>("runtime", runtime.Id), new KeyValuePair<string, object?>("outcome", "fallback"));
            _logger.LogWarning(ex, "A generic {Runtime} process could not be specialized for function {FunctionId}; starting one the normal way", runtime.Id, invocation.FunctionId);
            return null;
        }
        catch
        {
            KillGeneric(generic); // the function's load failure, or the caller gave up: the process is never reused
            throw;
        }

        Interlocked.Increment(ref _specializations);
        PlatformTelemetry.Specializations.Add(1, new KeyValuePair<string, object?>("runtime", runtime.Id), new KeyValuePair<string, object?>("outcome", "specialized"));
        PlatformTelemetry.InitTime.Record(Stopwatch.GetElapsedTime(starting).TotalSeconds, new KeyValuePair<string, object?>("runtime", runtime.Id));
        _bundles.AddReference(bundle.Hash);
        // The generic process's slot on the host is now this process's; it is given back when the process is discarded.
        process.InOrder = invocation.ProcessConcurrency <= 1;
        var pooled = new PooledProcess(process, key, invocation.FunctionId, bundle.Hash, generation, invocation.ProcessConcurrency, generic.MemoryMb) { RuntimeId = runtime.Id };
        // A pre-warmed one (not busy) the function has no room for is retired by the pool: its Live stays false.
        _pool.Admit(pooled, busy);
        YieldGenericsToFunctions();
        return pooled;
    }

    /// <summary>Whether a generic process can become this function's exactly as a process started for it would be.</summary>
    private bool CanSpecialize(RuntimeInfo runtime, MaterializedBundle bundle, RuntimeInvocation invocation, out IReadOnlyList<BundleEntry> entries)
    {
        entries = [];
        if (invocation.Limits.MemoryMb < GenericBootMemoryMb
            || invocation.Variables.Keys.Any(name => StartupVariables.Contains(name, StringComparer.Ordinal) || StartupVariablePrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal)))
            || !LaunchPlanner.SameInterpreterAsGeneric(runtime, invocation.Limits, bundle.EntrypointPath)
            || _views!.EntriesOf(bundle) is not { } listed)
        {
            return false;
        }

        entries = listed;
        return true;
    }

    /// <summary>
    /// Boots generic processes of the runtime in the background until it has <see cref="RuntimeOptions.GenericPerRuntime"/>,
    /// as long as there is room: a free process slot on the host, and room under the process cap and the memory budget
    /// beside the warm processes (a generic process never makes a function's process go).
    /// </summary>
    private void RefillGenerics(RuntimeInfo runtime)
    {
        if (_views is null || Volatile.Read(ref _disposed)
            || (_genericBootFailedAt.TryGetValue(runtime.Id, out var failedAt) && Stopwatch.GetElapsedTime(failedAt) < GenericBootBackoff)
            || _generics.CountOf(runtime.Id) >= _options.GenericPerRuntime
            || !_genericRefills.TryAdd(runtime.Id, 0))
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                while (!Volatile.Read(ref _disposed) && _generics.CountOf(runtime.Id) < _options.GenericPerRuntime && HasRoomForGeneric(runtime))
                {
                    if (!_processSlots.Wait(0, CancellationToken.None))
                    {
                        return;
                    }

                    GenericProcess generic;
                    try
                    {
                        generic = await BootGenericAsync(runtime);
                    }
                    catch (Exception ex) when (ex is RuntimeLoadException or RuntimeSpawnException or IOException or UnauthorizedAccessException or OperationCanceledException)
                    {
                        _processSlots.Release();
                        _genericBootFailedAt[runtime.Id] = Stopwatch.GetTimestamp();
                        _logger.LogWarning(ex, "A generic {Runtime} process could not be booted; cold calls start processes the normal way for a while", runtime.Id);
                        return;
                    }

                    lock (_genericGate)
                    {
                        if (!_disposed)
                        {
                            _generics.Add(generic);
                            continue;
                        }
                    }

                    KillGeneric(generic);
                }
            }
            finally
            {
                _genericRefills.TryRemove(runtime.Id, out _);
            }
        });
    }

    private bool HasRoomForGeneric(RuntimeInfo runtime) =>
        _pool.LiveCount + _generics.Count < _options.MaxProcesses
        && _pool.LiveMemoryMb + _generics.MemoryMb + _memoryEstimates.GetValueOrDefault(runtime.Id, InitialMemoryEstimateMb) <= _options.MemoryBudgetMb;

    /// <summary>Kills generic processes while functions' processes and generic ones together exceed the process cap or the memory budget.</summary>
    private void YieldGenericsToFunctions()
    {
        while ((_pool.LiveCount + _generics.Count > _options.MaxProcesses || _pool.LiveMemoryMb + _generics.MemoryMb > _options.MemoryBudgetMb)
            && _generics.TakeAny() is { } generic)
        {
            KillGeneric(generic);
        }
    }

    /// <summary>A generic process: the launcher's cgroups get the boot limits, the sandbox an empty code view, the adapter no entrypoint.</summary>
    private async Task<GenericProcess> BootGenericAsync(RuntimeInfo runtime)
    {
        var timeout = TimeSpan.FromSeconds(_options.StartTimeoutSeconds);
        var launcher = await _launchers.TakeAsync(CancellationToken.None);
        string runDirectory;
        string view;
        try
        {
            runDirectory = _runDirectories.Create();
        }
        catch (IOException)
        {
            launcher.Dispose();
            throw;
        }

        try
        {
            view = _views!.Create();
        }
        catch (IOException)
        {
            launcher.Dispose();
            RunDirectories.Delete(runDirectory);
            throw;
        }

        try
        {
            var bootLimits = new RuntimeLimits(timeout, 1, GenericBootMemoryMb);
            launcher.Cgroup?.Limit(bootLimits.Cpus, bootLimits.MemoryMb, _options.MaxPidsPerProcess);
            var plan = _planner.PlanGeneric(runtime, view, bootLimits, runDirectory, BootEnvironment);
            var process = await RuntimeProcess.StartAsync(launcher, plan, GenericBootMemoryMb, timeout, CancellationToken.None, codeView: view);
            try
            {
                _runDirectories.Seal(runDirectory);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                process.Dispose();
                throw new RuntimeSpawnException($"The run directory could not be sealed: {ex.Message}", ex);
            }

            return new GenericProcess(process, runtime.Id, _memoryEstimates.GetValueOrDefault(runtime.Id, InitialMemoryEstimateMb));
        }
        catch
        {
            launcher.Dispose();
            RunDirectories.Delete(runDirectory);
            CodeViews.Delete(view);
            throw;
        }
    }

    /// <summary>What every generic process boots with (and what <c>/proc/&lt;pid&gt;/environ</c> keeps showing after specialization): the same few fixed values, nothing of any function.</summary>
    private static readonly IReadOnlyDictionary<string, string> BootEnvironment = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["PATH"] = SafePath,
        ["HOME"] = "/tmp",
        ["TMPDIR"] = "/tmp",
        ["LANG"] = "C.UTF-8",
    };

    private void KillGeneric(GenericProcess generic)
    {
        generic.Process.Dispose(); // waits for the tree to die, removes its cgroups, run directory and code view
        _processSlots.Release();
    }

    /// <summary>Kills processes idle longer than the timeout, samples the memory of the live ones (the pool's budget) and deletes bundles no longer used.</summary>
    public void Maintain()
    {
        _pool.RetireExpired();
        foreach (var dead in _generics.TakeDead())
        {
            KillGeneric(dead);
        }

        foreach (var generic in _generics.Snapshot())
        {
            if (generic.Process.IsAlive && generic.Process.MemoryKb() is > 0 and var genericKb)
            {
                _generics.UpdateMemory(generic, (int)Math.Ceiling(genericKb / 1024.0));
            }
        }

        foreach (var pooled in _pool.Snapshot())
        {
            if (pooled.Process is RuntimeProcess { IsAlive: true } process && process.MemoryKb() is > 0 and var kb)
            {
                var mb = (int)Math.Ceiling(kb / 1024.0);
                _memoryEstimates[pooled.RuntimeId] = mb;
                _pool.UpdateMemory(pooled, mb);
            }
        }

        YieldGenericsToFunctions();
        _bundles.Sweep();
        foreach (var runtime in _catalog.Runtimes)
        {
            RefillGenerics(runtime);
        }
    }

    public void Dispose()
    {
        IReadOnlyList<GenericProcess> generics;
        lock (_genericGate)
        {
            _disposed = true;
            generics = _generics.TakeAll();
        }

        foreach (var generic in generics)
        {
            KillGeneric(generic);
        }

        foreach (var process in _pool.TakeAll())
        {
            Discard(process);
        }

        // A generic process still booting holds a run directory; its refill sees the flag and kills it. Wait (bounded)
        // so the instance's run directories go with the server rather than outlive it.
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 5;
        while (!_genericRefills.IsEmpty && Stopwatch.GetTimestamp() < deadline)
        {
            Thread.Sleep(10);
        }

        _launchers.Dispose();
        _gate.Dispose();
        _runDirectories.Dispose();
    }

    private async Task<PooledProcess?> StartAsync(RuntimeInfo runtime, MaterializedBundle bundle, RuntimeInvocation invocation, string key, bool busy, CancellationToken cancellationToken)
    {
        var generation = _pool.GenerationOf(invocation.FunctionId);
        var starting = Stopwatch.GetTimestamp();
        var pipeline = _startPipelines.GetOrAdd(runtime.Id, _ => BuildStartPipeline());
        await TakeProcessSlotAsync(cancellationToken);
        RuntimeProcess process;
        try
        {
            process = await pipeline.ExecuteAsync(
            async ct =>
            {
                var launcher = await _launchers.TakeAsync(ct);
                string runDirectory;
                try
                {
                    runDirectory = _runDirectories.Create();
                }
                catch (IOException ex)
                {
                    launcher.Dispose();
                    throw new RuntimeSpawnException(ex.Message, ex);
                }

                try
                {
                    launcher.Cgroup?.Limit(invocation.Limits.Cpus, invocation.Limits.MemoryMb, _options.MaxPidsPerProcess);
                    var environment = BuildEnvironment(runtime, invocation, _planner.Sandboxed ? "/tmp" : runDirectory);
                    var plan = _planner.Plan(runtime, bundle.Directory, bundle.EntrypointPath, invocation.Limits, launcher.Cgroup is not null, runDirectory, environment);
                    var started = await RuntimeProcess.StartAsync(launcher, plan, invocation.Limits.MemoryMb, TimeSpan.FromSeconds(_options.StartTimeoutSeconds), ct);
                    try
                    {
                        if (_runDirectories.Seal(runDirectory) > 0)
                        {
                            _logger.LogWarning("Function {FunctionId} left files in its run directory while loading; they were removed", invocation.FunctionId);
                        }
                    }
                    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                    {
                        started.Dispose();
                        throw new RuntimeSpawnException($"The run directory could not be sealed: {ex.Message}", ex);
                    }

                    return started;
                }
                catch
                {
                    launcher.Dispose();
                    RunDirectories.Delete(runDirectory);
                    throw;
                }
            },
            cancellationToken);
        }
        catch
        {
            _processSlots.Release();
            throw;
        }

        PlatformTelemetry.InitTime.Record(Stopwatch.GetElapsedTime(starting).TotalSeconds, new KeyValuePair<string, object?>("runtime", runtime.Id));
        _bundles.AddReference(bundle.Hash);
        var estimate = _memoryEstimates.GetValueOrDefault(runtime.Id, InitialMemoryEstimateMb);
        process.InOrder = invocation.ProcessConcurrency <= 1;
        var pooled = new PooledProcess(process, key, invocation.FunctionId, bundle.Hash, generation, invocation.ProcessConcurrency, estimate) { RuntimeId = runtime.Id };
        if (!_pool.Admit(pooled, busy))
        {
            return null;
        }

        YieldGenericsToFunctions();
        return pooled;
    }

    private async Task FillAsync(RuntimeInfo runtime, MaterializedBundle bundle, RuntimeInvocation invocation, string key, int processes, CancellationToken cancellationToken)
    {
        var tookGeneric = false;
        while (_pool.IdleCountOf(key) < processes && _pool.LiveCount < _options.MaxProcesses)
        {
            try
            {
                // A waiting generic process is taken first: it only has to load the code, not boot an interpreter.
                var specialized = await TrySpecializeAsync(runtime, bundle, invocation, key, busy: false, cancellationToken);
                tookGeneric |= specialized is not null;
                var admitted = specialized is not null
                    ? specialized.Live
                    : await StartAsync(runtime, bundle, invocation, key, busy: false, cancellationToken) is not null;
                if (!admitted)
                {
                    break; // the function already has the idle processes it may keep
                }
            }
            catch (Exception ex) when (ex is RuntimeLoadException or RuntimeSpawnException or BrokenCircuitException)
            {
                break;
            }
        }

        _launchers.Refill();
        if (tookGeneric)
        {
            RefillGenerics(runtime);
        }
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
            // Read and removed by the adapter before the code loads; set last so no function variable can replace it.
            ["FP_CONCURRENCY"] = Math.Max(1, invocation.ProcessConcurrency).ToString(CultureInfo.InvariantCulture),
        };

        return environment;
    }

    private static string PoolKey(RuntimeInfo runtime, MaterializedBundle bundle, RuntimeInvocation invocation)
    {
        var text = new StringBuilder()
            .Append(runtime.Id).Append('\0').Append(bundle.Hash).Append('\0').Append(bundle.EntrypointPath).Append('\0')
            .Append(invocation.FunctionId).Append('\0').Append(invocation.FunctionName).Append('\0').Append(invocation.DeploymentId).Append('\0')
            .Append(invocation.Limits.Cpus.ToString(CultureInfo.InvariantCulture)).Append('\0').Append(invocation.Limits.MemoryMb)
            .Append('\0').Append(invocation.ProcessConcurrency);
        foreach (var (name, value) in invocation.Variables.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            text.Append('\0').Append(name).Append('=').Append(value);
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private void Discard(PooledProcess pooled)
    {
        _pool.Remove(pooled);
        if (!pooled.TryMarkDiscarded())
        {
            return;
        }

        pooled.Process.Dispose();
        _processSlots.Release(); // Dispose waited for the process tree to die and its cgroup to go.
        _bundles.RemoveReference(pooled.BundleHash);
    }

    /// <summary>
    /// Waits for room for one more process on the host: kills the longest-idle process (of any function) when the cap is
    /// reached, else waits for a busy one to end. Bounded by the start timeout, as a start is.
    /// </summary>
    private async Task TakeProcessSlotAsync(CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(_options.StartTimeoutSeconds * (double)Stopwatch.Frequency);
        while (true)
        {
            if (_processSlots.Wait(0, CancellationToken.None))
            {
                return;
            }

            if (_generics.TakeAny() is { } generic)
            {
                KillGeneric(generic); // a spare generic process goes before any function's warm one
                continue;
            }

            if (_pool.TakeLongestIdle() is { } oldest)
            {
                Discard(oldest);
                continue;
            }

            var leftMs = (deadline - Stopwatch.GetTimestamp()) * 1000.0 / Stopwatch.Frequency;
            if (leftMs <= 0)
            {
                throw new RuntimeSpawnException($"No room for another process: {_options.MaxProcesses} are live and busy.");
            }

            // Short waits: a process that turns idle meanwhile is killed for room rather than waited on.
            if (await _processSlots.WaitAsync(TimeSpan.FromMilliseconds(Math.Min(50, leftMs)), cancellationToken))
            {
                return;
            }
        }
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
}
