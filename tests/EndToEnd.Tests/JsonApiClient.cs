using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Pool.EndToEnd.Tests;

/// <summary>One HTTP/JSON answer: its status, its body as text and (when it is JSON) parsed.</summary>
public sealed record JsonReply(HttpStatusCode Status, string Text)
{
    public JsonElement Json => Text.Length == 0
        ? throw new Xunit.Sdk.XunitException($"the answer ({(int)Status}) has no body")
        : JsonSerializer.Deserialize<JsonElement>(Text);

    /// <summary>A string property of the JSON body.</summary>
    public string Get(string property) => Json.TryGetProperty(property, out var value)
        ? value.ToString()
        : throw new Xunit.Sdk.XunitException($"the answer ({(int)Status}) has no '{property}': {Text}");

    public override string ToString() => $"{(int)Status} {Text}";
}

/// <summary>Calls the pool.v1 HTTP/JSON routes as a backend without a gRPC library would.</summary>
public sealed class JsonApiClient(HttpClient http, string? apiKey, bool asXApiKey = false)
{
    public HttpClient Http => http;

    /// <summary>The API key this client sends (null: none).</summary>
    public string? Key => apiKey;

    /// <summary>A client of the same Pool with another key (or none).</summary>
    public JsonApiClient As(string? key, bool asXApiKey = false) => new(http, key, asXApiKey);

    public Task<JsonReply> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    public Task<JsonReply> PostAsync(string path, object body) => SendAsync(HttpMethod.Post, path, body);

    public Task<JsonReply> PutAsync(string path, object body) => SendAsync(HttpMethod.Put, path, body);

    public async Task<JsonReply> SendAsync(HttpMethod verb, string path, object? body = null)
    {
        using var request = Request(verb, path, body);
        using var response = await http.SendAsync(request);
        return new JsonReply(response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>A request with this client's key; <paramref name="body"/> is serialized as is (property names as given).</summary>
    public HttpRequestMessage Request(HttpMethod verb, string path, object? body = null)
    {
        // A request made by hand does not take the client's default version: copied, so an HTTP/2 client sends HTTP/2.
        var request = new HttpRequestMessage(verb, new Uri(path, UriKind.Relative)) { Version = http.DefaultRequestVersion, VersionPolicy = http.DefaultVersionPolicy };
        if (apiKey is not null)
        {
            if (asXApiKey)
            {
                request.Headers.Add("x-api-key", apiKey);
            }
            else
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
            }
        }

        if (body is not null)
        {
            request.Content = new StringContent(body as string ?? JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        }

        return request;
    }
}
