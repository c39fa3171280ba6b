using System.Collections.Frozen;
using Pool.Contracts.Tenants;

namespace Pool.Api.Auth;

/// <summary>
/// Which roles may call which pool.v1 method: one rule per method, by its full gRPC name. A method
/// without a rule is refused to everyone (a test enumerates the generated service descriptors so a
/// new RPC without a rule fails it). Tenant calls act on the caller's own tenant only (the services
/// scope every lookup by <see cref="Caller.TenantId"/>).
/// </summary>
public static class AuthorizationPolicy
{
    /// <summary>A named set of roles, so a refusal can say which rule refused it.</summary>
    public sealed record Rule(string Name, IReadOnlySet<KeyRole> Roles)
    {
        public bool Allows(KeyRole role) => Roles.Contains(role);

        /// <summary>"admin, operator, tenant", in the order of <see cref="KeyRoles.All"/>.</summary>
        public string RoleNames => string.Join(", ", KeyRoles.All.Where(Roles.Contains).Select(KeyRoles.Name));

        public override string ToString() => $"{Name} ({RoleNames})";
    }

    /// <summary>Changes to pools, numbers, routes, the simulator and carrier intake.</summary>
    public static readonly Rule OperatorWrite = new("operator change", Roles(KeyRole.Admin, KeyRole.Operator));

    /// <summary>Reads of pools, numbers, routes, the simulator, carrier intake and status.</summary>
    public static readonly Rule OperatorRead = new("operator read", Roles(KeyRole.Admin, KeyRole.Operator, KeyRole.Auditor));

    /// <summary>Changes to tenants and keys.</summary>
    public static readonly Rule AdminWrite = new("tenant and key administration", Roles(KeyRole.Admin));

    /// <summary>Reads of tenants and keys.</summary>
    public static readonly Rule AdminRead = new("tenant and key read", Roles(KeyRole.Admin, KeyRole.Auditor));

    /// <summary>A tenant's leases, verifications and webhooks changed (operators' keys act for tenant "operators").</summary>
    public static readonly Rule TenantWrite = new("tenant change", Roles(KeyRole.Admin, KeyRole.Operator, KeyRole.Tenant));

    /// <summary>A tenant's leases, messages, verifications and webhooks read or watched.</summary>
    public static readonly Rule TenantRead = new("tenant read", Roles(KeyRole.Admin, KeyRole.Operator, KeyRole.Auditor, KeyRole.Tenant, KeyRole.TenantReadonly));

    /// <summary>The audit log.</summary>
    public static readonly Rule AuditRead = new("audit read", Roles(KeyRole.Admin, KeyRole.Auditor));

    /// <summary>Erasing an end user's data.</summary>
    public static readonly Rule Erasure = new("erasure", Roles(KeyRole.Admin));

