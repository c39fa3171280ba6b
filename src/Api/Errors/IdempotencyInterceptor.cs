using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Pool.Api.Auth;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Pool.Contracts.Idempotency;

namespace Pool.Api.Errors;

/// <summary>
/// Makes every mutating call that carries an <c>idempotency_key</c> safe to retry: the first answer is
/// stored and a retry gets it back; the same key with other parameters is ALREADY_EXISTS. CreateLease
/// is left to the lease grains, whose ids are derived from the key. While a call runs its claim is
/// renewed (<see cref="IdempotencyLease"/>), so a retry whose first try died with its process is taken
/// over within seconds, and at once when the cluster declared that process's silo dead.
/// </summary>
public sealed class IdempotencyInterceptor(IGrainFactory grains, IServiceProvider services) : Interceptor
{
    /// <summary>This API process, as the owner of the claims it makes.</summary>
    private static readonly string s_processId = Guid.NewGuid().ToString("n");

    public const string FieldName = "idempotency_key";
    public const int MaxKeyLength = 128;
    private const string SecretFieldName = "secret";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        if (request is not IMessage message || context.Method == "/pool.v1.Leases/CreateLease"
            || message.Descriptor.FindFieldByName(FieldName) is not { } field || field.Accessor.GetValue(message) is not string { Length: > 0 } key)
        {
            return await continuation(request, context);
        }

        if (key.Length > MaxKeyLength || key.Any(c => c < 0x20 || c > 0x7e))
        {
            var violations = new FieldViolations();
            violations.Add(FieldName, $"must be 1-{MaxKeyLength} printable ASCII characters");
            violations.ThrowIfAny();
        }

        var tenant = Caller.Of(context).TenantId;
        var grain = grains.GetGrain<IIdempotencyGrain>(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{tenant}\n{context.Method}\n{key}"))));
        var requestHash = HashWithoutKey(message, field);
        var claim = await grain.ClaimAsync(requestHash, Owner()).WaitAsync(context.CancellationToken);
        switch (claim.Verdict)
        {
            case IdempotencyVerdict.Replay:
                var replayed = Activator.CreateInstance<TResponse>();
                ((IMessage)replayed).MergeFrom(claim.Response!);
                return replayed;
            case IdempotencyVerdict.Conflict:
                throw ApiErrors.Build(Google.Rpc.Code.AlreadyExists, $"the idempotency key '{key}' was already used for a different {context.Method.TrimStart('/')} request");
            case IdempotencyVerdict.InProgress:
                throw ApiErrors.Unavailable(
                    $"a call with the idempotency key '{key}' is still in progress; retry in {claim.RetryAfter.TotalSeconds:0.0} s",
                    claim.RetryAfter);
        }

        TResponse response;
        using (var running = new CancellationTokenSource())
        {
            var renewal = RenewWhileRunningAsync(grain, requestHash, running.Token);
            try
            {
                response = await continuation(request, context);
            }
            catch
            {
                await StopAsync(running, renewal);
                await grain.AbandonAsync(requestHash);
                throw;
            }

            await StopAsync(running, renewal);
        }

        await grain.CompleteAsync(requestHash, Stored((IMessage)response));
        return response;
    }

    private IdempotencyOwner? _owner;

    // This process's identity does not change: resolved once.
    private IdempotencyOwner Owner() => _owner ??= new(s_processId, services.GetService<ILocalSiloDetails>()?.SiloAddress);

    /// <summary>Keeps the claim while the call runs; a failed renewal is tried again at the next tick (the claim holds meanwhile).</summary>
    private static async Task RenewWhileRunningAsync(IIdempotencyGrain grain, byte[] requestHash, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(IdempotencyLease.RenewEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    if (!await grain.RenewAsync(requestHash, s_processId).WaitAsync(cancellationToken))
                    {
                        return;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The claim holds for the rest of its lease; the next tick tries again.
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private static async Task StopAsync(CancellationTokenSource running, Task renewal)
    {
        await running.CancelAsync();
        await renewal;
    }

    private static byte[] HashWithoutKey(IMessage message, FieldDescriptor keyField)
    {
        var copy = message.Descriptor.Parser.ParseFrom(message.ToByteString());
        keyField.Accessor.Clear(copy);
        return SHA256.HashData(copy.ToByteArray());
    }

    /// <summary>The answer as stored: a secret (a new API key) is never stored, so a replay carries none.</summary>
    private static byte[] Stored(IMessage response)
    {
        if (response.Descriptor.FindFieldByName(SecretFieldName) is not { } secret)
        {
            return response.ToByteArray();
        }

        var copy = response.Descriptor.Parser.ParseFrom(response.ToByteString());
        secret.Accessor.Clear(copy);
        return copy.ToByteArray();
    }
}
