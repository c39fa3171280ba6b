using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Pool.Silo.Configuration;

namespace Pool.Deploy.Tests;

/// <summary>
/// Checks rendered manifests against the process they run: images are Pool's own (or an allowed
/// third-party one), every port and probe is one the process listens on with the settings the
/// manifest gives it, every Pool__ variable is a real setting and the settings start, selectors
/// select pods that exist, and every Pool container runs non-root on a read-only root.
/// </summary>
public static class ManifestRules
{
    /// <summary>Images Pool runs but does not build (the in-cluster PostgreSQL).</summary>
    public static readonly IReadOnlySet<string> ThirdPartyImages = new HashSet<string>(StringComparer.Ordinal) { "postgres" };

    private static readonly string[] s_optionAssemblies = ["pool-silo", "Pool.Grains", "Pool.Carriers", "Pool.Api"];

    public static List<string> Check(IReadOnlyList<Resource> resources, IReadOnlySet<string> images, IReadOnlySet<string> healthPaths)
    {
        ArgumentNullException.ThrowIfNull(resources);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(healthPaths);
        var problems = new List<string>();
        var pods = resources.Where(r => Workloads.PodTemplate(r) is not null).ToList();
        var clusters = new List<(Resource Where, string ServiceId, string ClusterId)>();

        foreach (var workload in pods)
        {
            var template = Workloads.PodTemplate(workload)!;
            var labels = Yaml.Labels(template, "metadata", "labels");
            if (workload.Kind != "Job" && !Workloads.Selects(Yaml.Map(workload.Body, "spec", "selector"), labels))
            {
                problems.Add($"{workload}: spec.selector does not select its own pod template's labels");
            }

            foreach (var container in Workloads.Containers(workload))
            {
                var name = $"{workload} container {Yaml.Text(container, "name")}";
                var image = Yaml.Text(container, "image") ?? "";
                var (repository, tag) = Images.Split(image);
                var shortName = repository[(repository.LastIndexOf('/') + 1)..];
                if (tag is null || tag == "latest")
                {
                    problems.Add($"{name}: image {image} is not pinned to a tag (never 'latest')");
                }

                if (ThirdPartyImages.Contains(repository))
                {
                    continue;
                }

                if (!images.Contains(shortName))
                {
                    problems.Add($"{name}: image {image} is none of the images deploy/docker builds ({string.Join(", ", images.Order())})");
                    continue;
                }

                CheckSecurity(name, template, container, problems);
                if (shortName == "pool-silo")
                {
                    CheckSilo(name, workload, template, container, healthPaths, problems, clusters);
                }
            }
        }

        foreach (var group in clusters.GroupBy(c => (c.ServiceId, c.ClusterId)).Skip(1))
        {
            problems.Add($"{group.First().Where}: Pool:Cluster ServiceId/ClusterId {group.Key} differ from {clusters[0].Where}'s ({clusters[0].ServiceId}, {clusters[0].ClusterId}): its processes would not find each other");
        }

        foreach (var service in resources.Where(r => r.Kind == "Service"))
        {
            var selector = Yaml.Map(service.Body, "spec", "selector");
            var selected = pods.Where(p => Workloads.Selects(selector, Yaml.Labels(Workloads.PodTemplate(p), "metadata", "labels"))).ToList();
            if (selected.Count == 0)
            {
                problems.Add($"{service}: its selector selects no pod");
            }

            foreach (var port in Yaml.Maps(service.Body, "spec", "ports"))
            {
                var target = Yaml.Text(port, "targetPort") ?? Yaml.Text(port, "port") ?? "";
                foreach (var pod in selected.Where(p => ContainerPort(p, target) is null))
                {
                    problems.Add($"{service}: targetPort {target} is no container port of {pod}");
                }
            }
        }

        foreach (var budget in resources.Where(r => r.Kind == "PodDisruptionBudget"))
        {
            if (!pods.Any(p => Workloads.Selects(Yaml.Map(budget.Body, "spec", "selector"), Yaml.Labels(Workloads.PodTemplate(p), "metadata", "labels"))))
            {
                problems.Add($"{budget}: its selector selects no pod");
            }
        }

        foreach (var scaler in resources.Where(r => r.Kind == "HorizontalPodAutoscaler"))
        {
            var target = pods.FirstOrDefault(p => p.Kind == Yaml.Text(scaler.Body, "spec", "scaleTargetRef", "kind") && p.Name == Yaml.Text(scaler.Body, "spec", "scaleTargetRef", "name"));
            if (target is null)
            {
                problems.Add($"{scaler}: scaleTargetRef names no workload here");
            }
            else if (Yaml.Text(target.Body, "spec", "replicas") is { } replicas)
            {
                problems.Add($"{scaler}: {target} sets replicas: {replicas}, which every `kubectl apply` would reset under the autoscaler");
            }
            else if (Yaml.Maps(scaler.Body, "spec", "metrics").Any(m => Yaml.Text(m, "resource", "name") == "cpu")
                && Workloads.Containers(target).Any(c => Yaml.Text(c, "resources", "requests", "cpu") is null))
            {
                problems.Add($"{scaler}: scales on CPU utilization but a container of {target} requests no CPU");
            }
        }

        foreach (var policy in resources.Where(r => r.Kind == "NetworkPolicy"))
        {
            var targets = pods.Where(p => Workloads.Selects(Yaml.Map(policy.Body, "spec", "podSelector"), Yaml.Labels(Workloads.PodTemplate(p), "metadata", "labels"))).ToList();
            if (targets.Count == 0)
            {
                problems.Add($"{policy}: its podSelector selects no pod");
            }

            foreach (var rule in Yaml.Maps(policy.Body, "spec", "ingress"))
            {
                foreach (var from in Yaml.Maps(rule, "from").Where(f => Yaml.Map(f, "podSelector") is not null))
                {
                    var peers = pods.Where(p => Workloads.Selects(Yaml.Map(from, "podSelector"), Yaml.Labels(Workloads.PodTemplate(p), "metadata", "labels"))).ToList();
                    if (peers.Count == 0)
                    {
                        problems.Add($"{policy}: an ingress podSelector selects no pod");
                    }
                }

                foreach (var port in Yaml.Maps(rule, "ports"))
                {
                    var value = Yaml.Text(port, "port") ?? "";
                    foreach (var pod in targets.Where(p => ContainerPort(p, value) is null))
                    {
                        problems.Add($"{policy}: port {value} is no container port of {pod}");
                    }
                }
            }
        }

        return problems;
    }

