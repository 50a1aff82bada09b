namespace FunctionsPlatform.Api.Infrastructure;

/// <summary>The OpenAPI documents served at <c>/openapi/{name}.json</c> and listed by <c>/docs</c>.</summary>
public static class ApiDocuments
{
    /// <summary>The management API under <c>/api</c>.</summary>
    public const string Management = "management";
}
