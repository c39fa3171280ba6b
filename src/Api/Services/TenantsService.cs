using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Pool.Api.Auth;
using Pool.Api.Errors;
using Pool.Contracts.Errors;
using Pool.Contracts.Inventory;
using Pool.Contracts.Tenants;
using Pool.V1;

namespace Pool.Api.Services;

/// <summary>pool.v1.Tenants: tenants and API keys, for operators.</summary>
internal sealed class TenantsService(IGrainFactory grains, TimeProvider time) : V1.Tenants.TenantsBase
{
    /// <summary>Longest rotation overlap.</summary>
    private static readonly TimeSpan s_maxOverlap = TimeSpan.FromDays(30);

    /// <summary>Overlap of a rotation that names none.</summary>
    private static readonly TimeSpan s_defaultOverlap = TimeSpan.FromHours(24);

    /// <summary>Furthest expiry a key may be given.</summary>
    private static readonly TimeSpan s_maxLifetime = TimeSpan.FromDays(3653);

    private ITenantDirectoryGrain Directory => grains.GetGrain<ITenantDirectoryGrain>(0);

    public override async Task<Tenant> CreateTenant(CreateTenantRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        var tenant = TenantId(request.Tenant, violations);
        var name = Text(request.Name, "name", required: true, violations);
        violations.ThrowIfAny();
        return ToProto(await Directory.CreateTenantAsync(tenant!, name!).WaitAsync(context.CancellationToken));
    }

    public override async Task<ListTenantsResponse> ListTenants(ListTenantsRequest request, ServerCallContext context) =>
        new() { Tenants = { (await Directory.ListTenantsAsync().WaitAsync(context.CancellationToken)).Select(ToProto) } };

    public override async Task<Tenant> GetTenant(GetTenantRequest request, ServerCallContext context)
    {
        var tenant = Validate.Required((value, v) => TenantId(value, v), request.Tenant);
        return ToProto(await Directory.GetTenantAsync(tenant).WaitAsync(context.CancellationToken));
    }

    public override async Task<Tenant> UpdateTenantLimits(UpdateTenantLimitsRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        var tenant = TenantId(request.Tenant, violations);
        var d = Contracts.Tenants.TenantLimits.Default;
        var l = request.Limits ?? new V1.TenantLimits();
        var limits = new Contracts.Tenants.TenantLimits
        {
            RequestsPerSecond = l.HasRequestsPerSecond ? l.RequestsPerSecond : d.RequestsPerSecond,
            MaxActiveLeases = l.HasMaxActiveLeases ? l.MaxActiveLeases : d.MaxActiveLeases,
            ScanWindow = l.HasScanWindow ? l.ScanWindow : d.ScanWindow,
            ScanMinLeases = l.HasScanMinLeases ? l.ScanMinLeases : d.ScanMinLeases,
            ScanSilentPercent = l.HasScanSilentPercent ? l.ScanSilentPercent : d.ScanSilentPercent,
            ScanCooloff = l.ScanCooloff?.ToTimeSpan() ?? d.ScanCooloff,
        };
        foreach (var (field, problem) in limits.Validate())
        {
            violations.Add($"limits.{field}", problem);
        }

        violations.ThrowIfAny();
        return ToProto(await Directory.SetLimitsAsync(tenant!, limits).WaitAsync(context.CancellationToken));
    }

    public override async Task<CreateApiKeyResponse> CreateApiKey(CreateApiKeyRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        var tenant = TenantId(request.Tenant, violations);
        var label = Text(request.Label, "label", required: false, violations);
        var role = Role(request, violations);
        var expires = Expiry(request.ExpireTime, "expire_time", violations);
        var cidrs = Allowlist(request.AllowedCidrs, violations);
        violations.ThrowIfAny();
        var issued = await Directory.IssueKeyAsync(tenant!, new ApiKeyTerms(role!.Value, label, expires, cidrs)).WaitAsync(context.CancellationToken);
        return new CreateApiKeyResponse { Key = ToProto(issued.Record), Secret = issued.Key };
    }

