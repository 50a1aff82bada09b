using System.Diagnostics;
using System.Text;
using FunctionsPlatform.Application.Abstractions.Deployments;
using FunctionsPlatform.Application.Common.Errors;
using Microsoft.Extensions.Logging;

namespace FunctionsPlatform.Infrastructure.DeploymentSources;

/// <summary>
/// Fetches one revision with the git CLI: started directly (never through a shell) with every value as its own
/// argument after <c>--</c> where git allows it, no terminal prompt, the <c>ext::</c> transport off, bounded by
/// <see cref="VcsSettings.TimeoutSeconds"/> (the process tree is killed past it). Only repositories on the operator's
/// allow-list are fetched; the checkout lives in a private temporary directory removed afterwards.
/// </summary>
internal sealed class GitSources(VcsSettings settings, DirectoryArchiver archiver, ILogger<GitSources> logger) : IGitSources
{
    private const int MaxErrorLength = 500;
    private static readonly string[] RemoteSchemes = ["https", "http", "ssh", "git"];

    public bool Enabled => settings.AllowedRepositories.Any(e => !string.IsNullOrWhiteSpace(e));

    public bool IsAllowed(string repository)
    {
        if (repository.Length == 0 || repository.StartsWith('-') || repository.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            return false;
        }

        var entries = settings.AllowedRepositories.Where(e => !string.IsNullOrWhiteSpace(e)).Select(e => e.Trim()).ToList();
        if (repository.StartsWith('/'))
        {
            var full = Path.GetFullPath(repository);
            return entries.Where(e => e.StartsWith('/')).Select(e => Path.GetFullPath(e).TrimEnd('/'))
                .Any(e => full == e || full.StartsWith(e + "/", StringComparison.Ordinal));
        }

        if (!Uri.TryCreate(repository, UriKind.Absolute, out var uri) || !RemoteSchemes.Contains(uri.Scheme)
            || repository.Split('/').Any(segment => segment is "." or ".."))
        {
            return false;
        }

        return entries.Where(e => !e.StartsWith('/')).Any(e =>
            repository.StartsWith(e, StringComparison.Ordinal)
            && (e.EndsWith('/') || repository.Length == e.Length || repository[e.Length] == '/'));
    }

    public async Task<GitCheckout> CheckoutAsync(string repository, GitRevision revision, string rootDirectory, CancellationToken ct)
    {
        if (!IsAllowed(repository))
        {
            throw new ValidationException("providerRepositoryId", "The repository is not on this server's allow-list of git repositories.");
        }

        var work = Directory.CreateTempSubdirectory("fp-git-");
        try
        {
            var checkout = Path.Combine(work.FullName, "src");
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(settings.TimeoutSeconds));
            if (revision.Type == GitReferenceType.Branch)
            {
                await RunAsync(work.FullName, ["clone", "--quiet", "--no-local", "--depth", "1", "--single-branch", "--no-tags", "--branch", revision.Reference, "--", repository, checkout], timeout.Token, ct);
            }
            else
            {
                await RunAsync(work.FullName, ["init", "--quiet", "--", checkout], timeout.Token, ct);
                await RunAsync(checkout, ["fetch", "--quiet", "--depth", "1", "--no-tags", "--", repository, revision.Reference], timeout.Token, ct);
                await RunAsync(checkout, ["checkout", "--quiet", "--detach", "FETCH_HEAD"], timeout.Token, ct);
            }

            var log = await RunAsync(checkout, ["log", "-1", "--format=%H%x00%an%x00%B"], timeout.Token, ct);
            var fields = log.Split('\0');
            var root = ResolveRoot(checkout, rootDirectory);
            var archive = await archiver.PackAsync(root, root == checkout ? [".git"] : [], ct);
            return new GitCheckout(
                archive, fields[0].Trim(), fields.ElementAtOrDefault(1) ?? "", (fields.ElementAtOrDefault(2) ?? "").TrimEnd(),
                revision.Type == GitReferenceType.Branch ? revision.Reference : "");
        }
        finally
        {
            try
            {
                work.Delete(recursive: true);
            }
            catch (IOException ex)
            {
                logger.LogWarning(ex, "Git checkout directory {Directory} could not be removed", work.FullName);
            }
        }
    }

    // --no-local: a repository on a local path is fetched through git's transport too, so the clone stays shallow and
    // shares no object files with the original.

    /// <summary>The root directory inside the checkout; every segment a real directory, so a link cannot lead outside it.</summary>
    private static string ResolveRoot(string checkout, string rootDirectory)
    {
        var current = checkout;
        foreach (var segment in rootDirectory.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(s => s != "."))
        {
            if (segment == ".." || segment == ".git")
            {
                throw RootDirectoryMissing(rootDirectory);
            }

            current = Path.Combine(current, segment);
            var directory = new DirectoryInfo(current);
            if (!directory.Exists || directory.LinkTarget is not null)
            {
                throw RootDirectoryMissing(rootDirectory);
            }
        }

        return current;
    }

    private static ValidationException RootDirectoryMissing(string rootDirectory) =>
        new("providerRootDirectory", $"The root directory '{rootDirectory}' is not a directory of the revision.");

    private async Task<string> RunAsync(string workingDirectory, IReadOnlyList<string> arguments, CancellationToken timeout, CancellationToken caller)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in (string[])["-c", "protocol.ext.allow=never", "-c", "core.hooksPath=/dev/null", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        // Never wait for a password or a host-key answer: a repository that needs one fails at once.
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        start.Environment["GIT_ASKPASS"] = "";
        start.Environment["SSH_ASKPASS"] = "";
        start.Environment["GIT_SSH_COMMAND"] = "ssh -o BatchMode=yes";

        using var process = Process.Start(start) ?? throw new InvalidOperationException("git could not be started.");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(timeout);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            caller.ThrowIfCancellationRequested();
            throw new ValidationException("reference", $"Fetching the revision took longer than {settings.TimeoutSeconds} s.");
        }

        var stdout = await output;
        var stderr = await errors;
        if (process.ExitCode != 0)
        {
            var reason = stderr.Trim();
            logger.LogInformation("git {Command} failed with exit code {ExitCode}: {Error}", arguments[0], process.ExitCode, reason);
            throw new ValidationException("reference", $"The revision could not be fetched: {(reason.Length > MaxErrorLength ? reason[..MaxErrorLength] : reason)}");
        }

        return stdout;
    }
}