    /// <summary>Every pool.v1 method and its rule.</summary>
    public static FrozenDictionary<string, Rule> Rules { get; } = new Dictionary<string, Rule>(StringComparer.Ordinal)
    {
        ["/pool.v1.CarrierIntake/ListFlaggedMessages"] = OperatorRead,
        ["/pool.v1.CarrierIntake/ListStatusReports"] = OperatorRead,

        ["/pool.v1.Leases/CreateLease"] = TenantWrite,
        ["/pool.v1.Leases/GetLease"] = TenantRead,
        ["/pool.v1.Leases/ReleaseLease"] = TenantWrite,
        ["/pool.v1.Leases/ExtendLease"] = TenantWrite,
        ["/pool.v1.Leases/ListLeases"] = TenantRead,
        ["/pool.v1.Leases/ListMessages"] = TenantRead,
        ["/pool.v1.Leases/RequestAnotherSms"] = TenantWrite,
        ["/pool.v1.Leases/WatchMessages"] = TenantRead,
        ["/pool.v1.Leases/WatchAllMessages"] = TenantRead,

        ["/pool.v1.Numbers/AddNumbers"] = OperatorWrite,
        ["/pool.v1.Numbers/GetNumber"] = OperatorRead,
        ["/pool.v1.Numbers/WatchlistNumber"] = OperatorWrite,
        ["/pool.v1.Numbers/ReinstateNumber"] = OperatorWrite,
        ["/pool.v1.Numbers/RetireNumber"] = OperatorWrite,
        ["/pool.v1.Numbers/MoveNumber"] = OperatorWrite,

        ["/pool.v1.Operations/GetStatus"] = OperatorRead,

        ["/pool.v1.Pools/CreatePool"] = OperatorWrite,
        ["/pool.v1.Pools/GetPool"] = OperatorRead,
        ["/pool.v1.Pools/ListPools"] = OperatorRead,
        ["/pool.v1.Pools/UpdatePoolPolicy"] = OperatorWrite,
        ["/pool.v1.Pools/GetPoolStats"] = OperatorRead,

        ["/pool.v1.Routes/UpsertRoute"] = OperatorWrite,
        ["/pool.v1.Routes/GetRoute"] = OperatorRead,
        ["/pool.v1.Routes/ListRoutes"] = OperatorRead,
        ["/pool.v1.Routes/SetRouteOverride"] = OperatorWrite,
        ["/pool.v1.Routes/SetRouteTable"] = OperatorWrite,
        ["/pool.v1.Routes/GetRouteTable"] = OperatorRead,
        ["/pool.v1.Routes/ListRouteTables"] = OperatorRead,
        ["/pool.v1.Routes/ExplainRoute"] = OperatorRead, // Computes a decision from the tables and changes nothing.

        ["/pool.v1.Simulator/ListSimulatedRoutes"] = OperatorRead,
        ["/pool.v1.Simulator/SetSimulatorFaults"] = OperatorWrite,
        ["/pool.v1.Simulator/SendSimulatedMessage"] = OperatorWrite,
        ["/pool.v1.Simulator/ListSimulatedHandset"] = OperatorRead,

        ["/pool.v1.Tenants/CreateTenant"] = AdminWrite,
        ["/pool.v1.Tenants/ListTenants"] = AdminRead,
        ["/pool.v1.Tenants/GetTenant"] = AdminRead,
        ["/pool.v1.Tenants/UpdateTenantLimits"] = AdminWrite,
        ["/pool.v1.Tenants/CreateApiKey"] = AdminWrite,
        ["/pool.v1.Tenants/ListApiKeys"] = AdminRead,
        ["/pool.v1.Tenants/RevokeApiKey"] = AdminWrite,
        ["/pool.v1.Tenants/RotateApiKey"] = AdminWrite,

        ["/pool.v1.Verification/StartVerification"] = TenantWrite,
        ["/pool.v1.Verification/CheckVerification"] = TenantWrite,
        ["/pool.v1.Verification/GetVerification"] = TenantRead,
        ["/pool.v1.Verification/CancelVerification"] = TenantWrite,
        ["/pool.v1.Verification/ResendVerification"] = TenantWrite,

        ["/pool.v1.Webhooks/CreateWebhookEndpoint"] = TenantWrite,
        ["/pool.v1.Webhooks/ListWebhookEndpoints"] = TenantRead,
        ["/pool.v1.Webhooks/DeleteWebhookEndpoint"] = TenantWrite,
        ["/pool.v1.Webhooks/EnableWebhookEndpoint"] = TenantWrite,
        ["/pool.v1.Webhooks/TestWebhookEndpoint"] = TenantWrite,
        ["/pool.v1.Webhooks/ListWebhookDeliveries"] = TenantRead,
        ["/pool.v1.Webhooks/ReplayWebhookDelivery"] = TenantWrite,

        // Services built alongside this policy; their rules are here so they are never open by default.
        ["/pool.v1.Audit/ListAuditEvents"] = AuditRead,
        ["/pool.v1.Privacy/EraseEndUser"] = Erasure,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// Null when <paramref name="role"/> may call <paramref name="method"/> ("/pool.v1.Leases/CreateLease"),
    /// else the refusal message: it names the role, the method and the rule.
    /// </summary>
    public static string? Refusal(KeyRole role, string method)
    {
        ArgumentNullException.ThrowIfNull(method);
        var name = method.TrimStart('/');
        if (!Rules.TryGetValue(method, out var rule))
        {
            return $"role {KeyRoles.Name(role)} may not call {name}: no authorization rule covers that method, so nobody may call it";
        }

        return rule.Allows(role)
            ? null
            : $"role {KeyRoles.Name(role)} may not call {name}: the rule '{rule.Name}' allows only {rule.RoleNames}";
    }

    private static FrozenSet<KeyRole> Roles(params KeyRole[] roles) => roles.ToFrozenSet();
}
