using System.CommandLine;
using Pool.V1;
using Spectre.Console;

namespace Pool.Cli.Commands;

/// <summary>poolctl webhooks add|list|remove|enable|test|deliveries|replay: the caller's webhook endpoints.</summary>
internal static class WebhooksCommands
{
    public static Command Create(Func<CliContext> context)
    {
        var webhooks = new Command("webhooks", "The tenant's webhook endpoints: every SMS delivered to its leases is posted to them, signed (Standard Webhooks).");
        webhooks.Subcommands.Add(Add(context));
        webhooks.Subcommands.Add(List(context));
        webhooks.Subcommands.Add(OnEndpoint(context, "remove", "Remove an endpoint and its delivery history.", (client, id, ct) => client.DeleteWebhookEndpointAsync(new DeleteWebhookEndpointRequest { EndpointId = id }, cancellationToken: ct).ResponseAsync));
        webhooks.Subcommands.Add(OnEndpoint(context, "enable", "Turn a disabled endpoint (after a 410 Gone) back on.", (client, id, ct) => client.EnableWebhookEndpointAsync(new EnableWebhookEndpointRequest { EndpointId = id }, cancellationToken: ct).ResponseAsync));
        webhooks.Subcommands.Add(Test(context));
        webhooks.Subcommands.Add(Deliveries(context));
        webhooks.Subcommands.Add(Replay(context));
        return webhooks;
    }