    /// <summary>A pod's container port by name or number, or null.</summary>
    private static int? ContainerPort(Resource pod, string nameOrNumber)
    {
        foreach (var port in Workloads.Containers(pod).SelectMany(c => Yaml.Maps(c, "ports")))
        {
            if (Yaml.Text(port, "name") == nameOrNumber || Yaml.Text(port, "containerPort") == nameOrNumber)
            {
                return int.Parse(Yaml.Text(port, "containerPort")!, CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    private static void CheckSecurity(string name, Dictionary<object, object?> template, Dictionary<object, object?> container, List<string> problems)
    {
        var nonRoot = Yaml.Text(container, "securityContext", "runAsNonRoot") ?? Yaml.Text(template, "spec", "securityContext", "runAsNonRoot");
        if (nonRoot != "true")
        {
            problems.Add($"{name}: runAsNonRoot must be true");
        }

        if (Yaml.Text(container, "securityContext", "readOnlyRootFilesystem") != "true")
        {
            problems.Add($"{name}: readOnlyRootFilesystem must be true");
        }

        if (Yaml.Text(container, "securityContext", "allowPrivilegeEscalation") != "false")
        {
            problems.Add($"{name}: allowPrivilegeEscalation must be false");
        }

        if (!Yaml.Texts(container, "securityContext", "capabilities", "drop").Contains("ALL"))
        {
            problems.Add($"{name}: capabilities must drop ALL");
        }

        var tmp = Yaml.Maps(container, "volumeMounts").FirstOrDefault(m => Yaml.Text(m, "mountPath") == "/tmp");
        var volume = tmp is null ? null : Yaml.Maps(template, "spec", "volumes").FirstOrDefault(v => Yaml.Text(v, "name") == Yaml.Text(tmp, "name"));
        if (volume is null || !volume.ContainsKey("emptyDir"))
        {
            problems.Add($"{name}: needs an emptyDir at /tmp (the read-only root's only writable path: .NET's diagnostics socket)");
        }
    }

    private static void CheckSilo(
        string name, Resource workload, Dictionary<object, object?> template, Dictionary<object, object?> container,
        IReadOnlySet<string> healthPaths, List<string> problems, List<(Resource, string, string)> clusters)
    {
        var settings = Environment(template, container, problems, name);
        foreach (var key in settings.Keys.Where(k => k.StartsWith("Pool:", StringComparison.Ordinal)))
        {
            if (UnknownSetting(key, settings[key]) is { } error)
            {
                problems.Add($"{name}: env {key.Replace(":", "__", StringComparison.Ordinal)}: {error}");
            }
        }

        var args = Yaml.Texts(container, "args").ToList();
        PoolSettings parsed;
        try
        {
            parsed = Artifacts.SiloSettings(settings.Concat(args.Skip(1).Select(Argument)));
        }
        catch (OptionsValidationException ex)
        {
            problems.Add($"{name}: pool-silo refuses these settings: {string.Join("; ", ex.Failures)}");
            return;
        }

        var tool = args.FirstOrDefault() is "migrate" or "keys" or "health";
        var listening = tool ? new HashSet<int>() : Artifacts.ListenPorts(parsed);
        var declared = new HashSet<int>();
        foreach (var port in Yaml.Maps(container, "ports"))
        {
            var number = int.Parse(Yaml.Text(port, "containerPort") ?? "0", CultureInfo.InvariantCulture);
            declared.Add(number);
            if (!listening.Contains(number))
            {
                problems.Add($"{name}: containerPort {number} ({Yaml.Text(port, "name")}) is not a port pool-silo listens on with these settings ({string.Join(", ", listening.Order())})");
            }
        }

        foreach (var missing in listening.Except(declared))
        {
            problems.Add($"{name}: pool-silo listens on {missing} but the container does not declare it");
        }

        foreach (var probe in new[] { "startupProbe", "livenessProbe", "readinessProbe" })
        {
            if (Yaml.Map(container, probe) is not { } spec)
            {
                if (!tool && probe != "startupProbe")
                {
                    problems.Add($"{name}: a serving pool-silo needs a {probe}");
                }

                continue;
            }

            var path = Yaml.Text(spec, "httpGet", "path");
            var port = Yaml.Text(spec, "httpGet", "port") ?? "";
            var number = Yaml.Maps(container, "ports").FirstOrDefault(p => Yaml.Text(p, "name") == port) is { } named
                ? int.Parse(Yaml.Text(named, "containerPort")!, CultureInfo.InvariantCulture)
                : int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
            if (path is null || !healthPaths.Contains(path))
            {
                problems.Add($"{name}: {probe} path {path ?? "(none)"} is none of the health endpoints pool-silo maps ({string.Join(", ", healthPaths.Order())})");
            }

            if (number != parsed.Api.HttpPort)
            {
                problems.Add($"{name}: {probe} port {port} is not the HTTP port {parsed.Api.HttpPort} (health is served there)");
            }

            if (probe == "readinessProbe" && path != "/readyz")
            {
                problems.Add($"{name}: readinessProbe must be /readyz (ready = in the cluster), not {path}");
            }
        }

        if (!tool)
        {
            clusters.Add((workload, parsed.Cluster.ServiceId, parsed.Cluster.ClusterId));
        }
    }

    private static KeyValuePair<string, string?> Argument(string argument)
    {
        var equals = argument.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? KeyValuePair.Create(argument.TrimStart('-'), (string?)"") : KeyValuePair.Create(argument[..equals].TrimStart('-'), (string?)argument[(equals + 1)..]);
    }

    /// <summary>
    /// The container's environment as configuration keys (Pool__A__B → Pool:A:B), with $(VAR) expanded
    /// as the kubelet does and downward-API / Secret values replaced by representative ones.
    /// </summary>
    private static Dictionary<string, string?> Environment(Dictionary<object, object?> template, Dictionary<object, object?> container, List<string> problems, string name)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var labels = Yaml.Labels(template, "metadata", "labels");
        foreach (var variable in Yaml.Maps(container, "env"))
        {
            var key = Yaml.Text(variable, "name") ?? "";
            string value;
            if (Yaml.Text(variable, "value") is { } literal)
            {
                value = System.Text.RegularExpressions.Regex.Replace(literal, @"\$\((?<name>[A-Za-z_][A-Za-z0-9_]*)\)",
                    m => values.TryGetValue(m.Groups["name"].Value, out var earlier) ? earlier : m.Value);
            }
            else if (Yaml.Text(variable, "valueFrom", "fieldRef", "fieldPath") is { } field)
            {
                var label = System.Text.RegularExpressions.Regex.Match(field, @"^metadata\.labels\['(?<key>[^']+)'\]$");
                value = field switch
                {
                    "metadata.name" => "pod-0",
                    "metadata.namespace" => "pool",
                    "status.podIP" => "10.0.0.10",
                    _ when label.Success && labels.TryGetValue(label.Groups["key"].Value, out var l) => l,
                    _ => "",
                };
                if (value.Length == 0)
                {
                    problems.Add($"{name}: env {key}: fieldRef {field} gives nothing on this pod");
                }
            }
            else if (Yaml.Map(variable, "valueFrom", "secretKeyRef") is { } secret)
            {
                // A representative value of the secret's kind.
                value = Yaml.Text(secret, "key") == "connection-string" ? "Host=postgres;Port=5432;Database=pool;Username=pool;Password=x" : "secret-value";
            }
            else
            {
                problems.Add($"{name}: env {key} has neither a value nor a valueFrom this check reads");
                continue;
            }

            values[key] = value;
        }

        return values
            .Where(kv => kv.Key.StartsWith("Pool__", StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key.Replace("__", ":", StringComparison.Ordinal), kv => (string?)kv.Value, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Why a Pool:… key is not a setting pool-silo reads, or null: the options class of its section binds it with unknown keys refused.</summary>
    public static string? UnknownSetting(string key, string? value)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Equals(PoolRolesSetting, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var (section, type) = Sections().Where(s => key.StartsWith(s.Section + ":", StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(s => s.Section.Length)
            .FirstOrDefault();
        if (type is null)
        {
            return $"no options class reads section {string.Join(':', key.Split(':').Take(2))}";
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection([KeyValuePair.Create(key, value)]).Build();
        try
        {
            configuration.GetSection(section).Get(type, o => o.ErrorOnUnknownConfiguration = true);
            return null;
        }
        catch (InvalidOperationException ex)
        {
            return $"{type.Name} (section {section}) does not read it: {ex.Message}";
        }
    }

    private const string PoolRolesSetting = "Pool:Role";

    /// <summary>Each section (a `const string Section` of Pool's options classes) and the type bound to it.</summary>
    private static List<(string Section, Type Type)> Sections()
    {
        var sections = new List<(string, Type)>();
        foreach (var assembly in s_optionAssemblies.Select(Assembly.Load))
        {
            foreach (var type in assembly.GetTypes())
            {
                if (type.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } field && field.GetRawConstantValue() is string section)
                {
                    sections.Add((section, BoundType(type)));
                }
            }
        }

        return sections;
    }

    /// <summary>
    /// The type the host binds to a section: the class declaring it, except where a per-entry class declares
    /// it and a collection is bound (Pool:Http → HttpCarriersOptions; Pool:Carriers:&lt;name&gt; → CarrierOptions).
    /// </summary>
    private static Type BoundType(Type declaring) => declaring.FullName switch
    {
        "Pool.Carriers.Http.HttpCarrierOptions" => declaring.Assembly.GetType("Pool.Carriers.Http.HttpCarriersOptions", throwOnError: true)!,
        "Pool.Carriers.Http.CarrierIngressOptions" => typeof(Dictionary<,>).MakeGenericType(typeof(string), declaring.Assembly.GetType("Pool.Carriers.Http.CarrierOptions", throwOnError: true)!),
        _ => declaring,
    };
}
