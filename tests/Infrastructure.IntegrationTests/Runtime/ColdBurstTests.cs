using System.Collections.Concurrent;
using System.Diagnostics;
using FunctionsPlatform.Application.Abstractions.Runtime;
using FunctionsPlatform.Application.Common.Errors;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Runtime;

/// <summary>
/// 200 concurrent cold calls across 50 functions against small caps, with generic processes booted beforehand: the caps
/// hold (functions' and generic processes together, counted in the pool and from the host), the excess waits then gets
/// 429, nothing is left behind (processes, cgroups, run directories, code views), and no function sees another's files,
/// environment or processes.
/// </summary>
public sealed class ColdBurstTests
{
    private const int Functions = 50;
    private const int Calls = 200;
    private const int MaxProcesses = 6;
    private const int QueueTimeoutMs = 1500;

    /// <summary>Reads what a function could see of its neighbours: /proc (pids, command lines, environments), its env, its code directory and /tmp.</summary>
    private const string SnoopCode = """
        const fs = require('node:fs');
        const read = (p) => { try { return fs.readFileSync(p, 'utf8'); } catch (e) { return ''; } };
        module.exports = async ({ res }) => {
          const me = process.env.FN_SECRET;
          fs.writeFileSync('/tmp/mark-' + me, me);
          await new Promise(r => setTimeout(r, 50));
          const pids = fs.readdirSync('/proc').filter(n => /^\d+$/.test(n));
          return res.json({
            me, pid: process.pid, pids,
            cmdlines: pids.map(p => read('/proc/' + p + '/cmdline')),
            environs: pids.map(p => read('/proc/' + p + '/environ')),
            env: process.env, code: fs.readdirSync(__dirname), tmp: fs.readdirSync('/tmp'),
          });
        };
        """;

    private static string Secret(int function) => $"S3CR3T-{function:D2}-END";

    [Test]
    public async Task TwoHundredColdCallsAcrossFiftyFunctions_StayWithinCaps_LeaveNothingBehind_AndStayIsolated()
    {
        var runRoot = Path.Combine(Path.GetTempPath(), "fp-burst-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(runRoot);
        // Taken before this executor exists: it boots generic processes (in groups of their own) as soon as it is made.
        // The shared executor boots its own generics in the background when first used (this test run alone): wait until
        // its groups stop changing, or those booted after the snapshot would be counted as this executor's.
        var otherGroups = await SettledGroupsAsync(SharedRuntime.Host.Executor.CgroupControl); // the shared executor's: not this one's
        var host = new RuntimeTestHost(o =>
        {
            o.MaxProcesses = MaxProcesses;
            o.MaxConcurrentExecutions = MaxProcesses;
            o.MaxConcurrencyPerFunction = 2;
            o.MinIdlePerFunction = 1;
            o.QueueTimeoutMs = QueueTimeoutMs;
            o.ParkedLaunchers = 0;
            o.RunDirectoryRoot = runRoot;
        });
        var hostDisposed = false;
        try
        {
            Assert.That(host.Executor.Cgroups, Is.Not.EqualTo("none"), "needs writable cgroups");
            var cgroups = host.Executor.CgroupControl;

            var invocations = Enumerable.Range(0, Functions).Select(i => RuntimeTestHost.Invocation(
                host.NodeId, "index.js", SnoopCode, functionId: $"fun_burst_{i:D2}",
                variables: new Dictionary<string, string> { ["FN_SECRET"] = Secret(i) },
                extraFiles: new CodeFile($"own-{Secret(i)}.txt", Secret(i)))).ToArray();

            // Generic processes booted before the burst: they count against the cap and are specialized (or killed for room).
            await WaitUntil(() => host.Executor.GenericProcessIds(host.NodeId).Count > 0, "a generic node process booted");
            var maxPool = 0;
            var maxHost = 0;
            using var stop = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    maxPool = Math.Max(maxPool, host.Executor.LiveProcesses + host.Executor.GenericProcessIds(host.NodeId).Count + host.Executor.GenericProcessIds(host.PythonId).Count);
                    maxHost = Math.Max(maxHost, LiveGroupsWithProcesses(cgroups, otherGroups));
                    await Task.Delay(5);
                }
            });

            var outcomes = new ConcurrentBag<(int Function, RuntimeResult? Result, bool Rejected, TimeSpan Elapsed)>();
            using var go = new ManualResetEventSlim();
            var calls = Enumerable.Range(0, Calls).Select(n => Task.Run(async () =>
            {
                var function = n % Functions;
                go.Wait();
                var started = Stopwatch.GetTimestamp();
                try
                {
                    var result = await host.RunAsync(invocations[function]);
                    outcomes.Add((function, result, false, Stopwatch.GetElapsedTime(started)));
                }
                catch (TooManyRequestsException)
                {
                    outcomes.Add((function, null, true, Stopwatch.GetElapsedTime(started)));
                }
            })).ToArray();
            go.Set();
            await Task.WhenAll(calls);
            await stop.CancelAsync();
            await sampler;

