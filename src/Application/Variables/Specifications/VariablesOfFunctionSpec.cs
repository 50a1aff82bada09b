using FunctionsPlatform.Application.Abstractions.Specifications;
using FunctionsPlatform.Domain.Variables;

namespace FunctionsPlatform.Application.Variables.Specifications;

/// <summary>All variables of one function, for its runtime environment (the caller was checked through the function).</summary>
public sealed class VariablesOfFunctionSpec : Specification<Variable>
{
    public VariablesOfFunctionSpec(string functionId) => Query.Where(v => v.FunctionId == functionId).IgnoreQueryFilters();
}
