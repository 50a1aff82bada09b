using System.Collections;
using FunctionsPlatform.Domain.Deployments;
using FunctionsPlatform.Domain.Executions;
using FunctionsPlatform.Domain.Functions;
using FunctionsPlatform.Domain.FunctionVersions;
using FunctionsPlatform.Domain.Variables;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Querying;

/// <summary>
/// A seeded, deliberately awkward data set: duplicate names and times (ties), nulls in every nullable column,
/// case variants, LIKE metacharacters, SQL-looking text and characters outside ASCII and the BMP.
/// </summary>
internal sealed class QueryingDataSet
{
    public static readonly string[] Words =
    [
        "alpha", "Alpha", "ALPHA", "beta", "Beta-2", "gamma", "ärger", "ÄRGER", "straße", "STRASSE", "Ωmega", "ωmega",
        "100%", "100x", "a_b", "axb", "[x]", "x]", "'; DROP TABLE Functions; --", "emoji 😀", "😀 first", "İstanbul", "zeta", "Zulu",
        "ﬁle", "tab\tsep", "a%b_c[d]",
    ];

    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public List<Function> Functions { get; } = [];
    public List<FunctionVersion> Versions { get; } = [];
    public List<Deployment> Deployments { get; } = [];
    public List<Execution> Executions { get; } = [];
    public List<Variable> Variables { get; } = [];

    public IReadOnlyDictionary<Type, IEnumerable> ByType => new Dictionary<Type, IEnumerable>
    {
        [typeof(Function)] = Functions,
        [typeof(FunctionVersion)] = Versions,
        [typeof(Deployment)] = Deployments,
        [typeof(Execution)] = Executions,
        [typeof(Variable)] = Variables,
    };

    /// <summary>What the soft-delete query filter leaves visible.</summary>
    public IReadOnlyDictionary<Type, IEnumerable> WithoutDeleted => new Dictionary<Type, IEnumerable>
    {
        [typeof(Function)] = Functions.Where(f => f.DeletedAt == null).ToList(),
        [typeof(FunctionVersion)] = Versions.Where(v => v.DeletedAt == null).ToList(),
        [typeof(Deployment)] = Deployments,
        [typeof(Execution)] = Executions,
        [typeof(Variable)] = Variables,
    };

    public static QueryingDataSet Create(int seed, int functions)
    {
        var random = new Random(seed);
        var set = new QueryingDataSet();
        // Few distinct instants, so createdAt ties are common and the id tie-breaker matters.
        DateTimeOffset Time() => Epoch.AddMinutes(random.Next(40)).AddMilliseconds(random.Next(3) * 7);
        string? Maybe(string? value, double nullRate = 0.3) => random.NextDouble() < nullRate ? null : value;
        string Word() => Words[random.Next(Words.Length)];

        for (var i = 0; i < functions; i++)
        {
            var created = Time();
            var function = Function.Create(
                $"fun_{random.Next(1_000_000):D7}{i:D4}",
                random.Next(3) == 0 ? "ws_b" : "ws_a",
                random.Next(4) == 0 ? Word() : $"{Word()} {Word()}",
                random.Next(2) == 0 ? "node-22" : "python-3.12",
                created,
                description: Maybe(Word()),
                source: (FunctionSource)random.Next(3),
                createdBy: Maybe("usr_" + random.Next(4)),
                runtimeUserId: Maybe("usr_" + random.Next(3), 0.5),
                retentionTier: Maybe(random.Next(2) == 0 ? "hot" : "cold", 0.4),
                settings: new FunctionSettings
                {
                    Timeout = 1 + random.Next(5) * 100,
                    Enabled = random.Next(3) != 0,
                    Entrypoint = Maybe(random.Next(2) == 0 ? "index.js" : "main.py"),
                    Schedule = random.Next(4) == 0 ? "*/5 * * * *" : "",
                });
            set.Functions.Add(function);

            FunctionVersion? last = null;
            for (var v = random.Next(5); v > 0; v--)
            {
                var at = created.AddMinutes(random.Next(10));
                var version = last is not null && random.Next(2) == 0
                    ? last.Fork($"funver_{random.Next(1_000_000):D7}{set.Versions.Count:D5}", Maybe(Word(), 0.2), at)
                    : FunctionVersion.Create($"funver_{random.Next(1_000_000):D7}{set.Versions.Count:D5}", function.Id, Word(), Maybe("sch_in"), Maybe("sch_out", 0.6), at);
                set.Versions.Add(version);
                last = version;
                if (random.Next(3) != 0)
                {
                    function.SetDefaultVersion(version, at);
                }
            }

            if (last is not null && random.Next(6) == 0)
            {
                last.SoftDelete(created.AddMinutes(30));
            }

            for (var d = random.Next(3); d > 0; d--)
            {
                var deployment = Deployment.Create($"dep_{set.Deployments.Count:D5}", function.Id, "index.js", "", random.Next(2) == 0, random.Next(2) == 0 ? "manual" : "vcs", 1, Time());
                if (random.Next(2) == 0)
                {
                    deployment.StartBuild(Time());
                    if (random.Next(2) == 0)
                    {
                        deployment.BuildSucceeded("b", random.Next(1000), "ok", Time());
                    }
                    else
                    {
                        deployment.BuildFailed("boom", Time());
                    }
                }

                set.Deployments.Add(deployment);
            }

            for (var x = random.Next(3); x > 0; x--)
            {
                var execution = Execution.Create($"exe_{set.Executions.Count:D5}", function.Id, function.WorkspaceId, (ExecutionTrigger)random.Next(3),
                    random.Next(2) == 0 ? "GET" : "POST", random.Next(2) == 0 ? "/" : "/run?x=1", [], null, Time(),
                    deploymentId: set.Deployments.Count > 0 && random.Next(2) == 0 ? set.Deployments[random.Next(set.Deployments.Count)].Id : null);
                if (random.Next(2) == 0)
                {
                    execution.Conclude(new RunOutcome(true, random.Next(2) == 0 ? 200 : 500, "{}", [], "", "", random.NextDouble()), Time());
                }

                set.Executions.Add(execution);
            }

            if (random.Next(2) == 0)
            {
                set.Variables.Add(Variable.Create($"var_{set.Variables.Count:D5}", function.Id, "KEY_" + random.Next(5), Word(), random.Next(2) == 0, Time()));
            }

            if (random.Next(5) == 0)
            {
                function.SoftDelete(created.AddMinutes(random.Next(60)));
            }
        }

        return set;
    }
}
