using System.Collections.Frozen;
using Microsoft.Extensions.Logging;
using Pool.Api.Auth;
using Pool.Api.Errors;
using Pool.Contracts.Errors;
using W = Pool.Api.SmsActivate.SmsActivateWords;

namespace Pool.Api.SmsActivate;

/// <summary>
/// Dispatches one handler_api request: authorizes its api_key with the rule of the pool.v1 method the
/// action stands for (<see cref="RequestAuthorizer"/>: the same keys, roles, allowlists, expiry, rate
/// limit and refusal audit as gRPC), runs the action, and turns faults into the protocol's words:
/// a refused key is BAD_KEY, a rate-limited tenant HTTP 429 BANNED:&lt;time&gt;, an unknown action
/// BAD_ACTION, a transient fault HTTP 503 ERROR_SQL with Retry-After, a defect HTTP 500 ERROR_SQL.
/// </summary>
public sealed partial class SmsActivateHandler(RequestAuthorizer authorizer, SmsActivateActions actions, TimeProvider time, ILogger<SmsActivateHandler> logger)
{
    /// <summary>The pool.v1 method whose authorization rule each action follows.</summary>
    public static FrozenDictionary<string, string> Rules { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["getBalance"] = ListLeases,
        ["getBalanceAndCashBack"] = ListLeases,
        ["getNumber"] = "/pool.v1.Leases/CreateLease",
        ["getNumberV2"] = "/pool.v1.Leases/CreateLease",
        ["getStatus"] = "/pool.v1.Leases/GetLease",
        ["setStatus"] = "/pool.v1.Leases/ReleaseLease",
        ["getActiveActivations"] = ListLeases,
        ["getCountries"] = ListLeases,
        ["getServicesList"] = ListLeases,
        ["getNumbersStatus"] = ListLeases,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private const string ListLeases = "/pool.v1.Leases/ListLeases";

    public async Task<SmsActivateAnswer> HandleAsync(SmsActivateParameters request, string? peer, string? correlationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var action = request["action"];
        var known = action is not null && Rules.ContainsKey(action);
        var method = known ? Rules[action!] : ListLeases;
        try
        {
            var decision = await authorizer.AuthorizeAsync(request["api_key"]?.Trim(), peer, method, known ? $"sms-activate/{action}" : "sms-activate", correlationId, cancellationToken);
            if (decision.Refusal is not null)
            {
                return SmsActivateAnswer.Word(W.BadKey);
            }

            if (decision.RetryAfter is { } retryAfter)
            {
                var until = time.GetUtcNow() + retryAfter;
                return new SmsActivateAnswer(429, $"{W.Banned}:{until.UtcDateTime.ToString(SmsActivateActions.TimeFormat, System.Globalization.CultureInfo.InvariantCulture)}", SmsActivateAnswer.TextType, retryAfter);
            }

            if (!known)
            {
                return SmsActivateAnswer.Word(W.BadAction);
            }

            decision.Actor!.Attach();
            var tenant = decision.Caller!.TenantId;
            var answer = action switch
            {
                "getBalance" or "getBalanceAndCashBack" => SmsActivateActions.GetBalance(),
                "getNumber" => await actions.GetNumberAsync(tenant, request, v2: false, cancellationToken),
                "getNumberV2" => await actions.GetNumberAsync(tenant, request, v2: true, cancellationToken),
                "getStatus" => await actions.GetStatusAsync(tenant, request, cancellationToken),
                "setStatus" => await actions.SetStatusAsync(tenant, request, cancellationToken),
                "getActiveActivations" => await actions.GetActiveActivationsAsync(tenant, cancellationToken),
                "getCountries" => await actions.GetCountriesAsync(cancellationToken),
                "getServicesList" => actions.GetServicesList(),
                _ => await actions.GetNumbersStatusAsync(request, cancellationToken),
            };
            if (logger.IsEnabled(LogLevel.Debug))
            {
                var word = FirstWord(answer);
                LogAnswered(logger, action!, tenant, word);
            }

            return answer;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is PoolException { Code: PoolErrorCode.Unavailable } || ErrorInterceptor.IsTransient(ex))
        {
            var id = Guid.NewGuid().ToString("n");
            LogTransient(logger, Echo.Bound(action ?? "-", 32), id, ex.GetType().Name, ex);
            return SmsActivateAnswer.Unavailable(ApiErrors.TransientRetryDelay);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            var id = Guid.NewGuid().ToString("n");
            LogFailed(logger, Echo.Bound(action ?? "-", 32), id, ex.GetType().Name, ex);
            return SmsActivateAnswer.Failed();
        }
    }

    /// <summary>The answer's word without its value (no number or code reaches a log line).</summary>
    private static string FirstWord(SmsActivateAnswer answer) =>
        answer.ContentType == SmsActivateAnswer.JsonType ? "json" : answer.Body.Split(':', 2)[0];

    [LoggerMessage(EventId = 5201, Level = LogLevel.Debug, Message = "sms-activate {Action} of tenant {TenantId} answered {Word}")]
    private static partial void LogAnswered(ILogger logger, string action, string tenantId, string word);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Warning, Message = "sms-activate {Action} failed transiently with {ExceptionType}; answered ERROR_SQL (correlation id {CorrelationId})")]
    private static partial void LogTransient(ILogger logger, string action, string correlationId, string exceptionType, Exception exception);

    [LoggerMessage(EventId = 5203, Level = LogLevel.Error, Message = "sms-activate {Action} failed with {ExceptionType}; answered ERROR_SQL (correlation id {CorrelationId})")]
    private static partial void LogFailed(ILogger logger, string action, string correlationId, string exceptionType, Exception exception);
}
