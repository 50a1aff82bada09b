using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace FunctionsPlatform.Api.FunctionalTests.DataAtRest;

/// <summary>
/// Starts the real host as its own process (its own umask) in a fresh working directory, makes it store everything it
/// stores, then checks that no file or directory it holds is open to group or others.
/// </summary>
[Platform(Exclude = "Win")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class DataAtRestTests
{
    private const UnixFileMode GroupAndOthers = (UnixFileMode)0b000_111_111;
    private string _workingDirectory = "";

    [SetUp]
    public void CreateWorkingDirectory()
    {
        _workingDirectory = Path.Combine(Path.GetTempPath(), "fp-at-rest-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_workingDirectory);
    }

    [TearDown]
    public void RemoveWorkingDirectory() => Directory.Delete(_workingDirectory, recursive: true);

    [Test]
    public async Task Host_ShouldKeepEverythingItStoresPrivate_AndTightenAnOldDataDirectory()
    {
        // An installation from before: data directory 0755 holding a 0644 database file.
        var data = Path.Combine(_workingDirectory, "data");
        Directory.CreateDirectory(data);
        File.SetUnixFileMode(data, (UnixFileMode)0b111_101_101);
        File.WriteAllBytes(Path.Combine(data, "functions.db"), []);
        File.SetUnixFileMode(Path.Combine(data, "functions.db"), (UnixFileMode)0b110_100_100);

        using (var host = await HostProcess.StartAsync(_workingDirectory))
        {
            using var client = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", File.ReadAllText(Path.Combine(data, "admin.key")).Trim());
            await StoreSomethingOfEachKindAsync(client);
        }

        // Bundle views are readable by the sandbox's unprivileged uid (0755/0644) but sit inside bundles/, which is 0700:
        // no other host user can reach them. Below bundles/ nothing may be writable by others or setuid.
        var bundles = Path.Combine(data, "bundles");
        bool InsideBundles(string path) => path.StartsWith(bundles + Path.DirectorySeparatorChar, StringComparison.Ordinal);
        var unsafeBundleEntries = Directory.Exists(bundles)
            ? Directory.EnumerateFileSystemEntries(bundles, "*", SearchOption.AllDirectories)
                .Where(path => new FileInfo(path).LinkTarget is null
                    && (File.GetUnixFileMode(path) & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite | UnixFileMode.SetUser | UnixFileMode.SetGroup)) != 0)
                .ToList()
            : [];
        var open = Directory.EnumerateFileSystemEntries(data, "*", SearchOption.AllDirectories).Prepend(data)
            .Where(path => !InsideBundles(path))
            .Where(path => new FileInfo(path).LinkTarget is null && (File.GetUnixFileMode(path) & GroupAndOthers) != 0)
            .Select(path => $"{Path.GetRelativePath(_workingDirectory, path)} {Convert.ToString((int)File.GetUnixFileMode(path), 8)}")
            .ToList();
        var stored = Directory.EnumerateFileSystemEntries(data).Select(Path.GetFileName).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(open, Is.Empty, "files or directories readable by group or others");
            Assert.That(unsafeBundleEntries, Is.Empty, "bundle entries writable by others or setuid");
            if (Directory.Exists(bundles))
            {
                Assert.That(File.GetUnixFileMode(bundles) & GroupAndOthers, Is.EqualTo((UnixFileMode)0), "bundles/ itself is owner-only");
            }
            Assert.That(stored, Is.SupersetOf(new[] { "functions.db", "functions.db-wal", "admin.key", "cursor.key" }));
            Assert.That(File.GetUnixFileMode(data), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
            Assert.That(File.GetUnixFileMode(Path.Combine(data, "admin.key")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        });
    }

    /// <summary>A function with code (files, a run, its bundle), a list page (the cursor key) and an execution record.</summary>
    private static async Task StoreSomethingOfEachKindAsync(HttpClient client)
    {
        var function = await SendAsync(client, HttpMethod.Post, "/api/functions", """{"workspaceId":"default","name":"modes"}""");
        var functionId = function["id"]!.GetValue<string>();
        var versionId = function["defaultVersionId"]!.GetValue<string>();
        await SendAsync(client, HttpMethod.Put, $"/api/function-versions/{versionId}/files",
            """{"files":[{"path":"index.js","content":"module.exports = async (context) => context.res.json({ ok: 1 });"}]}""");
        await SendAsync(client, HttpMethod.Post, $"/api/functions/{functionId}/invoke", """{"args":{}}""");
        await SendAsync(client, HttpMethod.Get, "/api/functions?limit=1", null);
    }

    private static async Task<JsonNode> SendAsync(HttpClient client, HttpMethod method, string url, string? json)
    {
        using var request = new HttpRequestMessage(method, url) { Content = json is null ? null : new StringContent(json, Encoding.UTF8, "application/json") };
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.LessThan(300), $"{method} {url}: {text}");
        return JsonNode.Parse(text)!;
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningOn();

    /// <summary>The built API run with <c>dotnet</c> in a given working directory, on a free loopback port.</summary>
    private sealed class HostProcess : IDisposable
    {
        private readonly Process _process;

        private HostProcess(Process process, Uri baseAddress)
        {
            _process = process;
            BaseAddress = baseAddress;
        }

        public Uri BaseAddress { get; }

        public static async Task<HostProcess> StartAsync(string workingDirectory)
        {
            var start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = workingDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "FunctionsPlatform.Api.dll"));
            start.ArgumentList.Add("--urls=http://127.0.0.1:0");
            start.Environment["DOTNET_ENVIRONMENT"] = "Production";
            var process = Process.Start(start)!;
            var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
            var output = new StringBuilder();
            process.OutputDataReceived += (_, e) =>
            {
                lock (output)
                {
                    output.AppendLine(e.Data);
                }

                if (e.Data is not null && ListeningOn().Match(e.Data) is { Success: true } match)
                {
                    listening.TrySetResult(new Uri(match.Groups[1].Value));
                }
            };
            process.ErrorDataReceived += (_, e) =>
            {
                lock (output)
                {
                    output.AppendLine(e.Data);
                }
            };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();

            var started = await Task.WhenAny(listening.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(180)));
            if (started != listening.Task)
            {
                process.Kill(entireProcessTree: true);
                process.Dispose();
                lock (output)
                {
                    Assert.Fail($"The host did not start:{Environment.NewLine}{output}");
                }
            }

            return new HostProcess(process, await listening.Task);
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }

            _process.Dispose();
        }
    }
}
