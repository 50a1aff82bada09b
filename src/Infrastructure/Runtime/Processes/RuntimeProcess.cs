using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using FunctionsPlatform.Application.Abstractions.Runtime;
using FunctionsPlatform.Infrastructure.Runtime.Sandbox;

namespace FunctionsPlatform.Infrastructure.Runtime.Processes;

/// <summary>
/// One live interpreter running our adapter for one bundle and variable set, reached over one persistent Unix socket
/// connection (<see cref="AdapterChannel"/>). Serves as many calls at once as the pool hands it (the function's
/// per-process concurrency); killed (whole tree) when one of them times out, or on a crash.
/// </summary>
internal sealed class RuntimeProcess : Pooling.IWarmProcess
{
    private const string ReadyLine = "FP-READY";
    private const int LoadFailedExitCode = 3;
    private const int MaxFrameBytes = (3 * RuntimeResult.MaxLogBytes) + (64 * 1024);

    private readonly Process _process;
    private readonly LaunchPlan _plan;
    private readonly CgroupHandle? _cgroup;
    private AdapterChannel? _channel;

    /// <summary>The cold call's request, written right behind the specialization (see <see cref="SpecializeAsync"/>).</summary>
    private FirstExchange? _firstExchange;
    private readonly BoundedTail _stderr = new(4096);
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _killed;
    private volatile string? _killedBecause;
    private readonly Lock _cleanup = new();
    private bool _cleanedUp;

    private RuntimeProcess(Process process, LaunchPlan plan, CgroupHandle? cgroup, int memoryMb, string? codeView)
    {
        CodeView = codeView;
        _process = process;
        _plan = plan;
        _cgroup = cgroup;
        MemoryMb = memoryMb;
        ProcessId = process.Id;
    }

    /// <summary>Read once at start: another request's clean-up may dispose the Process object while this one still reports.</summary>
    public int ProcessId { get; }

    public int MemoryMb { get; private set; }

    /// <summary>A generic process's code view (host side): deleted once the process is dead.</summary>
    public string? CodeView { get; }

    /// <summary>The cgroups the process tree runs in (null without cgroups): specialization writes the function's limits there.</summary>
    public CgroupHandle? Cgroup => _cgroup;

    /// <summary>The adapter serves one request at a time, in the order written (the function's per-process concurrency is 1).</summary>
    public bool InOrder { get; set; } = true;

    public bool IsAlive => Volatile.Read(ref _killed) == 0 && !_process.HasExited;

    /// <summary>The memory of the whole tree (launcher, sandbox, interpreter) in KiB; see <see cref="ProcessMemory"/>.</summary>
    public long MemoryKb() => ProcessMemory.TreeKb(ProcessId, _cgroup?.ProcsFiles.FirstOrDefault());

    /// <summary>Has the parked launcher exec the plan, then waits for the adapter to load the code and listen.</summary>
    public static async Task<RuntimeProcess> StartAsync(
        ParkedLauncher launcher, LaunchPlan plan, int memoryMb, TimeSpan startTimeout, CancellationToken cancellationToken, string? codeView = null)
    {
        Process process;
        try
        {
            process = await launcher.LaunchAsync(plan);
        }
        catch (IOException ex)
        {
            throw new RuntimeSpawnException($"The launcher died before it could start the runtime: {ex.Message}", ex);
        }

        var runtime = new RuntimeProcess(process, plan, launcher.Cgroup, memoryMb, codeView);
        runtime.PumpOutput();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(startTimeout);
        try
        {
            await runtime._ready.Task.WaitAsync(timeout.Token);
            runtime._channel = await AdapterChannel.ConnectAsync(plan.SocketPath, MaxFrameBytes, timeout.Token);
            return runtime;
        }
        catch (SocketException ex)
        {
            runtime.Kill();
            throw new RuntimeSpawnException($"The runtime adapter did not accept a connection: {ex.Message}", ex);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            runtime.Kill();
            throw new RuntimeLoadException($"The function did not start within {startTimeout.TotalSeconds:0} s. {runtime._stderr}".Trim());
        }
        catch
        {
            runtime.Kill();
            throw;
        }
    }

