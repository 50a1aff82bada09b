using FunctionsPlatform.Domain.FunctionVersions;
using static FunctionsPlatform.Domain.UnitTests.Common.DomainAssert;

namespace FunctionsPlatform.Domain.UnitTests.FunctionVersions;

public sealed class FunctionVersionTests
{
    private static FunctionVersion NewVersion(IEnumerable<VersionFile>? files = null) =>
        FunctionVersion.Create("funver_1", "fun_1", "v1", "sch_in", "sch_out", Now, files);

    [Test]
    public void Create_WhenValid_ShouldRaiseCreated()
    {
        var version = NewVersion();
        Assert.That(version.Files, Is.Empty);
        Assert.That(version.ParentId, Is.Null);
        Assert.That(AssertRaised<FunctionVersionCreated>(version).FunctionId, Is.EqualTo("fun_1"));
    }

    [Test]
    public void Create_WhenNameEmpty_ShouldThrowNameInvalid() =>
        AssertDomainError(FunctionVersionErrors.NameInvalid, () => FunctionVersion.Create("funver_1", "fun_1", "", null, null, Now));

    [Test]
    public void Fork_WhenLive_ShouldCopyFilesAndSchemasAndRecordParent()
    {
        var version = NewVersion([VersionFile.Create("index.js", "a"), VersionFile.Create("lib/b.js", "b")]);

        var fork = version.Fork("funver_2", "v2", Now.AddSeconds(1));

        Assert.That(fork.Id, Is.EqualTo("funver_2"));
        Assert.That(fork.Name, Is.EqualTo("v2"));
        Assert.That(fork.FunctionId, Is.EqualTo("fun_1"));
        Assert.That(fork.ParentId, Is.EqualTo("funver_1"));
        Assert.That(fork.InputSchemaId, Is.EqualTo("sch_in"));
        Assert.That(fork.OutputSchemaId, Is.EqualTo("sch_out"));
        Assert.That(fork.Files, Is.EqualTo(version.Files));
        Assert.That(fork.Files, Has.Count.EqualTo(2));
    }

    [Test]
    public void Fork_WhenNoName_ShouldDeriveName() =>
        Assert.That(NewVersion().Fork("funver_2", null, Now).Name, Is.EqualTo("v1-fork"));

    [Test]
    public void Fork_WhenDeleted_ShouldThrowDeleted()
    {
        var version = NewVersion();
        version.SoftDelete(Now);
        AssertDomainError(FunctionVersionErrors.Deleted, () => version.Fork("funver_2", "v2", Now));
    }

    [Test]
    public void ReplaceFiles_WhenDeleted_ShouldThrowDeleted()
    {
        var version = NewVersion();
        version.SoftDelete(Now);
        AssertDomainError(FunctionVersionErrors.Deleted, () => version.ReplaceFiles([], Now));
    }

    [Test]
    public void ReplaceFiles_WhenValid_ShouldRaiseFilesChanged()
    {
        var version = NewVersion();
        version.ReplaceFiles([VersionFile.Create("index.js", "x")], Now);
        Assert.That(version.Files.Single().Path, Is.EqualTo("index.js"));
        AssertRaised<FunctionVersionFilesChanged>(version);
    }

    [Test]
    public void ReplaceFiles_WhenDuplicatePaths_ShouldThrowPathConflict() =>
        AssertDomainError(FunctionVersionErrors.PathConflict,
            () => NewVersion().ReplaceFiles([VersionFile.Create("a.js", "1"), VersionFile.Create("a.js", "2")], Now));

    [TestCase("a", "a/b")]
    [TestCase("a/b", "a")]
    [TestCase("lib/x/y.js", "lib/x")]
    [TestCase("Index.js", "index.js")]
    [TestCase("A/b.js", "a")]
    public void ReplaceFiles_WhenPathsClash_ShouldThrowPathConflict(string first, string second) =>
        AssertDomainError(FunctionVersionErrors.PathConflict,
            () => NewVersion().ReplaceFiles([VersionFile.Create(first, "1"), VersionFile.Create(second, "2")], Now));

    [Test]
    public void Fork_WhenNoPathsClash_ShouldKeepSiblingsAndPrefixNamedFiles()
    {
        var version = NewVersion();
        version.ReplaceFiles([VersionFile.Create("a", "1"), VersionFile.Create("ab/c", "2"), VersionFile.Create("a.js", "3")], Now);
        Assert.That(version.Fork("ver_fork", null, Now).Files.Select(f => f.Path), Is.EqualTo(new[] { "a", "ab/c", "a.js" }));
    }

