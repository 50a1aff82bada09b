namespace FunctionsPlatform.Application.Functions;

/// <summary>A function as /api shows it (with <c>runtime</c> and <c>entrypoint</c>, which create accepts).</summary>
public sealed record FunctionDto(
    string Id,
    string WorkspaceId,
    string Name,
    string? Description,
    string? DefaultVersionId,
    string Source,
    bool System,
    string? CreatedBy,
    string? RuntimeUserId,
    DateTimeOffset? DeletedAt,
    string? RetentionTier,
    string Runtime,
    string? Entrypoint,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

public sealed record SuccessDto(bool Success);
