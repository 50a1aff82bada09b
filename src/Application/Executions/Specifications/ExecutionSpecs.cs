using FunctionsPlatform.Application.Abstractions.Specifications;
using FunctionsPlatform.Domain.Executions;

namespace FunctionsPlatform.Application.Executions.Specifications;

/// <summary>One execution by id, for the background worker (no caller, so no workspace filter).</summary>
public sealed class ExecutionByIdSpec : Specification<Execution>
{
    public ExecutionByIdSpec(string id, bool tracking = false)
    {
        Query.Where(e => e.Id == id).IgnoreQueryFilters();
        if (tracking)
        {
            Query.Tracking();
        }
    }
}