    private static Command Add(Func<CliContext> context)
    {
        var url = new Argument<string>("url") { Description = "Where to post: an https URL (http for localhost only)." };
        var description = new Option<string?>("--description") { Description = "What the endpoint is for (up to 200 characters)." };
        var command = new Command("add", "Add an endpoint; its signing secret is printed this once only.") { url, description };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ctx = context();
            var request = new CreateWebhookEndpointRequest { Url = parse.GetValue(url)!, Description = parse.GetValue(description) ?? "" };
            var created = await new Webhooks.WebhooksClient(ctx.Invoker).CreateWebhookEndpointAsync(request, cancellationToken: cancellationToken);
            if (ctx.Json)
            {
                await ctx.Output.WriteLineAsync(Output.Json(created));
                return ExitCodes.Ok;
            }

            Endpoint(ctx, created.Endpoint);
            ctx.Console.WriteLine($"secret: {created.Secret}");
            ctx.Console.WriteLine("Keep the secret now: it verifies the webhook-signature header and is not shown again.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(Func<CliContext> context)
    {
        var command = new Command("list", "List the endpoints (never their secrets).");
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ctx = context();
            var response = await new Webhooks.WebhooksClient(ctx.Invoker).ListWebhookEndpointsAsync(new ListWebhookEndpointsRequest(), cancellationToken: cancellationToken);
            Output.Rows(ctx, response.Endpoints, "no webhook endpoints", ["endpoint id", "url", "enabled", "description", "created"], e =>
                [e.EndpointId, e.Url, e.Enabled ? "yes" : $"no ({e.DisabledReason})", e.Description, Output.Time(e.CreateTime)]);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command OnEndpoint(
        Func<CliContext> context, string name, string description, Func<Webhooks.WebhooksClient, string, CancellationToken, Task<WebhookEndpoint>> call)
    {
        var endpointId = EndpointArgument();
        var command = new Command(name, description) { endpointId };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ctx = context();
            Endpoint(ctx, await call(new Webhooks.WebhooksClient(ctx.Invoker), parse.GetValue(endpointId)!, cancellationToken));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Test(Func<CliContext> context)
    {
        var endpointId = EndpointArgument();
        var command = new Command("test", "Post a signed webhook.test event to the endpoint now and show its answer (exit 1 when it is not 2xx).") { endpointId };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ctx = context();
            var result = await new Webhooks.WebhooksClient(ctx.Invoker).TestWebhookEndpointAsync(
                new TestWebhookEndpointRequest { EndpointId = parse.GetValue(endpointId)! }, cancellationToken: cancellationToken);
            if (ctx.Json)
            {
                await ctx.Output.WriteLineAsync(Output.Json(result));
            }
            else
            {
                var elapsed = $"{result.Elapsed.ToTimeSpan().TotalMilliseconds:0} ms";
                ctx.Console.WriteLine(result.Success ? $"ok: HTTP {result.StatusCode} in {elapsed}" : $"failed: {result.Error} ({elapsed})");
            }

            return result.Success ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }

    private static Command Deliveries(Func<CliContext> context)
    {
        var endpoint = new Option<string?>("--endpoint") { Description = "Only this endpoint's deliveries." };
        var message = new Option<string?>("--message") { Description = "Only the deliveries of this message id." };
        var status = new Option<string?>("--status") { Description = "Only deliveries in this status: pending, delivered or failed." };
        status.AcceptOnlyFromAmong("pending", "delivered", "failed");
        var limit = WholeNumbers.Optional("--limit", "At most this many (default 50, at most 500).");
        var command = new Command("deliveries", "List deliveries, newest first: status, attempts, last answer.") { endpoint, message, status, limit };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ctx = context();
            var request = new ListWebhookDeliveriesRequest
            {
                EndpointId = parse.GetValue(endpoint) ?? "",
                MessageId = parse.GetValue(message) ?? "",
                Status = parse.GetValue(status) switch
                {
                    "pending" => WebhookDeliveryStatus.Pending,
                    "delivered" => WebhookDeliveryStatus.Delivered,
                    "failed" => WebhookDeliveryStatus.Failed,
                    _ => WebhookDeliveryStatus.Unspecified,
                },
                PageSize = parse.GetValue(limit) ?? 0,
            };
            var response = await new Webhooks.WebhooksClient(ctx.Invoker).ListWebhookDeliveriesAsync(request, cancellationToken: cancellationToken);
            Output.Rows(ctx, response.Deliveries, "no deliveries", ["delivery id", "endpoint", "message", "status", "attempts", "last answer", "next attempt"], d =>
                [d.DeliveryId, d.EndpointId, d.MessageId, Output.Name(d.Status), Output.Count(d.Attempts), LastAnswer(d),
                 d.Status == WebhookDeliveryStatus.Pending ? Output.Time(d.NextAttemptTime) : ""]);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Replay(Func<CliContext> context)
    {
        var deliveryId = new Argument<string>("delivery-id") { Description = "The delivery to send again (same webhook-id), e.g. dlv_…" };
        var command = new Command("replay", "Send a delivery again now, whatever its status.") { deliveryId };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ctx = context();
            var delivery = await new Webhooks.WebhooksClient(ctx.Invoker).ReplayWebhookDeliveryAsync(
                new ReplayWebhookDeliveryRequest { DeliveryId = parse.GetValue(deliveryId)! }, cancellationToken: cancellationToken);
            Output.Print(ctx, delivery, table =>
            {
                table.AddRow("delivery id", delivery.DeliveryId);
                table.AddRow("status", Output.Name(delivery.Status));
                table.AddRow("next attempt", Output.Time(delivery.NextAttemptTime));
            });
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Argument<string> EndpointArgument() => new("endpoint-id") { Description = "The endpoint, e.g. whe_…" };

    private static string LastAnswer(WebhookDelivery d) =>
        d.LastError.Length > 0 ? d.LastError : d.LastStatusCode > 0 ? $"HTTP {d.LastStatusCode}" : "";

    private static void Endpoint(CliContext ctx, WebhookEndpoint endpoint) => Output.Print(ctx, endpoint, table =>
    {
        table.AddRow("endpoint id", endpoint.EndpointId);
        table.AddRow("url", Markup.Escape(endpoint.Url));
        table.AddRow("enabled", endpoint.Enabled ? "yes" : $"no ({Markup.Escape(endpoint.DisabledReason)})");
        table.AddRow("description", Markup.Escape(endpoint.Description));
        table.AddRow("created", Output.Time(endpoint.CreateTime));
    });
}