    [Test]
    public void ReplaceFiles_WhenTooManyFiles_ShouldThrowTooManyFiles() =>
        AssertDomainError(FunctionVersionErrors.TooManyFiles,
            () => NewVersion().ReplaceFiles(Enumerable.Range(0, VersionFile.MaxFiles + 1).Select(i => VersionFile.Create($"f{i}.js", "")), Now));

    [Test]
    public void ReplaceFiles_WhenTotalTooLarge_ShouldThrowFilesTooLarge()
    {
        var big = new string('x', VersionFile.MaxFileBytes);
        var count = (int)(VersionFile.MaxTotalBytes / VersionFile.MaxFileBytes) + 1;
        AssertDomainError(FunctionVersionErrors.FilesTooLarge,
            () => NewVersion().ReplaceFiles(Enumerable.Range(0, count).Select(i => VersionFile.Create($"f{i}.js", big)), Now));
    }

    [Test]
    public void Restore_WhenNotDeleted_ShouldThrowNotDeleted() =>
        AssertDomainError(FunctionVersionErrors.NotDeleted, () => NewVersion().Restore(Now));

    [Test]
    public void EnsurePurgeable_WhenNotDeleted_ShouldThrowNotDeleted() =>
        AssertDomainError(FunctionVersionErrors.NotDeleted, () => NewVersion().EnsurePurgeable());

    [Test]
    public void Restore_WhenDeleted_ShouldClearDeletedAt()
    {
        var version = NewVersion();
        version.SoftDelete(Now);
        version.Restore(Now);
        Assert.That(version.IsDeleted, Is.False);
    }

    [Test]
    public void Update_WhenSchemaCleared_ShouldSetNullAndKeepOther()
    {
        var version = NewVersion();
        version.Update(null, SchemaChange.To(null), SchemaChange.Keep, Now);
        Assert.That(version.InputSchemaId, Is.Null);
        Assert.That(version.OutputSchemaId, Is.EqualTo("sch_out"));
    }
}

public sealed class VersionFileTests
{
    [TestCase("index.js")]
    [TestCase("src/lib/util.js")]
    [TestCase(".env")]
    [TestCase("a..b.js")]
    public void Create_WhenPathValid_ShouldComputeSize(string path)
    {
        var file = VersionFile.Create(path, "héllo");
        Assert.That(file.Path, Is.EqualTo(path));
        Assert.That(file.Size, Is.EqualTo(6), "size is UTF-8 bytes");
    }

    [TestCase("../etc/passwd")]
    [TestCase("a/../b.js")]
    [TestCase("..")]
    [TestCase("/abs.js")]
    [TestCase("a\\b.js")]
    [TestCase("C:/x.js")]
    [TestCase("a//b.js")]
    [TestCase("./a.js")]
    [TestCase("dir/")]
    [TestCase("")]
    [TestCase(" ")]
    public void Create_WhenPathInvalid_ShouldThrowPathInvalid(string path) =>
        AssertDomainError(FunctionVersionErrors.PathInvalid, () => VersionFile.Create(path, ""));

    [Test]
    public void Create_WhenPathTooLong_ShouldThrowPathInvalid() =>
        AssertDomainError(FunctionVersionErrors.PathInvalid, () => VersionFile.Create(new string('a', VersionFile.MaxPathLength + 1), ""));

    [Test]
    public void Create_WhenContentAtLimit_ShouldSucceed() =>
        Assert.That(VersionFile.Create("a.js", new string('x', VersionFile.MaxFileBytes)).Size, Is.EqualTo(VersionFile.MaxFileBytes));

    [Test]
    public void Create_WhenContentOverLimit_ShouldThrowFileTooLarge() =>
        AssertDomainError(FunctionVersionErrors.FileTooLarge, () => VersionFile.Create("a.js", new string('x', VersionFile.MaxFileBytes + 1)));

    [Test]
    public void Create_WhenMultiByteContentOverLimit_ShouldThrowFileTooLarge() =>
        AssertDomainError(FunctionVersionErrors.FileTooLarge, () => VersionFile.Create("a.js", new string('é', (VersionFile.MaxFileBytes / 2) + 1)));
}
