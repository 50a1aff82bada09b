using FunctionsPlatform.Domain.Executions;

namespace FunctionsPlatform.Application.Executions;

/// <summary>
/// The headers a function receives: the caller's (validated, none reserved) plus the platform's, which always win.
/// <c>x-appwrite-event</c> is set on background paths only (queued, scheduled, cron), as Appwrite does;
/// <c>x-appwrite-key</c> is the function's own short-lived key, for calling the API back.
/// </summary>
public static class FunctionRequestHeaders
{
    public static IReadOnlyList<KeyValuePair<string, string>> For(Execution execution, bool background, string functionKey)
    {
        var headers = new List<KeyValuePair<string, string>>(execution.RequestHeaders.Count + 11);
        foreach (var header in execution.RequestHeaders)
        {
            if (!ExecutionRequestRules.IsReserved(header.Name))
            {
                headers.Add(new(header.Name.ToLowerInvariant(), header.Value));
            }
        }

        headers.Add(new("x-appwrite-trigger", execution.Trigger.ToWire()));
        headers.Add(new("x-appwrite-execution-id", execution.Id));
        headers.Add(new("x-appwrite-key", functionKey));
        headers.Add(new("x-appwrite-user-id", execution.CreatedBy ?? ""));
        headers.Add(new("x-appwrite-user-jwt", ""));
        headers.Add(new("x-appwrite-country-code", ""));
        headers.Add(new("x-appwrite-continent-code", ""));
        headers.Add(new("x-appwrite-continent-eu", "false"));
        if (background)
        {
            headers.Add(new("x-appwrite-event", ""));
        }

        return headers;
    }
}