    public override async Task<RotateApiKeyResponse> RotateApiKey(RotateApiKeyRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        if (!ApiKeys.IsKeyId(request.KeyId))
        {
            violations.Add("key_id", $"{Echo.Quote(request.KeyId)} is not a key id (\"pool_\" and 12 hex digits)");
        }

        var overlap = request.Overlap is null ? s_defaultOverlap : request.Overlap.ToTimeSpan();
        if (request.Overlap is not null && (request.Overlap.Nanos % 1_000_000 != 0 || overlap < TimeSpan.Zero || overlap > s_maxOverlap))
        {
            violations.Add("overlap", "must be from 0 to 30 days, in whole milliseconds");
        }

        var expires = Expiry(request.ExpireTime, "expire_time", violations);
        violations.ThrowIfAny();
        var rotated = await Directory.RotateKeyAsync(request.KeyId, overlap, expires).WaitAsync(context.CancellationToken);
        return new RotateApiKeyResponse { Key = ToProto(rotated.Issued.Record), Secret = rotated.Issued.Key, Previous = ToProto(rotated.Previous) };
    }

    /// <summary>The role of a new key: role when set, else the older scope field; both set must agree.</summary>
    private static KeyRole? Role(CreateApiKeyRequest request, FieldViolations violations)
    {
        KeyRole? fromScope = request.Scope switch
        {
            ApiKeyScope.Unspecified => null,
            ApiKeyScope.Tenant => KeyRole.Tenant,
            ApiKeyScope.Admin => KeyRole.Admin,
            _ => null,
        };
        if (request.Scope is not (ApiKeyScope.Unspecified or ApiKeyScope.Tenant or ApiKeyScope.Admin))
        {
            violations.Add("scope", $"{request.Scope} is not a scope: use TENANT or ADMIN, or set role instead");
            return null;
        }

        KeyRole? fromRole = request.Role switch
        {
            ApiKeyRole.Unspecified => null,
            ApiKeyRole.Admin => KeyRole.Admin,
            ApiKeyRole.Operator => KeyRole.Operator,
            ApiKeyRole.Auditor => KeyRole.Auditor,
            ApiKeyRole.Tenant => KeyRole.Tenant,
            ApiKeyRole.TenantReadonly => KeyRole.TenantReadonly,
            _ => null,
        };
        if (fromRole is null && request.Role != ApiKeyRole.Unspecified)
        {
            violations.Add("role", $"{request.Role} is not a role: use ADMIN, OPERATOR, AUDITOR, TENANT or TENANT_READONLY");
            return null;
        }

        if (fromRole is not null && fromScope is not null && fromRole != fromScope)
        {
            violations.Add("scope", $"scope {request.Scope} contradicts role {request.Role}: leave scope unset and give the role only");
            return null;
        }

        return fromRole ?? fromScope ?? KeyRole.Tenant;
    }

    private DateTimeOffset? Expiry(Timestamp? value, string field, FieldViolations violations)
    {
        if (value is null)
        {
            return null;
        }

        var now = time.GetUtcNow();
        DateTimeOffset expires;
        try
        {
            expires = value.ToDateTimeOffset();
        }
        catch (InvalidOperationException)
        {
            violations.Add(field, "is not a valid timestamp");
            return null;
        }

        if (expires <= now || expires > now + s_maxLifetime)
        {
            violations.Add(field, "must be in the future and at most 10 years ahead");
            return null;
        }

        return expires;
    }

    /// <summary>The networks of an allowlist, as CIDRs (a bare address becomes a one-host network); at most <see cref="KeyAllowlist.MaxNetworks"/>.</summary>
    private static string[] Allowlist(Google.Protobuf.Collections.RepeatedField<string> values, FieldViolations violations)
    {
        if (values.Count > KeyAllowlist.MaxNetworks)
        {
            violations.Add("allowed_cidrs", $"lists {values.Count} networks; at most {KeyAllowlist.MaxNetworks} are allowed");
            return [];
        }

        var cidrs = new List<string>();
        for (var i = 0; i < values.Count; i++)
        {
            if (KeyAllowlist.TryParse(values[i], out var network))
            {
                cidrs.Add(network.ToString());
            }
            else
            {
                violations.Add($"allowed_cidrs[{i}]", $"{Echo.Quote(values[i])} is not a network in CIDR notation (e.g. 10.0.0.0/8 or 2001:db8::/32, no bits set after the prefix) nor an IP address");
            }
        }

        return [.. cidrs.Distinct(StringComparer.Ordinal)];
    }

