using System.Diagnostics;
using System.Formats.Tar;
using FunctionsPlatform.Application.Abstractions.Deployments;
using FunctionsPlatform.Application.Abstractions.Runtime;
using FunctionsPlatform.Application.Deployments;
using FunctionsPlatform.Application.Deployments.Building;
using FunctionsPlatform.Application.Deployments.Commands.ActivateDeployment;
using FunctionsPlatform.Application.Deployments.Commands.CancelDeploymentBuild;
using FunctionsPlatform.Application.Deployments.Commands.DeleteDeployment;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Domain.Common;
using FunctionsPlatform.Domain.Deployments;
using FunctionsPlatform.Infrastructure.Deployments;
using FunctionsPlatform.Infrastructure.IntegrationTests.Handlers;
using FunctionsPlatform.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static FunctionsPlatform.Infrastructure.IntegrationTests.Deployments.Archives;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Deployments;

/// <summary>Builds: leased, logged, measured, cancelable; activation and removal as Appwrite does them; the result runs.</summary>
public sealed class DeploymentBuildTests
{
    private const string Code = "module.exports = async ({ res }) => res.json({ from: 'deployment', answer: require('./answer.json').value });";
    private HandlerTestHost _host = null!;
    private string _adminId = "";
    private string _functionId = "";

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _host = await DeploymentTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Builds:TimeoutSeconds"] = "3",
            ["Builds:LogFlushIntervalMs"] = "100",
            ["Runtime:PrewarmOnActivate"] = "0",
        });
        _adminId = _host.Caller.UserId;
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    [SetUp]
    public async Task NewFunctionAsync()
    {
        _host.Caller.UserId = _adminId;
        _host.Caller.IsAdmin = true;
        _host.Caller.Scopes = Domain.Identity.Scope.All;
        _functionId = await _host.CreateFunctionAsync("built-" + Guid.NewGuid().ToString("N")[..8]);
    }

    private static byte[] Source(int answer = 42) => TarGz(tar =>
    {
        FileEntry(tar, "index.js", Code);
        FileEntry(tar, "answer.json", $"{{\"value\":{answer}}}");
    });

    [Test]
    public async Task Build_WithoutCommands_ShouldBeReadyWithSizesAndActive()
    {
        var uploaded = await _host.UploadAsync(_functionId, Source());

        var built = await _host.BuildAsync(uploaded.Id);

        var function = await _host.FunctionAsync(_functionId);
        Assert.Multiple(() =>
        {
            Assert.That(built.Status, Is.EqualTo("ready"), built.BuildLogs);
            Assert.That(built.SourceSize, Is.GreaterThan(0));
            Assert.That(built.BuildSize, Is.EqualTo(Code.Length + "{\"value\":42}".Length));
            Assert.That(built.TotalSize, Is.EqualTo(built.SourceSize + built.BuildSize));
            Assert.That(function.DeploymentId, Is.EqualTo(uploaded.Id));
            Assert.That(function.LatestDeploymentId, Is.EqualTo(uploaded.Id));
            Assert.That(function.LatestDeploymentStatus, Is.EqualTo("ready"));
        });
    }

    [Test]
    public async Task Build_Ready_ShouldRunThroughTheRuntimeExecutorWithoutExtracting()
    {
        var built = await _host.BuildAsync((await _host.UploadAsync(_functionId, Source(7))).Id);
        var row = await _host.RowAsync(built.Id);
        var artifacts = _host.Services.GetRequiredService<IDeploymentArtifacts>();
        var function = await _host.FunctionAsync(_functionId);

        var invocation = DeploymentInvocations.For(function, row, artifacts, new Dictionary<string, string>(), RuntimeRequest.Create("GET"), 10);
        var result = await _host.Services.GetRequiredService<IRuntimeExecutor>().ExecuteAsync(invocation, CancellationToken.None);

        Assert.That(invocation.Code.PreparedDirectory, Is.EqualTo(artifacts.Find(row.BuildKey!)), "the artifact is on disk, extracted once");
        Assert.That(System.Text.Encoding.UTF8.GetString(result.Body), Does.Contain("\"answer\":7"), result.Errors);
    }

    [Test]
    public async Task Execution_OfTheActiveDeployment_ShouldRunItsArtifactInPlace()
    {
        var built = await _host.BuildAsync((await _host.UploadAsync(_functionId, Source(Random.Shared.Next(1000, int.MaxValue)), activate: true)).Id);
        var bundles = Path.Combine(_host.DataDirectory, "bundles");
        var before = Directory.Exists(bundles) ? Directory.GetFileSystemEntries(bundles).Length : 0;

        var execution = await _host.SendAsync(new Application.Executions.Commands.CreateExecution.CreateExecutionCommand(_functionId, ""));

        Assert.Multiple(() =>
        {
            Assert.That(execution.Status, Is.EqualTo("completed"), execution.Errors);
            Assert.That(execution.DeploymentId, Is.EqualTo(built.Id));
            Assert.That(execution.ResponseBody, Does.Contain("\"from\":\"deployment\""));
            Assert.That(Directory.Exists(bundles) ? Directory.GetFileSystemEntries(bundles).Length : 0, Is.EqualTo(before), "nothing was extracted to run it");
        });
    }

    [Test]
    public async Task Build_EqualOutput_ShouldShareOneContentAddressedArtifact()
    {
        var first = await _host.BuildAsync((await _host.UploadAsync(_functionId, Source(1))).Id);
        var second = await _host.BuildAsync((await _host.UploadAsync(_functionId, Source(1))).Id);

        Assert.That((await _host.RowAsync(second.Id)).BuildKey, Is.EqualTo((await _host.RowAsync(first.Id)).BuildKey));
    }

    [Test]
    public async Task Build_WithCommands_ShouldKeepTheirOutputAndLogs()
    {
        var uploaded = await _host.UploadAsync(_functionId, Source(), commands: "echo building $APPWRITE_FUNCTION_ID; echo generated > out.txt");

        var built = await _host.BuildAsync(uploaded.Id);

        var directory = _host.Services.GetRequiredService<IDeploymentArtifacts>().Find((await _host.RowAsync(built.Id)).BuildKey!)!;
        Assert.Multiple(() =>
        {
            Assert.That(built.Status, Is.EqualTo("ready"), built.BuildLogs);
            Assert.That(built.BuildLogs, Does.Contain("building " + _functionId));
            Assert.That(File.ReadAllText(Path.Combine(directory, "out.txt")).Trim(), Is.EqualTo("generated"));
        });
    }

    [Test]
    public async Task Build_FailingCommand_ShouldFailWithTheExitCodeInTheLogAndStayInactive()
    {
        var uploaded = await _host.UploadAsync(_functionId, Source(), commands: "echo oops >&2; exit 3");

        var built = await _host.BuildAsync(uploaded.Id);

        Assert.Multiple(async () =>
        {
            Assert.That(built.Status, Is.EqualTo("failed"));
            Assert.That(built.BuildLogs, Does.Contain("oops"));
            Assert.That(built.BuildLogs, Does.Contain("Build command exited with code 3."));
            Assert.That((await _host.FunctionAsync(_functionId)).DeploymentId, Is.Null);
            Assert.That((await _host.FunctionAsync(_functionId)).LatestDeploymentStatus, Is.EqualTo("failed"));
        });
    }

    [Test]
    public async Task Build_HostileArchive_ShouldFailNamingTheRule()
    {
        var uploaded = await _host.UploadAsync(_functionId, TarGz(tar => Link(tar, TarEntryType.SymbolicLink, "index.js", "/etc/passwd")));

        var built = await _host.BuildAsync(uploaded.Id);

        Assert.That(built.Status, Is.EqualTo("failed"));
        Assert.That(built.BuildLogs, Does.Contain("Invalid deployment archive").And.Contain("absolute"));
    }

    [Test]
    public async Task Build_OverTheTimeout_ShouldFailAndKillTheCommands()
    {
        var marker = UniqueSleep();
        var uploaded = await _host.UploadAsync(_functionId, Source(), commands: $"sleep {marker} & sleep {marker}; echo never");
        var started = Stopwatch.StartNew();

        var built = await _host.BuildAsync(uploaded.Id);

        Assert.That(built.Status, Is.EqualTo("failed"));
        Assert.That(built.BuildLogs, Does.Contain("Build timed out after 3 seconds.").And.Not.Contain("never"));
        Assert.That(started.Elapsed, Is.LessThan(TimeSpan.FromSeconds(20)));
        Assert.That(await GoneAsync(marker), Is.True, "the command's whole process tree is gone");
    }

    [Test]
    public async Task Cancel_RunningBuild_ShouldKillItsProcessTreeAndStayCanceled()
    {
        var marker = UniqueSleep();
        var uploaded = await _host.UploadAsync(_functionId, Source(), commands: $"echo started; (sleep {marker} & wait)");
        var building = _host.BuildAsync(uploaded.Id);

        // The log is readable while the build runs.
        for (var i = 0; i < 100 && !(await _host.GetAsync(_functionId, uploaded.Id)).BuildLogs.Contains("started"); i++)
        {
            await Task.Delay(50);
        }

        Assert.That((await _host.GetAsync(_functionId, uploaded.Id)).BuildLogs, Does.Contain("started"));
        for (var i = 0; i < 50 && await GoneAsync(marker, TimeSpan.Zero); i++)
        {
            await Task.Delay(100);
        }

        Assert.That(await GoneAsync(marker, TimeSpan.Zero), Is.False, "the grandchild runs while the build does");
        var canceled = await _host.SendAsync(new CancelDeploymentBuildCommand(_functionId, uploaded.Id));
        var final = await building;

        Assert.Multiple(async () =>
        {
            Assert.That(canceled.Status, Is.EqualTo("canceled"));
            Assert.That(final.Status, Is.EqualTo("canceled"));
            Assert.That(final.BuildLogs, Does.Contain("Build has been canceled."));
            Assert.That(await GoneAsync(marker), Is.True, "the grandchild sleep was killed too");
        });
    }

    /// <summary>A sleep argument no other process has, so the host can find (or miss) that process by its command line.</summary>
    private static string UniqueSleep() => "60." + Random.Shared.Next(100_000, 999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>True once no live process (zombies aside: dead, not yet reaped) runs <c>sleep marker</c>, waiting up to <paramref name="patience"/>.</summary>
    private static async Task<bool> GoneAsync(string marker, TimeSpan? patience = null)
    {
        var deadline = DateTime.UtcNow + (patience ?? TimeSpan.FromSeconds(5));
        while (true)
        {
            var alive = Directory.EnumerateDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)).Any(d =>
            {
                try
                {
                    return File.ReadAllText(Path.Combine(d, "cmdline")).Replace('\0', ' ').Contains("sleep " + marker, StringComparison.Ordinal)
                        && !File.ReadLines(Path.Combine(d, "status")).Any(l => l.StartsWith("State:\tZ", StringComparison.Ordinal));
                }
                catch (IOException)
                {
                    return false;
                }
            });
            if (!alive || DateTime.UtcNow >= deadline)
            {
                return !alive;
            }

            await Task.Delay(100);
        }
    }

    [Test]
    public async Task Cancel_FinishedBuild_ShouldBeBuildAlreadyCompleted()
    {
        var built = await _host.BuildAsync((await _host.UploadAsync(_functionId, Source())).Id);

        var error = Assert.ThrowsAsync<DomainException>(() => _host.SendAsync(new CancelDeploymentBuildCommand(_functionId, built.Id)));

        Assert.That(error!.Error.AppwriteType, Is.EqualTo("build_already_completed"));
    }

    [Test]
    public async Task Claim_ByTwoWorkersAtOnce_ShouldGoToExactlyOne()
    {
        var uploaded = await _host.UploadAsync(_functionId, Source());
        var now = DateTimeOffset.UtcNow;

        var claims = await Task.WhenAll(Enumerable.Range(0, 4).Select(async i =>
        {
            await using var scope = _host.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<IDeploymentBuildLeases>().TryClaimAsync(uploaded.Id, $"worker-{i}", now, TimeSpan.FromSeconds(30), CancellationToken.None);
        }));

        Assert.That(claims.Count(c => c), Is.EqualTo(1));
    }

    [Test]
    public async Task Claim_AfterTheWorkerDied_ShouldLetAnotherWorkerFinishTheBuild()
    {
        var uploaded = await _host.UploadAsync(_functionId, Source());
        await using (var scope = _host.Services.CreateAsyncScope())
        {
            var leases = scope.ServiceProvider.GetRequiredService<IDeploymentBuildLeases>();
            Assert.That(await leases.TryClaimAsync(uploaded.Id, "dead-worker", DateTimeOffset.UtcNow.AddMinutes(-5), TimeSpan.FromSeconds(30), CancellationToken.None), Is.True);
            Assert.That(await leases.TryClaimAsync(uploaded.Id, "second", DateTimeOffset.UtcNow.AddMinutes(-5).AddSeconds(10), TimeSpan.FromSeconds(30), CancellationToken.None), Is.False, "a live lease holds");
            Assert.That(await leases.FindDueAsync(DateTimeOffset.UtcNow, 100, CancellationToken.None), Does.Contain(uploaded.Id), "an expired lease is due again");
        }

        var built = await _host.BuildAsync(uploaded.Id, "second");

        Assert.That(built.Status, Is.EqualTo("ready"));
        Assert.That((await _host.RowAsync(uploaded.Id)).BuildAttempts, Is.EqualTo(2));
    }

    [Test]
    public async Task Claim_ForTheFourthTime_ShouldFailTheBuildInsteadOfRetryingForever()
    {
        var uploaded = await _host.UploadAsync(_functionId, Source());
        await using (var scope = _host.Services.CreateAsyncScope())
        {
            var leases = scope.ServiceProvider.GetRequiredService<IDeploymentBuildLeases>();
            for (var i = 0; i < Deployment.MaxBuildAttempts; i++)
            {
                Assert.That(await leases.TryClaimAsync(uploaded.Id, $"crashing-{i}", DateTimeOffset.UtcNow.AddMinutes(-10 + i), TimeSpan.FromSeconds(30), CancellationToken.None), Is.True);
            }
        }

        var built = await _host.BuildAsync(uploaded.Id, "last");

        Assert.That(built.Status, Is.EqualTo("failed"));
        Assert.That(built.BuildLogs, Does.Contain("abandoned"));
    }

    [Test]
    public async Task Worker_ShouldBuildWhatIsQueuedWithoutBeingAsked()
    {
        var uploaded = await _host.UploadAsync(_functionId, Source());
        var worker = ActivatorUtilities.CreateInstance<DeploymentBuildWorker>(_host.Services);
        await worker.StartAsync(CancellationToken.None);
        try
        {
            DeploymentDto row = uploaded;
            for (var i = 0; i < 100 && row.Status != "ready"; i++)
            {
                await Task.Delay(50);
                row = await _host.ReadAsync(uploaded.Id);
            }

            Assert.That(row.Status, Is.EqualTo("ready"), row.BuildLogs);
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
            worker.Dispose();
        }
    }

    [Test]
    public async Task Activate_LastQueuedClaimWins_EvenWhenTheEarlierOneFinishesLater()
    {
        var first = await _host.UploadAsync(_functionId, Source(1), activate: true);
        var second = await _host.UploadAsync(_functionId, Source(2), activate: true);

        await _host.BuildAsync(second.Id);
        await _host.BuildAsync(first.Id);

        var function = await _host.FunctionAsync(_functionId);
        Assert.Multiple(async () =>
        {
            Assert.That(function.DeploymentId, Is.EqualTo(second.Id));
            Assert.That((await _host.RowAsync(first.Id)).Activate, Is.False, "the claim moved to the later deployment");
            Assert.That(function.LatestDeploymentId, Is.EqualTo(second.Id));
        });
    }

    [Test]
    public async Task Activate_InactiveDeployment_ShouldNotReplaceTheActiveOne()
    {
        var active = await _host.BuildAsync((await _host.UploadAsync(_functionId, Source(1), activate: true)).Id);
        var inactive = await _host.BuildAsync((await _host.UploadAsync(_functionId, Source(2), activate: false)).Id);

        Assert.That((await _host.FunctionAsync(_functionId)).DeploymentId, Is.EqualTo(active.Id));
        Assert.That(inactive.Status, Is.EqualTo("ready"));
    }

    [Test]
    public async Task ActivateExplicitly_ReadyDeployment_ShouldSwitchTheFunction()
    {
        await _host.BuildAsync((await _host.UploadAsync(_functionId, Source(1), activate: true)).Id);
        var other = await _host.BuildAsync((await _host.UploadAsync(_functionId, Source(2), activate: false)).Id);

        var function = await _host.SendAsync(new ActivateDeploymentCommand(_functionId, other.Id));

        Assert.That((await _host.FunctionAsync(_functionId)).DeploymentId, Is.EqualTo(other.Id));
        Assert.That(function.Id, Is.EqualTo(_functionId));
    }

    [Test]
    public async Task ActivateExplicitly_NotReadyDeployment_ShouldBeBuildNotReady()
    {
        var waiting = await _host.UploadAsync(_functionId, Source(), activate: false);

        var error = Assert.ThrowsAsync<DomainException>(() => _host.SendAsync(new ActivateDeploymentCommand(_functionId, waiting.Id)));

        Assert.That(error!.Error.AppwriteType, Is.EqualTo("build_not_ready"));
    }

    [Test]
    public async Task ActivateExplicitly_DeploymentOfAnotherFunction_ShouldBeNotFound()
    {
        var built = await _host.BuildAsync((await _host.UploadAsync(_functionId, Source())).Id);
        var other = await _host.CreateFunctionAsync("other-" + Guid.NewGuid().ToString("N")[..8]);

        var error = Assert.ThrowsAsync<NotFoundException>(() => _host.SendAsync(new ActivateDeploymentCommand(other, built.Id)));

        Assert.That(error!.AppwriteType, Is.EqualTo("deployment_not_found"));
    }

    [Test]
    public async Task Delete_ActiveDeployment_ShouldLeaveTheFunctionWithoutCodeAndMoveLatest()
    {
        var older = await _host.BuildAsync((await _host.UploadAsync(_functionId, Source(1), activate: false)).Id);
        // Content unique to this test: equal content elsewhere in the fixture would share the artifact (and keep it).
        var active = await _host.BuildAsync((await _host.UploadAsync(_functionId, Source(Random.Shared.Next(1000, int.MaxValue)), activate: true)).Id);
        var artifactKey = (await _host.RowAsync(active.Id)).BuildKey!;

        await _host.SendAsync(new DeleteDeploymentCommand(_functionId, active.Id));

        var function = await _host.FunctionAsync(_functionId);
        Assert.Multiple(() =>
        {
            Assert.That(function.DeploymentId, Is.Null);
            Assert.That(function.LatestDeploymentId, Is.EqualTo(older.Id));
            Assert.That(_host.Services.GetRequiredService<IDeploymentArtifacts>().Find(artifactKey), Is.Null, "its unshared artifact is removed");
        });
    }

    [Test]
    public async Task Retention_ShouldRemoveOldInactiveDeploymentsOnly()
    {
        var old = await _host.BuildAsync((await _host.UploadAsync(_functionId, Source(1), activate: false)).Id);
        var active = await _host.BuildAsync((await _host.UploadAsync(_functionId, Source(2), activate: true)).Id);
        await using (var scope = _host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var fn = await db.Functions.SingleAsync(f => f.Id == _functionId);
            db.Entry(fn).Property(f => f.DeploymentRetention).CurrentValue = 1;
            await db.SaveChangesAsync();
            var longAgo = DateTimeOffset.UtcNow.AddDays(-3);
            await db.Deployments.Where(d => d.Id == old.Id || d.Id == active.Id).ExecuteUpdateAsync(s => s.SetProperty(d => d.CreatedAt, longAgo));
        }

        await using (var scope = _host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<IDeploymentRetention>().SweepAsync(100, CancellationToken.None);
        }

        await using var check = _host.Services.CreateAsyncScope();
        var remaining = await check.ServiceProvider.GetRequiredService<AppDbContext>().Deployments.Where(d => d.FunctionId == _functionId).Select(d => d.Id).ToListAsync();
        Assert.That(remaining, Is.EqualTo(new[] { active.Id }));
    }
}
