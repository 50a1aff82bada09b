using System.Text.Json.Nodes;
using FunctionsPlatform.Application.Account;

namespace FunctionsPlatform.Api.Contracts.Appwrite;

/// <summary>Body of POST /v1/account/sessions/email: the password is one of the user's API key tokens.</summary>
public sealed record EmailSessionRequest
{
    public string? Email { get; init; }
    public string? Password { get; init; }
}

/// <summary>Appwrite's Session model; what a browser's user agent would fill (device, country, client) stays empty here.</summary>
public static class SessionModel
{
    public static JsonObject From(SessionDto s, bool current) => new()
    {
        ["$id"] = s.Id,
        ["$createdAt"] = AppwriteDate.Format(s.CreatedAt),
        ["$updatedAt"] = AppwriteDate.Format(s.CreatedAt),
        ["userId"] = s.UserId,
        ["expire"] = AppwriteDate.Format(s.ExpiresAt),
        ["provider"] = "email",
        ["providerUid"] = s.Email,
        ["providerAccessToken"] = "",
        ["providerAccessTokenExpiry"] = "",
        ["providerRefreshToken"] = "",
        ["ip"] = "",
        ["osCode"] = "",
        ["osName"] = "",
        ["osVersion"] = "",
        ["clientType"] = "",
        ["clientCode"] = "",
        ["clientName"] = "",
        ["clientVersion"] = "",
        ["clientEngine"] = "",
        ["clientEngineVersion"] = "",
        ["deviceName"] = "",
        ["deviceBrand"] = "",
        ["deviceModel"] = "",
        ["countryCode"] = "",
        ["countryName"] = "",
        ["current"] = current,
        ["factors"] = new JsonArray("password"),
        ["secret"] = "",
        ["mfaUpdatedAt"] = "",
    };
}

/// <summary>Appwrite's User model as GET /v1/account answers it: verified email, no phone, no MFA, no preferences.</summary>
public static class AccountModel
{
    public static JsonObject From(AccountDto a) => new()
    {
        ["$id"] = a.Id,
        ["$createdAt"] = AppwriteDate.Format(a.CreatedAt),
        ["$updatedAt"] = AppwriteDate.Format(a.UpdatedAt),
        ["name"] = a.Name,
        ["registration"] = AppwriteDate.Format(a.CreatedAt),
        ["status"] = true,
        ["labels"] = a.IsAdmin ? new JsonArray("admin") : new JsonArray(),
        ["passwordUpdate"] = "",
        ["email"] = a.Email,
        ["phone"] = "",
        ["emailVerification"] = true,
        ["phoneVerification"] = false,
        ["mfa"] = false,
        ["prefs"] = new JsonObject(),
        ["targets"] = new JsonArray(),
        ["accessedAt"] = AppwriteDate.Format(a.UpdatedAt),
    };
}
