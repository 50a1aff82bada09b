using FunctionsPlatform.Domain.Common;

namespace FunctionsPlatform.Domain.FunctionVersions;

public static class FunctionVersionErrors
{
    public const int NameMaxLength = 128;

    public static readonly DomainError NameInvalid = new("version.name_invalid", $"Version name must be 1 to {NameMaxLength} characters.", ErrorKind.Validation, Field: "name");
    public static readonly DomainError Deleted = new("version.deleted", "The version is soft-deleted: restore it first.", ErrorKind.Conflict, "general_bad_request");
    public static readonly DomainError NotDeleted = new("version.not_deleted", "Only a soft-deleted version can be purged or restored.", ErrorKind.Conflict, "general_bad_request");
    public static readonly DomainError IsDefault = new("version.is_default", "The function's default version cannot be deleted: set another default first.", ErrorKind.Conflict, "general_bad_request");
    public static readonly DomainError PathInvalid = new("version.file_path_invalid", "File path is invalid.", ErrorKind.Validation, Field: "files");
    public static readonly DomainError PathConflict = new("version.file_path_conflict", "Two file paths clash: equal ignoring case, or a file where a directory is needed.", ErrorKind.Validation, Field: "files");
    public static readonly DomainError TooManyFiles = new("version.too_many_files", $"A version holds at most {VersionFile.MaxFiles} files.", ErrorKind.Validation, Field: "files");
    public static readonly DomainError FileTooLarge = new("version.file_too_large", $"A file holds at most {VersionFile.MaxFileBytes} bytes.", ErrorKind.Validation, Field: "files");
    public static readonly DomainError FilesTooLarge = new("version.files_too_large", $"A version's files hold at most {VersionFile.MaxTotalBytes} bytes in all.", ErrorKind.Validation, Field: "files");
}
