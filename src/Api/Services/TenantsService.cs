using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Pool.Api.Errors;
using Pool.Contracts.Errors;
using Pool.Contracts.Inventory;
using Pool.Contracts.Tenants;
using Pool.V1;

namespace Pool.Api.Services;

/// <summary>pool.v1.Tenants: tenants and API keys, for operators.</summary>
internal sealed class TenantsService(IGrainFactory grains) : V1.Tenants.TenantsBase
{
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
        var scope = request.Scope switch
        {
            ApiKeyScope.Unspecified or ApiKeyScope.Tenant => KeyScope.Tenant,
            ApiKeyScope.Admin => KeyScope.Admin,
            _ => (KeyScope?)null,
        };
        if (scope is null)
        {
            violations.Add("scope", $"{request.Scope} is not a scope: use TENANT or ADMIN");
        }

        violations.ThrowIfAny();
        var issued = await Directory.IssueKeyAsync(tenant!, scope!.Value, label).WaitAsync(context.CancellationToken);
        return new CreateApiKeyResponse { Key = ToProto(issued.Record), Secret = issued.Key };
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
            Scope = key.Scope == KeyScope.Admin ? ApiKeyScope.Admin : ApiKeyScope.Tenant,
            Label = key.Label ?? "",
            CreateTime = Timestamp.FromDateTimeOffset(key.CreatedAt),
        };
        if (key.RevokedAt is { } revoked)
        {
            proto.RevokeTime = Timestamp.FromDateTimeOffset(revoked);
        }

        return proto;
    }
}