            var served = outcomes.Where(o => !o.Rejected).ToList();
            var rejected = outcomes.Where(o => o.Rejected).ToList();
            Assert.Multiple(() =>
            {
                Assert.That(outcomes, Has.Count.EqualTo(Calls));
                Assert.That(maxPool, Is.InRange(1, MaxProcesses), "live processes in the pool");
                Assert.That(maxHost, Is.InRange(1, MaxProcesses), "cgroups holding a process, counted on the host");
                Assert.That(served, Is.Not.Empty);
                Assert.That(rejected, Is.Not.Empty, "the burst exceeds what the caps serve within the queue timeout");
                Assert.That(rejected.Min(r => r.Elapsed), Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(QueueTimeoutMs * 0.9)),
                    "a rejected call waited its queue timeout first");
                Assert.That(served.Count(s => s.Result!.ColdStart), Is.GreaterThanOrEqualTo(served.Select(s => s.Function).Distinct().Count()),
                    "every function served started at least one process");
                Assert.That(host.Executor.Specializations, Is.GreaterThanOrEqualTo(1), "cold calls took the generic processes");
            });

            foreach (var (function, result, _, _) in served)
            {
                Assert.That(result!.Succeeded, Is.True, result.Errors);
                var body = result.BodyText;
                var seen = System.Text.Json.JsonDocument.Parse(body).RootElement;
                Assert.That(seen.GetProperty("me").GetString(), Is.EqualTo(Secret(function)));
                Assert.That(seen.GetProperty("code").EnumerateArray().Select(e => e.GetString()),
                    Is.EquivalentTo(new[] { ".complete", "index.js", $"own-{Secret(function)}.txt" }), "/code holds its own bundle only (and the store's completion marker)");
                Assert.That(seen.GetProperty("tmp").EnumerateArray().Select(e => e.GetString()).Where(n => n!.StartsWith("mark-", StringComparison.Ordinal)),
                    Is.EqualTo(new[] { $"mark-{Secret(function)}" }), "/tmp is its own");
                Assert.That(seen.GetProperty("pids").GetArrayLength(), Is.LessThanOrEqualTo(3), "its own pid namespace only");
                // A process started for the function shows its variables in /proc/<pid>/environ; a specialized one shows the
                // boot environment every generic process shares (its variables were set after start). Either way /proc is readable,
                // so the check below would see a neighbour's.
                Assert.That(seen.GetProperty("environs").EnumerateArray().Any(e => e.GetString()!.Contains("PATH=", StringComparison.Ordinal)), Is.True,
                    "it can read environments through /proc");
                Assert.That(seen.GetProperty("env").GetProperty("FN_SECRET").GetString(), Is.EqualTo(Secret(function)));
                var others = Enumerable.Range(0, Functions).Where(i => i != function && body.Contains(Secret(i))).ToList();
                Assert.That(others, Is.Empty, $"function {function} saw another function's files, environment or processes");
            }

            var dataDirectory = host.DataDirectory;
            var views = Path.Combine(host.Bundles.Root, Infrastructure.Runtime.Bundles.CodeViews.DirectoryName);
            host.Executor.Dispose();
            Assert.That(Directory.EnumerateFileSystemEntries(views), Is.Empty, "code views removed with their processes");
            host.Dispose();
            hostDisposed = true;
            await WaitUntil(() => cgroups.OwnGroups().All(otherGroups.Contains), "cgroups removed");
            await WaitUntil(() => !Directory.EnumerateFileSystemEntries(runRoot).Any(), "run directories removed");
            await WaitUntil(() => !ProcessesMentioning(dataDirectory).Any(), "no process of a bundle left");
        }
        finally
        {
            if (!hostDisposed)
            {
                host.Dispose();
            }

            Directory.Delete(runRoot, recursive: true);
        }
    }

    private static async Task<HashSet<string>> SettledGroupsAsync(Infrastructure.Runtime.Sandbox.CgroupController cgroups)
    {
        var groups = cgroups.OwnGroups().ToHashSet();
        var deadline = Stopwatch.GetTimestamp() + 15 * Stopwatch.Frequency;
        var stableSince = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(stableSince) < TimeSpan.FromSeconds(1) && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(50);
            var now = cgroups.OwnGroups().ToHashSet();
            if (!now.SetEquals(groups))
            {
                groups = now;
                stableSince = Stopwatch.GetTimestamp();
            }
        }

        return groups;
    }

    private static int LiveGroupsWithProcesses(Infrastructure.Runtime.Sandbox.CgroupController cgroups, HashSet<string> otherGroups) =>
        cgroups.OwnGroups().Count(g => !otherGroups.Contains(g) && HasProcesses(g));

    private static bool HasProcesses(string group)
    {
        try
        {
            return File.ReadAllText(Path.Combine(group, "cgroup.procs")).Trim().Length > 0;
        }
        catch (IOException)
        {
            return false; // removed meanwhile
        }
    }

    private static IEnumerable<int> ProcessesMentioning(string text)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            string cmdline;
            try
            {
                cmdline = File.ReadAllText(Path.Combine(dir, "cmdline"));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            if (cmdline.Contains(text, StringComparison.Ordinal))
            {
                yield return pid;
            }
        }
    }

    private static async Task WaitUntil(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition())
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), $"timed out waiting: {what}");
            await Task.Delay(50);
        }
    }
}