    /// <summary>
    /// Turns a generic process into one function's: sends the environment, limits and entrypoint, and waits until the code
    /// is loaded. <see cref="RuntimeLoadException"/>: the function's code failed to load or did not load in time (the
    /// process is killed); <see cref="RuntimeSpawnException"/>: the process itself failed (killed; the caller falls back).
    /// </summary>
    public async Task SpecializeAsync(
        string entrypoint, int concurrency, int memoryMb, IReadOnlyDictionary<string, string> environment, TimeSpan loadTimeout, CancellationToken cancellationToken,
        RuntimeRequest? firstRequest = null)
    {
        MemoryMb = memoryMb;
        InOrder = concurrency <= 1;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(loadTimeout);
        AdapterReply reply;
        try
        {
            var channel = _channel ?? throw new IOException("The runtime process is not connected.");
            var load = await channel.SendLoadAsync(entrypoint, concurrency, memoryMb, environment);
            if (firstRequest is not null && InOrder)
            {
                // Written behind the load frame, without waiting for its answer: the adapter runs it once the code is
                // loaded, which saves the cold call one round trip. Its turn is the load's reply.
                var first = await channel.SendAsync(firstRequest);
                _ = first.Reply.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                _firstExchange = new FirstExchange(firstRequest, first);
            }

            reply = await load.Reply.WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Kill();
            throw new RuntimeLoadException($"The function did not start within {loadTimeout.TotalSeconds:0} s. {_stderr}".Trim());
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or ObjectDisposedException)
        {
            Kill();
            throw new RuntimeSpawnException($"The generic process failed while it was specialized: {ex.Message}", ex);
        }
        catch
        {
            Kill();
            throw;
        }

        if (reply.StatusCode != 200)
        {
            Kill();
            throw new RuntimeLoadException(reply.Errors.Length > 0 ? reply.Errors.TrimEnd('\n') + "\n" : "The function failed to load.");
        }
    }

