// FunctionsPlatform build: dotnet tool restore && dotnet cake --target=<Target>
// Targets: Clean, Restore, Build, Test.Unit, Test.Architecture, Test.Integration, Test.Functional, Test.Security, Test.Acceptance, Test (all, default),
// Publish, Migrations.Script, Bench. Test prints a final plain line "N passed, N failed[, N skipped]" from the TRX files.
using System.Xml.Linq;

var target = Argument("target", "Default");
var configuration = Argument("configuration", "Release");

var root = MakeAbsolute(Directory("."));
var artifacts = root.Combine("artifacts");
var testResults = artifacts.Combine("test-results");
var buildProjects = GetFiles("./src/*/*.csproj").Concat(GetFiles("./tests/*/*.csproj")).ToList();
var testFailures = new List<string>();

void RunTests(params string[] projectNames)
{
    foreach (var name in projectNames)
    {
        var project = root.CombineWithFilePath($"tests/{name}/{name}.csproj");
        if (!FileExists(project))
        {
            Warning($"{name}: no such test project, skipped.");
            continue;
        }

        try
        {
            DotNetTest(project.FullPath, new DotNetTestSettings
            {
                Configuration = configuration,
                NoBuild = true,
                NoRestore = true,
                ResultsDirectory = testResults,
                Loggers = new[] { $"trx;LogFileName={name}.trx", "console;verbosity=minimal" },
            });
        }
        catch (Exception e)
        {
            // Keep going: every project's results count in the final line.
            testFailures.Add($"{name}: {e.Message}");
            Error($"{name} failed: {e.Message}");
        }
    }
}

(int Passed, int Failed, int Skipped, int Files) CountTrx()
{
    XNamespace ns = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";
    int passed = 0, failed = 0, skipped = 0, files = 0;
    foreach (var file in GetFiles($"{testResults.FullPath}/**/*.trx"))
    {
        var counters = XDocument.Load(file.FullPath).Descendants(ns + "Counters").FirstOrDefault();
        if (counters is null)
        {
            continue;
        }

        int Get(string attribute) => int.TryParse((string)counters.Attribute(attribute), out var v) ? v : 0;
        files++;
        var total = Get("total");
        var p = Get("passed");
        var f = Get("failed") + Get("error") + Get("timeout") + Get("aborted");
        passed += p;
        failed += f;
        skipped += Math.Max(0, total - p - f);
    }

    return (passed, failed, skipped, files);
}

Task("Clean").Does(() =>
{
    CleanDirectory(artifacts);
    foreach (var project in buildProjects)
    {
        CleanDirectory(project.GetDirectory().Combine("bin"));
        CleanDirectory(project.GetDirectory().Combine("obj"));
    }
});

Task("Restore").Does(() =>
{
    foreach (var project in buildProjects)
    {
        DotNetRestore(project.FullPath);
    }
});

Task("Build").IsDependentOn("Restore").Does(() =>
{
    // Test projects pull in every src project; building them one by one keeps bench/ (optional) out of the way.
    foreach (var project in GetFiles("./tests/*/*.csproj"))
    {
        DotNetBuild(project.FullPath, new DotNetBuildSettings { Configuration = configuration, NoRestore = true });
    }
});

Task("Test.Prepare").Does(() => CleanDirectory(testResults));

Task("Test.Unit").IsDependentOn("Build").IsDependentOn("Test.Prepare")
    .Does(() => RunTests("Domain.UnitTests", "Application.UnitTests"));

Task("Test.Architecture").IsDependentOn("Build").IsDependentOn("Test.Prepare")
    .Does(() => RunTests("Architecture.Tests"));

Task("Test.Integration").IsDependentOn("Build").IsDependentOn("Test.Prepare")
    .Does(() => RunTests("Infrastructure.IntegrationTests"));

Task("Test.Functional").IsDependentOn("Build").IsDependentOn("Test.Prepare")
    .Does(() => RunTests("Api.FunctionalTests"));

