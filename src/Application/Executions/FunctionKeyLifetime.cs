using FunctionsPlatform.Application.Abstractions.Security;
using FunctionsPlatform.Domain.Functions;

namespace FunctionsPlatform.Application.Executions;

/// <summary>The key an execution's code gets: the function's scopes, valid for its timeout and a minute more (as Appwrite's).</summary>
public static class FunctionKeyLifetime
{
    public static string ForExecution(this IFunctionKeys keys, Function function) =>
        keys.Issue(function.WorkspaceId, function.Id, function.Scopes, TimeSpan.FromSeconds(function.Timeout + 60));
}
