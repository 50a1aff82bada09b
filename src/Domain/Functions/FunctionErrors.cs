using FunctionsPlatform.Domain.Common;

namespace FunctionsPlatform.Domain.Functions;

public static class FunctionErrors
{
    public static readonly DomainError NameInvalid = new("function.name_invalid", $"Function name must be 1 to {FunctionLimits.NameMaxLength} characters.", ErrorKind.Validation, Field: "name");
    public static readonly DomainError DescriptionTooLong = new("function.description_too_long", $"Description must be at most {FunctionLimits.DescriptionMaxLength} characters.", ErrorKind.Validation, Field: "description");
    public static readonly DomainError TimeoutOutOfRange = new("function.timeout_out_of_range", $"Timeout must be between 1 and {FunctionLimits.MaxTimeoutSeconds} seconds.", ErrorKind.Validation, Field: "timeout");
    public static readonly DomainError Deleted = new("function.deleted", "The function is soft-deleted: restore it first.", ErrorKind.Conflict, "general_bad_request");
    public static readonly DomainError NotDeleted = new("function.not_deleted", "Only a soft-deleted function can be purged or restored.", ErrorKind.Conflict, "general_bad_request");
    public static readonly DomainError VersionOfAnotherFunction = new("function.version_of_another_function", "The version belongs to another function.", ErrorKind.Validation);
    public static readonly DomainError VersionDeleted = new("function.version_deleted", "A soft-deleted version cannot become the default.", ErrorKind.Conflict, "general_bad_request");
    public static readonly DomainError DeploymentOfAnotherFunction = new("function.deployment_of_another_function", "Deployment not found.", ErrorKind.NotFound, "deployment_not_found");
    public static readonly DomainError BuildNotReady = new("function.build_not_ready", "Build not ready.", ErrorKind.Validation, "build_not_ready");
    public static readonly DomainError ProcessConcurrencyOutOfRange = new("function.process_concurrency_out_of_range", $"Process concurrency must be between 1 and {FunctionLimits.MaxProcessConcurrency}.", ErrorKind.Validation);
    public static readonly DomainError TooManyItems = new("function.too_many_items", "At most 100 items are allowed, each at most 64 characters long.", ErrorKind.Validation);
}

public static class FunctionLimits
{
    public const int NameMaxLength = 128;
    public const int DescriptionMaxLength = 2048;
    public const int RuntimeMaxLength = 64;
    public const int EntrypointMaxLength = 1028;
    public const int CommandsMaxLength = 8192;
    public const int ProviderFieldMaxLength = 128;
    public const int ScheduleMaxLength = 256;
    public const int SpecificationMaxLength = 64;
    public const int RetentionTierMaxLength = 64;
    public const int MaxTimeoutSeconds = 900;
    public const int DefaultTimeoutSeconds = 15;
    public const int MaxListItems = 100;
    public const int MaxListItemLength = 64;
    public const int MaxDeploymentRetentionDays = 36500;
    public const string DefaultSpecification = "s-1vcpu-512mb";
    public const int MaxProcessConcurrency = 64;
}