Task("Test.Security").IsDependentOn("Build").IsDependentOn("Test.Prepare")
    .Does(() => RunTests("Sandbox.SecurityTests"));

// The official Appwrite clients from npm (node-appwrite, appwrite-cli) against the real server; npm ci when node_modules is missing.
Task("Test.Acceptance").IsDependentOn("Build").IsDependentOn("Test.Prepare").Does(() =>
{
    var directory = root.Combine("tests/Sdk.AcceptanceTests");
    if (!DirectoryExists(directory.Combine("node_modules")))
    {
        var exit = StartProcess("npm", new ProcessSettings { Arguments = "ci --no-audit --no-fund", WorkingDirectory = directory });
        if (exit != 0)
        {
            testFailures.Add($"npm ci in {directory.FullPath} exited with {exit}");
            Error($"npm ci exited with {exit}");
            return;
        }
    }

    RunTests("Sdk.AcceptanceTests");
});

Task("Test")
    .IsDependentOn("Test.Unit")
    .IsDependentOn("Test.Architecture")
    .IsDependentOn("Test.Integration")
    .IsDependentOn("Test.Functional")
    .IsDependentOn("Test.Security")
    .IsDependentOn("Test.Acceptance");

Task("Publish").IsDependentOn("Restore").Does(() =>
{
    DotNetPublish("./src/Api/Api.csproj", new DotNetPublishSettings
    {
        Configuration = configuration,
        OutputDirectory = artifacts.Combine("publish"),
    });
});

Task("Migrations.Script").Does(() =>
{
    var output = artifacts.Combine("migrations");
    EnsureDirectoryExists(output);
    // EF Core cannot make idempotent scripts for SQLite (NotSupportedException): its script is the full chain from empty.
    foreach (var (context, file, idempotent) in new[] { ("SqlServerAppDbContext", "sqlserver.sql", true), ("SqliteAppDbContext", "sqlite.sql", false) })
    {
        var exit = StartProcess("dotnet", new ProcessSettings
        {
            Arguments = $"ef migrations script {(idempotent ? "--idempotent " : "")}--project src/Infrastructure --startup-project src/Infrastructure --context {context} --output \"{output.CombineWithFilePath(file).FullPath}\"",
            WorkingDirectory = root,
        });
        if (exit != 0)
        {
            throw new Exception($"dotnet ef migrations script for {context} exited with {exit}.");
        }

        Information($"Wrote {output.CombineWithFilePath(file).FullPath}");
    }
});

Task("Bench").Does(() =>
{
    var project = File("./bench/Benchmarks/Benchmarks.csproj");
    if (!GetFiles("./bench/Benchmarks/*.cs").Any())
    {
        Warning("bench/Benchmarks has no benchmarks yet; nothing to run.");
        return;
    }

    DotNetRun(project, new DotNetRunSettings { Configuration = "Release", ArgumentCustomization = a => a.Append("--").Append("--filter").AppendQuoted("*") });
});

Task("Default").IsDependentOn("Test");

var testTargets = new[] { "Default", "Test", "Test.Unit", "Test.Architecture", "Test.Integration", "Test.Functional", "Test.Security", "Test.Acceptance" };
var isTestRun = testTargets.Contains(target, StringComparer.OrdinalIgnoreCase);
try
{
    RunTarget(target);
}
catch (Exception e) when (isTestRun)
{
    testFailures.Add(e.Message);
}

if (isTestRun)
{
    // Last line, plain, from the TRX files (dotnet test's own summary is not read by CI).
    var (passed, failed, skipped, files) = CountTrx();
    if (files == 0 && testFailures.Count == 0)
    {
        testFailures.Add("no TRX results found");
    }

    if (testFailures.Count > 0 && failed == 0)
    {
        failed = 1; // a build or runner failure with no failing test result still fails the run
    }

    Console.Out.Flush();
    Console.WriteLine(skipped > 0 ? $"{passed} passed, {failed} failed, {skipped} skipped" : $"{passed} passed, {failed} failed");
    Console.Out.Flush();
    System.Environment.Exit(failed > 0 ? 1 : 0);
}
