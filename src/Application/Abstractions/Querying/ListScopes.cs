namespace FunctionsPlatform.Application.Abstractions.Querying;

/// <summary>Which rows a list with soft delete shows: <c>include_deleted</c> = <c>false</c> / <c>true</c> / <c>only</c>.</summary>
public enum DeletedVisibility
{
    Active,
    All,
    Only,
}

/// <summary>The shorthand parameters of <c>GET /api/functions</c> other than filter/orderBy/paging; they narrow the scope.</summary>
public sealed record FunctionListScope(
    string? WorkspaceId,
    string? Source,
    DeletedVisibility IncludeDeleted,
    IReadOnlyList<string>? Ids,
    string? Name,
    string? DefaultVersionId,
    bool? System,
    string? CreatedBy,
    string? RuntimeUserId,
    string? RetentionTier);

/// <summary>The shorthand parameters of <c>GET /api/function-versions</c> other than filter/orderBy/paging.</summary>
public sealed record VersionListScope(
    string? FunctionId,
    DeletedVisibility IncludeDeleted,
    IReadOnlyList<string>? Ids,
    string? ParentId,
    string? InputSchemaId,
    string? OutputSchemaId);
