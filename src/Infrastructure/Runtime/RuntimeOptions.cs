namespace FunctionsPlatform.Infrastructure.Runtime;

/// <summary>Settings of the <c>Runtime:</c> section.</summary>
public sealed class RuntimeOptions
{
    public const string SectionName = "Runtime";

    /// <summary>
    /// Idle processes a function may always keep (all its bundles and variable sets together). A function keeps more when
    /// it recently needed more at once: up to its peak of busy processes over the last one or two idle timeouts.
    /// </summary>
    public int MinIdlePerFunction { get; set; } = 2;

    /// <summary>How long an unused process stays warm; also the window over which a function's peak concurrency is remembered.</summary>
    public int IdleTimeoutSeconds { get; set; } = 60;

    /// <summary>Cap on live runtime processes, busy or idle; past it the longest-idle processes are killed.</summary>
    public int MaxProcesses { get; set; } = 256;

    /// <summary>
    /// Memory that live runtime processes may use together (their sampled proportional set size, so shared interpreter
    /// pages count once); past it the longest-idle processes are killed. 3 GiB keeps the server and 200 warm functions
    /// within 4 GiB (a warm node adapter is ~9–12 MB of PSS once many run, python less).
    /// </summary>
    public int MemoryBudgetMb { get; set; } = 3072;

    /// <summary>Executions running at once on this server, all functions together.</summary>
    public int MaxConcurrentExecutions { get; set; } = 32;

    public int MaxConcurrencyPerFunction { get; set; } = 8;

    /// <summary>
    /// Requests one process of a fast function may hold at once, the running one included, when the function's processes
    /// serve one request at a time: once as many of its processes are busy as the host has cores, further requests queue
    /// behind them rather than wake more processes (1 = off: a process per request in flight).
    /// </summary>
    public int QueueDepthPerProcess { get; set; } = 4;

    /// <summary>Busy processes a function has before its requests queue; 0 = the host's cores (tests set it, not configuration).</summary>
    internal int QueueAfterBusyProcesses { get; set; }

    /// <summary>
    /// Mean run time up to which a function's requests count as fast and may queue (tests set it, not configuration): waiting
    /// behind a few such requests costs less than waking another process, and a long one cannot hold many others up.
    /// </summary>
    internal TimeSpan QueueFastRequest { get; set; } = TimeSpan.FromMilliseconds(3);

    /// <summary>How long an excess call waits for a slot before it is refused with 429.</summary>
    public int QueueTimeoutMs { get; set; } = 2000;

    /// <summary><c>auto</c> (bubblewrap when installed), <c>bubblewrap</c> (required) or <c>none</c>.</summary>
    public string Sandbox { get; set; } = "auto";

    /// <summary>
    /// Whether sandboxed code may reach the network. <c>false</c>: a private network namespace with loopback only.
    /// <c>true</c>: the host's network namespace, host loopback services included (see docs/adr/008-sandbox-network.md).
    /// </summary>
    public bool AllowNetwork { get; set; } = true;

    /// <summary>Host uid and gid sandboxed code runs as when the server is root: an id no host account uses.</summary>
    public int SandboxUserId { get; set; } = 64999;

    public int SandboxGroupId { get; set; } = 64999;

    /// <summary>Size of the sandbox's private <c>/tmp</c> (a tmpfs counted against the memory limit): its only writable space.</summary>
    public int TmpSizeMb { get; set; } = 64;

    /// <summary>Where the run directories (sockets) live; empty = <c>/dev/shm</c> (a tmpfs) when present, else the temp directory.</summary>
    public string? RunDirectoryRoot { get; set; }

    /// <summary>Processes started ahead of demand for a function that just ran cold (0 = off).</summary>
    public int PrewarmCount { get; set; }

    /// <summary>Idle processes started for a version as soon as it becomes its function's default (0 = off).</summary>
    public int PrewarmOnActivate { get; set; } = 1;

    /// <summary>Launchers kept parked in fresh cgroups, ready to exec a runtime: takes the cgroup set-up off cold starts (0 = off).</summary>
    public int ParkedLaunchers { get; set; } = 2;

    /// <summary>
    /// Generic processes kept booted per runtime: sandboxed, in their cgroups, adapter loaded, no function yet. A cold call
    /// specializes one (code view, environment, limits, then the entrypoint) instead of starting a process; it is refilled
    /// in the background. Counted against <see cref="MaxProcesses"/> and <see cref="MemoryBudgetMb"/>, and the first to go
    /// when a function needs the room. Needs bubblewrap and cgroups (0 = off).
    /// </summary>
    public int GenericPerRuntime { get; set; } = 2;

    /// <summary>Time allowed for an adapter to load the code and listen.</summary>
    public int StartTimeoutSeconds { get; set; } = 10;

    /// <summary>Materialised bundles unused for this long (and by no process) are deleted.</summary>
    public int BundleRetentionSeconds { get; set; } = 300;

    /// <summary>Explicit interpreter paths; empty = looked up on PATH.</summary>
    public string? NodePath { get; set; }

    public string? PythonPath { get; set; }

    /// <summary>Use cgroups (v1 or v2) for memory, CPU and pids limits when the hierarchy is writable.</summary>
    public bool UseCgroups { get; set; } = true;

    /// <summary>Max processes/threads per function process tree (cgroup pids.max), against fork bombs.</summary>
    public int MaxPidsPerProcess { get; set; } = 128;

    /// <summary>Asynchronous executions run at the same time by this instance's worker (0 = no worker).</summary>
    public int AsyncWorkers { get; set; } = 4;

    public int AsyncPollIntervalMs { get; set; } = 500;

    /// <summary>Lease on a claimed execution, renewed every third of it while the code runs; a crash frees it after this.</summary>
    public int LeaseSeconds { get; set; } = 30;

    /// <summary>The /v1 endpoint function code is told to call back (<c>APPWRITE_FUNCTION_API_ENDPOINT</c>).</summary>
    public string ApiEndpoint { get; set; } = "http://127.0.0.1:5080/v1";
}
