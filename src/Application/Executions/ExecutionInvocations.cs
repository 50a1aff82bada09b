using FunctionsPlatform.Application.Abstractions.Runtime;
using FunctionsPlatform.Domain.Functions;
using FunctionsPlatform.Domain.FunctionVersions;
using FunctionsPlatform.Domain.Variables;

namespace FunctionsPlatform.Application.Executions;

/// <summary>Turns a function, one of its versions and a request into what the runtime executor runs.</summary>
internal static class ExecutionInvocations
{
    public static RuntimeInvocation For(
        Function function, FunctionVersion version, IReadOnlyList<Variable> variables, RuntimeRequest request, int timeoutSeconds) =>
        For(function,
            CodeBundle.FromFiles(
                EntrypointOf(function, version), version.Files.Select(f => new CodeFile(f.Path, f.Content)).ToList(),
                filesKey: $"{version.Id}:{version.ConcurrencyStamp:N}"), // every change to the files renews the stamp
            variables, request, timeoutSeconds);

    public static RuntimeInvocation For(
        Function function, CodeBundle code, IReadOnlyList<Variable> variables, RuntimeRequest request, int timeoutSeconds) =>
        new(function.Id, function.Name, function.Runtime, code, request, RuntimeLimits.FromSpecification(function.RuntimeSpecification, timeoutSeconds))
        {
            // A changed value changes the warm pool key, so no process keeps running with stale variables.
            Variables = variables.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal),
            WorkspaceId = function.WorkspaceId,
        };

    /// <summary>The function's entrypoint, else the conventional file of its runtime, else the version's first file.</summary>
    public static string EntrypointOf(Function function, FunctionVersion version)
    {
        if (!string.IsNullOrEmpty(function.Entrypoint))
        {
            return function.Entrypoint;
        }

        string[] conventional = ["index.js", "index.mjs", "main.js", "src/main.js", "main.py", "src/main.py"];
        return conventional.FirstOrDefault(p => version.Files.Any(f => f.Path == p))
            ?? version.Files.FirstOrDefault()?.Path
            ?? (function.Runtime.StartsWith("python", StringComparison.Ordinal) ? "main.py" : "index.js");
    }
}
