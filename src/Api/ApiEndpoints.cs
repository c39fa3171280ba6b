using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Configuration;
using Pool.Api.Auth;
using Pool.Carriers;
using Pool.Carriers.Http;
using Pool.Api.Errors;
using Pool.Api.Http;
using Pool.Api.Services;
using Pool.Api.SmsActivate;

namespace Pool.Api;

/// <summary>
/// Registers and maps the pool.v1 gRPC surface, and its HTTP/JSON form (<see cref="JsonApi"/>), on an
/// ASP.NET Core host (silo or front end).
/// </summary>
public static class ApiEndpoints
{
    /// <summary>Largest request or response message accepted, in bytes (a 10 000-number import fits).</summary>
    public const int MaxMessageSize = 1024 * 1024;

    public static IServiceCollection AddPoolApi(this IServiceCollection services, IConfiguration? configuration = null)
    {
        services.AddCarrierIngress(configuration);
        var grpc = services.AddGrpc(options =>
        {
            // Outermost first: errors are translated for everything, including authentication's lookups.
            options.Interceptors.Add<ErrorInterceptor>();
            options.Interceptors.Add<AuthInterceptor>();
            options.Interceptors.Add<IdempotencyInterceptor>();
            options.MaxReceiveMessageSize = MaxMessageSize;
            options.MaxSendMessageSize = MaxMessageSize;
        });
        grpc.AddPoolJsonApi();
        services.AddGrpcReflection();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ApiKeyAuthenticator>();
        services.AddSingleton<TenantRateLimiter>();
        services.AddSingleton<RequestAuthorizer>();
        services.AddSingleton<LeaseOperations>();
        services.AddSmsActivate();
        services.AddSingleton<RefusalAudit>();
        services.AddHostedService(provider => provider.GetRequiredService<RefusalAudit>());
        services.AddGrpcHealthChecks();
        return services;
    }

    public static IEndpointRouteBuilder MapPoolApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<AuditService>();
        endpoints.MapGrpcService<CarrierIntakeService>();
        endpoints.MapGrpcService<LeasesService>();
        endpoints.MapGrpcService<NumbersService>();
        endpoints.MapGrpcService<OperationsService>();
        endpoints.MapGrpcService<PoolsService>();
        endpoints.MapGrpcService<PrivacyService>();
        endpoints.MapGrpcService<RoutesService>();
        endpoints.MapGrpcService<TenantsService>();
        endpoints.MapGrpcService<WebhooksService>();
        endpoints.MapGrpcService<SimulatorService>();
        endpoints.MapGrpcService<VerificationService>();
        endpoints.MapGrpcHealthChecksService();
        endpoints.MapGrpcReflectionService();
        endpoints.MapCarrierIngress();
        endpoints.MapSmsActivate();
        endpoints.MapPoolJsonApi();
        return endpoints;
    }
}
