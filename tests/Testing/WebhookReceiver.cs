using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Pool.Testing;

/// <summary>One webhook request as the receiver got it.</summary>
public sealed record ReceivedWebhook(string Id, string Timestamp, string Signature, byte[] Body, int AnsweredWith)
{
    public string Text => Encoding.UTF8.GetString(Body);

    /// <summary>
    /// Whether the signature is valid for <paramref name="secret"/>, checked the way the Standard Webhooks
    /// specification describes it (written here independently of Pool's signer).
    /// </summary>
    public bool SignedWith(string secret)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var expected = Convert.ToBase64String(HMACSHA256.HashData(key, (byte[])[.. Encoding.UTF8.GetBytes($"{Id}.{Timestamp}."), .. Body]));
        return Signature.Split(' ').Any(candidate => candidate == $"v1,{expected}");
    }
}

/// <summary>
/// A real HTTP endpoint on loopback that records every webhook posted to it and answers with the
/// status the test chooses (200 by default), so tests can make it fail, go away (410) or come back.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private Func<int, int> _answer = _ => StatusCodes.Status200OK;
    private Action<ReceivedWebhook>? _observer;
    private int _requests;

    private WebhookReceiver(WebApplication app) => _app = app;

    /// <summary>The URL to register as an endpoint.</summary>
    public string Url { get; private set; } = "";

    /// <summary>Every request so far, successful or not, in arrival order.</summary>
    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    /// <summary>The requests answered 2xx.</summary>
    public IReadOnlyList<ReceivedWebhook> Accepted => [.. _received.Where(r => r.AnsweredWith is >= 200 and < 300)];

    /// <summary>Answers every request from now on with <paramref name="status"/>.</summary>
    public void AnswerWith(int status) => _answer = _ => status;

    /// <summary>Answers the n-th request (1-based, counted from the start) with what <paramref name="answer"/> says.</summary>
    public void AnswerWith(Func<int, int> answer) => _answer = answer;

    /// <param name="observer">Called with each request as it is answered (the benchmark timestamps arrivals with it).</param>
    public static async Task<WebhookReceiver> StartAsync(Action<ReceivedWebhook>? observer = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app) { _observer = observer };
        app.MapPost("/hooks", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            var status = receiver._answer(Interlocked.Increment(ref receiver._requests));
            var received = new ReceivedWebhook(
                request.Headers["webhook-id"].ToString(), request.Headers["webhook-timestamp"].ToString(),
                request.Headers["webhook-signature"].ToString(), body.ToArray(), status);
            receiver._received.Enqueue(received);
            receiver._observer?.Invoke(received);
            return Results.StatusCode(status);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = $"{address}/hooks";
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