    public override async Task<ListApiKeysResponse> ListApiKeys(ListApiKeysRequest request, ServerCallContext context)
    {
        var tenant = Validate.Required((value, v) => TenantId(value, v), request.Tenant);
        return new ListApiKeysResponse { Keys = { (await Directory.ListKeysAsync(tenant).WaitAsync(context.CancellationToken)).Select(ToProto) } };
    }

    public override async Task<ApiKey> RevokeApiKey(RevokeApiKeyRequest request, ServerCallContext context)
    {
        if (!ApiKeys.IsKeyId(request.KeyId))
        {
            var violations = new FieldViolations();
            violations.Add("key_id", $"{Echo.Quote(request.KeyId)} is not a key id (\"pool_\" and 12 hex digits)");
            violations.ThrowIfAny();
        }

        return ToProto(await Directory.RevokeKeyAsync(request.KeyId).WaitAsync(context.CancellationToken));
    }

    /// <summary>Tenant ids follow the pool-name rules: 1-40 lowercase letters, digits and '-'.</summary>
    private static string? TenantId(string value, FieldViolations violations)
    {
        if (PoolId.TryNormalize(value, out var tenant, out _) && tenant == value)
        {
            return tenant;
        }

        violations.Add("tenant", $"{Echo.Quote(value)} is not a tenant id: 1-40 lowercase letters, digits and '-', starting with a letter or digit");
        return null;
    }

    private static string? Text(string value, string field, bool required, FieldViolations violations)
    {
        var text = value.Trim();
        if ((required && text.Length == 0) || text.Length > 100 || text.Any(char.IsControl))
        {
            violations.Add(field, required ? "must be 1-100 printable characters" : "must be at most 100 printable characters");
            return null;
        }

        return text.Length == 0 ? null : text;
    }

    private static Tenant ToProto(TenantInfo tenant) => new()
    {
        Tenant_ = tenant.TenantId,
        Name = tenant.Name,
        CreateTime = Timestamp.FromDateTimeOffset(tenant.CreatedAt),
        Limits = new V1.TenantLimits
        {
            RequestsPerSecond = tenant.Limits.RequestsPerSecond,
            MaxActiveLeases = tenant.Limits.MaxActiveLeases,
            ScanWindow = tenant.Limits.ScanWindow,
            ScanMinLeases = tenant.Limits.ScanMinLeases,
            ScanSilentPercent = tenant.Limits.ScanSilentPercent,
            ScanCooloff = Duration.FromTimeSpan(tenant.Limits.ScanCooloff),
        },
    };

    private static ApiKey ToProto(ApiKeyRecord key)
    {
        var proto = new ApiKey
        {
            KeyId = key.KeyId,
            Tenant = key.TenantId,
            Scope = key.Role switch
            {
                KeyRole.Admin => ApiKeyScope.Admin,
                KeyRole.Tenant or KeyRole.TenantReadonly => ApiKeyScope.Tenant,
                _ => ApiKeyScope.Unspecified,
            },
            Role = key.Role switch
            {
                KeyRole.Admin => ApiKeyRole.Admin,
                KeyRole.Operator => ApiKeyRole.Operator,
                KeyRole.Auditor => ApiKeyRole.Auditor,
                KeyRole.TenantReadonly => ApiKeyRole.TenantReadonly,
                _ => ApiKeyRole.Tenant,
            },
            Label = key.Label ?? "",
            CreateTime = Timestamp.FromDateTimeOffset(key.CreatedAt),
            AllowedCidrs = { key.AllowedCidrs },
            RotatedFrom = key.RotatedFrom ?? "",
        };
        if (key.ExpiresAt is { } expires)
        {
            proto.ExpireTime = Timestamp.FromDateTimeOffset(expires);
        }

        if (key.RevokedAt is { } revoked)
        {
            proto.RevokeTime = Timestamp.FromDateTimeOffset(revoked);
        }

        return proto;
    }
}
