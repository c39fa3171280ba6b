using Google.Protobuf.Reflection;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi.Models;

namespace Pool.Api.Http;

/// <summary>
/// The pool.v1 API as HTTP/JSON: every RPC is also served at the REST path its proto's
/// <c>google.api.http</c> rule gives (gRPC JSON transcoding), through the same interceptors as a gRPC
/// call (errors, API keys, idempotency), and the OpenAPI 3 document of those paths is served at
/// <see cref="OpenApiPath"/>. Requests and responses use the proto3 JSON mapping (lowerCamelCase
/// field names; proto names are accepted in requests); an error is a JSON <c>google.rpc.Status</c>
/// with its details; a server-streaming RPC answers one JSON object per message, newline-separated.
/// </summary>
public static class JsonApi
{
    /// <summary>Where the OpenAPI document (JSON) is served, without an API key.</summary>
    public const string OpenApiPath = "/openapi/v1.json";

    private const string DocumentName = "v1";

    internal static void AddPoolJsonApi(this IGrpcServerBuilder grpc)
    {
        grpc.AddJsonTranscoding(options =>
        {
            // An error's details (BadRequest, RetryInfo, ResourceInfo…) are google.protobuf.Any values;
            // writing them as JSON needs their descriptors.
            options.TypeRegistry = TypeRegistry.FromFiles(Google.Rpc.ErrorDetailsReflection.Descriptor);
        });
        var services = grpc.Services;
        services.AddGrpcSwagger();
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc(DocumentName, new OpenApiInfo
            {
                Title = "Pool API",
                Version = DocumentName,
                Description = "The pool.v1 gRPC API as HTTP/JSON. Every call needs an API key: "
                    + "'Authorization: Bearer <key>' or 'x-api-key: <key>'. Errors are google.rpc.Status objects.",
            });

            // The proto comments, carried into the generated C# code's XML documentation.
            var comments = Path.Combine(AppContext.BaseDirectory, "Pool.Api.xml");
            if (File.Exists(comments))
            {
                options.IncludeXmlComments(comments);
                options.IncludeGrpcXmlComments(comments, includeControllerXmlComments: true);
            }

            options.AddSecurityDefinition("bearer", new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "An API key: 'Authorization: Bearer pool_…'.",
            });
            options.AddSecurityDefinition("apiKey", new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = "x-api-key",
                Description = "An API key in the x-api-key header, instead of Authorization.",
            });
            options.AddSecurityRequirement(new OpenApiSecurityRequirement
            {
                [new OpenApiSecurityScheme { Reference = new OpenApiReference { Type = ReferenceType.SecurityScheme, Id = "bearer" } }] = [],
                [new OpenApiSecurityScheme { Reference = new OpenApiReference { Type = ReferenceType.SecurityScheme, Id = "apiKey" } }] = [],
            });
        });
    }

    internal static void MapPoolJsonApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapSwagger("/openapi/{documentName}.json");
    }
}
