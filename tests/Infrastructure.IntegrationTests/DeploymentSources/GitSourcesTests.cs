using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using FunctionsPlatform.Application.Abstractions.Deployments;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Application.Deployments;
using FunctionsPlatform.Domain.Common;
using FunctionsPlatform.Infrastructure.DeploymentSources;
using Microsoft.Extensions.Logging.Abstractions;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.DeploymentSources;

/// <summary>The git allow-list, the checkout with the real git CLI, and the packing limits of a fetched source.</summary>
public sealed class GitSourcesTests
{
    private string _root = "";

    [SetUp]
    public void CreateRoot() => _root = Directory.CreateTempSubdirectory("fp-git-tests-").FullName;

    [TearDown]
    public void DeleteRoot() => Directory.Delete(_root, recursive: true);

    private static GitSources Sources(DeploymentSettings? limits = null, params string[] allowed) =>
        new(new VcsSettings { AllowedRepositories = [.. allowed], TimeoutSeconds = 30 }, new DirectoryArchiver(limits ?? new DeploymentSettings()), NullLogger<GitSources>.Instance);

    [Test]
    public void Enabled_WithAnEmptyAllowList_ShouldBeOff()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Sources().Enabled, Is.False);
            Assert.That(Sources(null, " ", "").Enabled, Is.False);
            Assert.That(Sources(null, "/srv/git").Enabled, Is.True);
        });
    }

    [TestCase("/srv/git", true)]
    [TestCase("/srv/git/team/repo", true)]
    [TestCase("/srv/git/../etc", false)]
    [TestCase("/srv/gitx/repo", false)]
    [TestCase("/srv", false)]
    [TestCase("https://git.example.com/team/repo.git", true)]
    [TestCase("https://git.example.com/team", true)]
    [TestCase("https://git.example.com/teamx/repo", false)]
    [TestCase("https://git.example.com/team/../other/repo", false)]
    [TestCase("http://git.example.com/team/repo", false)]
    [TestCase("ext::sh -c touch% /tmp/x", false)]
    [TestCase("file:///srv/git/repo", false)]
    [TestCase("-u/srv/git/repo", false)]
    [TestCase("/srv/git/repo with space", false)]
    [TestCase("", false)]
    [TestCase("relative/path", false)]
    public void IsAllowed_ShouldHoldToTheListedPrefixesAndPaths(string repository, bool allowed) =>
        Assert.That(Sources(null, "/srv/git/", "https://git.example.com/team").IsAllowed(repository), Is.EqualTo(allowed));

    [Test]
    public async Task Checkout_ShouldPackTheRootDirectoryWithoutGit_AndRecordTheCommit()
    {
        var repository = await RepositoryAsync();
        await using var checkout = await Sources(null, _root).CheckoutAsync(repository, new GitRevision(GitReferenceType.Branch, "main"), "", CancellationToken.None);

        var names = await NamesAsync(checkout.Archive);
        Assert.Multiple(() =>
        {
            Assert.That(names, Is.EquivalentTo(new[] { "app", "app/index.js", "README" }));
            Assert.That(checkout.CommitHash, Has.Length.EqualTo(40));
            Assert.That(checkout.CommitAuthor, Is.EqualTo("Ada"));
            Assert.That(checkout.CommitMessage, Is.EqualTo("initial"));
            Assert.That(checkout.Branch, Is.EqualTo("main"));
        });
    }

    [Test]
    public async Task Checkout_ALinkedRootDirectory_ShouldBeRefused()
    {
        var repository = await RepositoryAsync();
        File.CreateSymbolicLink(Path.Combine(repository, "outside"), "/etc");
        await GitAsync(repository, "add", "-A");
        await GitAsync(repository, "-c", "user.name=Ada", "-c", "user.email=ada@example.test", "commit", "--quiet", "-m", "link");

        var refused = Assert.ThrowsAsync<ValidationException>(() =>
            Sources(null, _root).CheckoutAsync(repository, new GitRevision(GitReferenceType.Branch, "main"), "outside", CancellationToken.None));
        Assert.That(refused!.Errors.Keys, Does.Contain("providerRootDirectory"));
    }

    [Test]
    public async Task Checkout_LargerThanTheExtractionLimit_ShouldBeInvalidFileSize()
    {
        var repository = await RepositoryAsync();
        var limits = new DeploymentSettings { MaxExtractedBytes = 10 };

        var refused = Assert.ThrowsAsync<DomainException>(() =>
            Sources(limits, _root).CheckoutAsync(repository, new GitRevision(GitReferenceType.Branch, "main"), "app", CancellationToken.None));
        Assert.That(refused!.Error.AppwriteType, Is.EqualTo("deployment_invalid_file_size"));
    }

    [Test]
    public void Checkout_NotOnTheAllowList_ShouldBeRefusedBeforeGitRuns()
    {
        var refused = Assert.ThrowsAsync<ValidationException>(() =>
            Sources(null, "/nowhere").CheckoutAsync(_root, new GitRevision(GitReferenceType.Branch, "main"), "", CancellationToken.None));
        Assert.That(refused!.Errors.Keys, Does.Contain("providerRepositoryId"));
    }

    private async Task<string> RepositoryAsync()
    {
        var repository = Directory.CreateDirectory(Path.Combine(_root, "repo")).FullName;
        Directory.CreateDirectory(Path.Combine(repository, "app"));
        await File.WriteAllTextAsync(Path.Combine(repository, "app", "index.js"), "module.exports = async ({ res }) => res.json({ ok: true });");
        await File.WriteAllTextAsync(Path.Combine(repository, "README"), "readme");
        await GitAsync(repository, "init", "--quiet", "--initial-branch=main");
        await GitAsync(repository, "add", "-A");
        await GitAsync(repository, "-c", "user.name=Ada", "-c", "user.email=ada@example.test", "commit", "--quiet", "-m", "initial");
        return repository;
    }

    private static async Task GitAsync(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.That(process.ExitCode, Is.Zero, errors);
    }

    private static async Task<List<string>> NamesAsync(Stream archive)
    {
        var names = new List<string>();
        await using var gzip = new GZipStream(archive, CompressionMode.Decompress, leaveOpen: true);
        await using var tar = new TarReader(gzip);
        while (await tar.GetNextEntryAsync() is { } entry)
        {
            names.Add(entry.Name.TrimEnd('/'));
        }

        return names;
    }
}
