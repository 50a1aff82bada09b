using FunctionsPlatform.Application.Abstractions.Specifications;
using FunctionsPlatform.Domain.Variables;

namespace FunctionsPlatform.Application.Variables.Specifications;

/// <summary>All variables of one function, for its runtime environment (the caller was checked through the function).</summary>
public sealed class VariablesOfFunctionSpec : Specification<Variable>
{
    public VariablesOfFunctionSpec(string functionId) => Query.Where(v => v.FunctionId == functionId).IgnoreQueryFilters();
}

/// <summary>A function's variables in creation order, for the API (the caller was checked through the function).</summary>
public sealed class VariablesOfFunctionInOrderSpec : Specification<Variable>
{
    public VariablesOfFunctionInOrderSpec(string functionId) =>
        Query.Where(v => v.FunctionId == functionId).OrderBy(v => v.CreatedAt).OrderBy(v => v.Id);
}

/// <summary>One variable of one function; <paramref name="tracking"/> for a change.</summary>
public sealed class VariableOfFunctionSpec : Specification<Variable>
{
    public VariableOfFunctionSpec(string functionId, string variableId, bool tracking = false)
    {
        Query.Where(v => v.FunctionId == functionId && v.Id == variableId);
        if (tracking)
        {
            Query.Tracking();
        }
    }
}

/// <summary>Whether a variable id is taken anywhere (ids are global), or a key within one function.</summary>
public sealed class VariableClashSpec : Specification<Variable>
{
    public VariableClashSpec(string functionId, string? variableId, string key, string? exceptId = null) =>
        Query.Where(v => (variableId != null && v.Id == variableId) || (v.FunctionId == functionId && v.Key == key && v.Id != exceptId));
}
