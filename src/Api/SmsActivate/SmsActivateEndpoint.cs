using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Pool.Api.Auth;

namespace Pool.Api.SmsActivate;

/// <summary>
/// The sms-activate handler_api endpoint on Pool's HTTP port: GET or POST <see cref="Path"/>, its
/// parameters in the query string or (POST) an application/x-www-form-urlencoded or multipart body;
/// a parameter in both is taken from the query string.
/// </summary>
public static class SmsActivateEndpoint
{
    public const string Path = "/stubs/handler_api.php";

    /// <summary>Largest request body read, in bytes (a request is a handful of short parameters).</summary>
    public const int MaxBody = 16 * 1024;

    private static readonly FormOptions s_form = new()
    {
        BufferBody = false,
        ValueCountLimit = 64,
        KeyLengthLimit = 64,
        ValueLengthLimit = 4096,
        MultipartBodyLengthLimit = MaxBody,
        MultipartHeadersLengthLimit = 4096,
    };

    /// <summary>Registers the handler, its actions and its validated options ("Pool:SmsActivate").</summary>
    public static IServiceCollection AddSmsActivate(this IServiceCollection services)
    {
        services.AddOptions<SmsActivateOptions>().BindConfiguration(SmsActivateOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SmsActivateOptions>, SmsActivateOptionsValidator>();
        services.AddSingleton<SmsActivateActions>();
        services.AddSingleton<SmsActivateHandler>();
        return services;
    }

    public static IEndpointRouteBuilder MapSmsActivate(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods(Path, [HttpMethods.Get, HttpMethods.Post], HandleAsync);
        return endpoints;
    }

    private static async Task HandleAsync(HttpContext http)
    {
        var parameters = await ReadAsync(http.Request);
        SmsActivateAnswer answer;
        if (parameters is null)
        {
            answer = new SmsActivateAnswer(StatusCodes.Status400BadRequest, SmsActivateWords.BadAction, SmsActivateAnswer.TextType);
        }
        else
        {
            var peer = http.Connection.RemoteIpAddress is { } address ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString() : null;
            var correlation = http.Request.Headers["x-correlation-id"].FirstOrDefault() ?? http.Request.Headers["x-request-id"].FirstOrDefault();
            answer = await http.RequestServices.GetRequiredService<SmsActivateHandler>()
                .HandleAsync(parameters, peer, RequestActor.CorrelationId(correlation), http.RequestAborted);
        }

        http.Response.StatusCode = answer.StatusCode;
        http.Response.ContentType = answer.ContentType;
        http.Response.Headers.CacheControl = "no-store";
        if (answer.RetryAfter is { } retryAfter)
        {
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        await http.Response.WriteAsync(answer.Body, http.RequestAborted);
    }

    /// <summary>The request's parameters, or null when its body is too large or not a form.</summary>
    private static async Task<SmsActivateParameters?> ReadAsync(HttpRequest request)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (HttpMethods.IsPost(request.Method) && request.HasFormContentType)
        {
            if (request.ContentLength > MaxBody)
            {
                return null;
            }

            try
            {
                var form = await request.ReadFormAsync(s_form, request.HttpContext.RequestAborted);
                foreach (var (name, value) in form)
                {
                    values[name] = value.ToString();
                }
            }
            catch (InvalidDataException)
            {
                return null;
            }
            catch (IOException)
            {
                return null;
            }
        }

        foreach (var (name, value) in request.Query)
        {
            values[name] = value.ToString();
        }

        return new SmsActivateParameters(values);
    }
}

/// <summary>The parameters of one handler_api request, by their case-sensitive protocol names ("api_key", "action", "id"…).</summary>
public sealed class SmsActivateParameters(IReadOnlyDictionary<string, string> values)
{
    /// <summary>The parameter's value, or null when the request did not send it.</summary>
    public string? this[string name] => values.TryGetValue(name, out var value) ? value : null;
}

/// <summary>Checks <see cref="SmsActivateOptions"/> at start: every problem, each naming its setting.</summary>
internal sealed class SmsActivateOptionsValidator : IValidateOptions<SmsActivateOptions>
{
    public ValidateOptionsResult Validate(string? name, SmsActivateOptions options)
    {
        var problems = options.Validate().ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
