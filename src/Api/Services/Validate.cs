using Pool.Api.Errors;
using Pool.Contracts.Errors;
using Pool.Contracts.Inventory;
using Pool.Sms.Numbers;

namespace Pool.Api.Services;

/// <summary>Field checks shared by the services: each returns the normalised value, or null after adding a violation.</summary>
internal static class Validate
{
    public delegate string? Check(string value, FieldViolations violations);

    public static string? Country(string value, FieldViolations violations) =>
        Sms.Numbers.Country.TryNormalize(value, out var country, out var error) ? country : Fail("country", error, violations);

    public static string? Pool(string value, FieldViolations violations) =>
        PoolId.TryNormalize(value, out var pool, out var error) ? pool : Fail("pool", error, violations);

    public static string? Number(string value, FieldViolations violations) =>
        E164.TryParse(value, out var number, out var error) ? number : Fail("number", error, violations);

    /// <summary>A tenant id in a request field named "tenant_id" (the pool-name rules: 1-40 lowercase letters, digits and '-').</summary>
    public static string? TenantId(string value, FieldViolations violations) =>
        PoolId.TryNormalize(value, out var tenant, out _) && tenant == value
            ? tenant
            : Fail("tenant_id", $"{Echo.Quote(value)} is not a tenant id: 1-40 lowercase letters, digits and '-', starting with a letter or digit", violations);

    public static string? LeaseId(string value, FieldViolations violations) =>
        Contracts.Leases.LeaseIds.IsValid(value) ? value : Fail("lease_id", $"{Echo.Quote(value)} is not a lease id (\"ls_\" and 32 hex digits)", violations);

    public static string? Reason(string value, FieldViolations violations)
    {
        var text = value.Trim();
        return text.Length is >= 1 and <= 200 && !text.Any(char.IsControl)
            ? text
            : Fail("reason", "must be 1-200 printable characters saying why", violations);
    }

    /// <summary>Runs one check and throws INVALID_ARGUMENT if it fails.</summary>
    public static string Required(Check check, string value)
    {
        var violations = new FieldViolations();
        var result = check(value, violations);
        violations.ThrowIfAny();
        return result!;
    }

    private static string? Fail(string field, string error, FieldViolations violations)
    {
        violations.Add(field, error);
        return null;
    }
}