    /// <summary>
    /// Runs one request. On a process serving one request at a time (<see cref="InOrder"/>) requests may be written while
    /// an earlier one runs (the pool queues a few behind a busy process of a fast function): the adapter runs them in the
    /// order written, so each request's timeout counts from its turn, when the request before it answered, and the
    /// result's duration is its run as the adapter measured it. <see cref="RequestNotStartedException"/>: the process died before the request's
    /// turn came, so it never ran and may be sent to another process.
    /// </summary>
    public async Task<RuntimeResult> InvokeAsync(RuntimeRequest request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var channel = _channel ?? throw new IOException("The runtime process is not connected.");
            var exchange = Interlocked.Exchange(ref _firstExchange, null) is { } first && ReferenceEquals(first.Request, request)
                ? first.Exchange
                : await channel.SendAsync(request);
            if (InOrder && !exchange.Turn.IsCompletedSuccessfully)
            {
                try
                {
                    await exchange.Turn.WaitAsync(cancellationToken);
                }
                catch (Exception ex) when (ex is IOException or InvalidDataException or ObjectDisposedException)
                {
                    throw new RequestNotStartedException(_killedBecause ?? "The runtime process ended before the request's turn.", ex);
                }

                started = Stopwatch.GetTimestamp();
            }

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            var reply = await exchange.Reply.WaitAsync(deadline.Token);
            var errors = reply.BodyTruncated ? reply.Errors + $"[WARNING] Response truncated: the body exceeded {RuntimeResult.MaxBodyBytes} bytes.\n" : reply.Errors;
            var failure = reply.StatusCode >= 500 ? RuntimeFailure.FunctionError : RuntimeFailure.None;
            // The adapter's own measure of the run: the pool learns from it whether the function is fast, and a loaded
            // host's scheduling delays between the processes do not count.
            return new RuntimeResult(reply.StatusCode, reply.Headers, reply.Body, reply.Logs, errors, reply.RunTime, failure)
            {
                BodyTruncated = reply.BodyTruncated,
                ProcessId = ProcessId,
            };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The other requests on this process fail with a platform error that says why.
            _killedBecause ??= $"The runtime process was killed because another execution on it timed out after {timeout.TotalSeconds:0.###} s; this execution did not finish.";
            Kill();
            return RuntimeResult.Failed(RuntimeFailure.TimedOut, $"Execution timed out after {timeout.TotalSeconds:0.###} s: the process was killed.", Stopwatch.GetElapsedTime(started)) with { ProcessId = ProcessId };
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or ObjectDisposedException)
        {
            if (_killedBecause is { } because)
            {
                return RuntimeResult.Failed(RuntimeFailure.ProcessExited, because, Stopwatch.GetElapsedTime(started)) with { ProcessId = ProcessId };
            }

            await WaitForExitAsync(TimeSpan.FromMilliseconds(500));
            var reason = DescribeExit(ex);
            Kill();
            return RuntimeResult.Failed(RuntimeFailure.ProcessExited, reason, Stopwatch.GetElapsedTime(started)) with { ProcessId = ProcessId };
        }
    }

    /// <summary>Kills the whole tree (SIGKILL) and frees its socket, run directory and cgroups. Idempotent; a second
    /// caller (another request of the same process) waits until the first has finished cleaning up.</summary>
    public void Kill()
    {
        Interlocked.Exchange(ref _killed, 1);
        lock (_cleanup)
        {
            if (_cleanedUp)
            {
                return;
            }

            _cleanedUp = true;
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Already gone.
            }

            _cgroup?.KillAll();
            _process.WaitForExit(2000);
            _cgroup?.Remove();
            _channel?.Dispose();
            try
            {
                Directory.Delete(_plan.RunDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A sandboxed child may still hold the bind mount for a moment; the temp dir is harmless.
            }

            if (CodeView is not null)
            {
                Bundles.CodeViews.Delete(CodeView);
            }
        }
    }

    public void Dispose()
    {
        Kill();
        lock (_cleanup)
        {
            _process.Dispose();
        }
    }

    private string DescribeExit(Exception ex)
    {
        if (!_process.HasExited)
        {
            return $"The runtime process stopped answering ({ex.Message}).";
        }

        var code = _process.ExitCode;
        var outOfMemory = _cgroup?.OutOfMemory == true || _stderr.ToString().Contains("heap limit", StringComparison.OrdinalIgnoreCase)
            || _stderr.ToString().Contains("MemoryError", StringComparison.Ordinal);
        var cause = outOfMemory ? $"out of memory (limit {MemoryMb} MB)" : code > 128 ? $"killed by signal {code - 128}" : $"exited with code {code}";
        var tail = _stderr.ToString();
        return $"The runtime process {cause} during the execution." + (tail.Length > 0 ? "\n" + tail : "");
    }

    private async Task WaitForExitAsync(TimeSpan wait)
    {
        using var cts = new CancellationTokenSource(wait);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            // Still alive; the caller kills it.
        }
    }

    private void PumpOutput()
    {
        _ = Task.Run(async () =>
        {
            var reader = _process.StandardOutput;
            var buffer = new char[8192];
            var pending = new StringBuilder();
            var ready = false;
            int read;
            while ((read = await reader.ReadAsync(buffer)) > 0)
            {
                if (ready)
                {
                    continue; // Stray fd-level writes after start: drained so the child never blocks, then dropped.
                }

                pending.Append(buffer, 0, read);
                if (pending.ToString().Contains(ReadyLine, StringComparison.Ordinal))
                {
                    ready = true;
                    _ready.TrySetResult();
                }
                else if (pending.Length > 65536)
                {
                    pending.Remove(0, pending.Length - ReadyLine.Length);
                }
            }

            await _process.WaitForExitAsync();
            await Task.Delay(20); // Let the stderr pump catch the last words.
            var code = _process.ExitCode;
            var tail = _stderr.ToString();
            var cause = _cgroup?.OutOfMemory == true ? $"ran out of memory (limit {MemoryMb} MB)" : $"exited with code {code}";
            _ready.TrySetException(code == LoadFailedExitCode
                ? new RuntimeLoadException(tail.Length > 0 ? tail : "The function failed to load.")
                : new RuntimeLoadException($"The runtime process {cause} before it was ready." + (tail.Length > 0 ? "\n" + tail : "")));
        });
        _ = Task.Run(async () =>
        {
            var buffer = new char[8192];
            int read;
            while ((read = await _process.StandardError.ReadAsync(buffer)) > 0)
            {
                _stderr.Append(buffer.AsSpan(0, read));
            }
        });
    }

    private sealed record FirstExchange(RuntimeRequest Request, AdapterExchange Exchange);
}
