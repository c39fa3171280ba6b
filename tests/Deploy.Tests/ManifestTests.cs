using Pool.Testing;

namespace Pool.Deploy.Tests;

/// <summary>deploy/k8s rendered as `kubectl kustomize` renders it, checked against the process it runs.</summary>
public sealed class ManifestTests
{
    private static readonly string s_directory = Path.Combine(Repository.Root, "deploy", "k8s");

    private static List<Resource> Render() => Kustomization.Render(s_directory);

    private static List<string> Check(List<Resource> resources) =>
        ManifestRules.Check(resources, Artifacts.Dockerfiles.Keys.ToHashSet(StringComparer.Ordinal), Artifacts.HealthPaths());

    private static Resource One(List<Resource> resources, string kind, string name) =>
        resources.Single(r => r.Kind == kind && r.Name == name);

    private static Dictionary<object, object?> Container(List<Resource> resources, string kind, string name) =>
        Workloads.Containers(One(resources, kind, name)).First();

    private static Dictionary<object, object?> Env(Dictionary<object, object?> container, string name) =>
        Yaml.Maps(container, "env").Single(e => Yaml.Text(e, "name") == name);

    [Fact]
    public void Every_manifest_follows_every_rule()
    {
        var problems = Check(Render());

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void The_rendering_holds_the_silos_the_api_front_ends_their_autoscaler_and_the_network_policies()
    {
        var resources = Render();

        Assert.Equal("silo", Yaml.Text(Env(Container(resources, "Deployment", "pool-silo"), "Pool__Role"), "value"));
        Assert.Equal("api", Yaml.Text(Env(Container(resources, "Deployment", "pool-api"), "Pool__Role"), "value"));
        Assert.Equal("autoscaling/v2", Yaml.Text(One(resources, "HorizontalPodAutoscaler", "pool-api").Body, "apiVersion"));
        Assert.Equal(["default-deny-ingress", "pool-api", "pool-silo", "postgres"], resources.Where(r => r.Kind == "NetworkPolicy").Select(r => r.Name).Order());
        Assert.All(resources.Where(r => r.Kind != "Namespace"), r => Assert.Equal("pool", Yaml.Text(r.Body, "metadata", "namespace")));
        Assert.All(
            resources.SelectMany(Workloads.Containers).Select(c => Yaml.Text(c, "image")!).Where(i => !i.StartsWith("postgres", StringComparison.Ordinal)),
            image => Assert.Equal("ghcr.io/example/pool-silo:unreleased", image));
    }

    [Fact]
    public void The_grpc_service_selects_the_api_pods_and_the_dashboard_service_the_silos()
    {
        var resources = Render();

        Assert.Equal("pool-api", Yaml.Text(One(resources, "Service", "pool-grpc").Body, "spec", "selector", "app.kubernetes.io/name"));
        Assert.Equal("pool-api", Yaml.Text(One(resources, "Service", "pool-carriers").Body, "spec", "selector", "app.kubernetes.io/name"));
        Assert.Equal("pool-silo", Yaml.Text(One(resources, "Service", "pool-http").Body, "spec", "selector", "app.kubernetes.io/name"));
    }

    [Fact]
    public void PostgreSQL_admits_only_silo_api_and_migration_pods_and_the_silo_ports_only_silo_and_api_pods()
    {
        var resources = Render();
        var postgres = Yaml.Maps(One(resources, "NetworkPolicy", "postgres").Body, "spec", "ingress").Single();
        var silo = Yaml.Maps(One(resources, "NetworkPolicy", "pool-silo").Body, "spec", "ingress").ToList();
        bool Admits(Dictionary<object, object?> rule, string app) =>
            Yaml.Maps(rule, "from").Any(f => Workloads.Selects(Yaml.Map(f, "podSelector"), new Dictionary<string, string> { ["app.kubernetes.io/name"] = app }));

        Assert.True(Admits(postgres, "pool-silo") && Admits(postgres, "pool-api") && Admits(postgres, "pool-migrate"));
        Assert.False(Admits(postgres, "something-else"));
        var siloPorts = silo.Single(r => Yaml.Maps(r, "ports").Any(p => Yaml.Text(p, "port") == "silo"));
        Assert.Equal(["gateway", "silo"], Yaml.Maps(siloPorts, "ports").Select(p => Yaml.Text(p, "port")).Order());
        Assert.True(Admits(siloPorts, "pool-silo") && Admits(siloPorts, "pool-api"));
        Assert.False(Admits(siloPorts, "pool-migrate"));
    }

    [Fact]
    public void An_unknown_field_or_a_missing_resource_in_the_kustomization_is_an_error()
    {
        var directory = Directory.CreateTempSubdirectory("pool-k8s-");
        try
        {
            foreach (var file in Directory.GetFiles(s_directory, "*.yaml"))
            {
                File.Copy(file, Path.Combine(directory.FullName, Path.GetFileName(file)));
            }

            File.Delete(Path.Combine(directory.FullName, "hpa.yaml"));
            Assert.Contains("resource hpa.yaml does not exist", Assert.Throws<InvalidDataException>(() => Kustomization.Render(directory.FullName)).Message, StringComparison.Ordinal);

            File.AppendAllText(Path.Combine(directory.FullName, "kustomization.yaml"), "patches:\n  - path: x.yaml\n");
            Assert.Contains("fields this check does not render: patches", Assert.Throws<InvalidDataException>(() => Kustomization.Render(directory.FullName)).Message, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    public static TheoryData<string, string> Breakages() => new()
    {
        { "api containerPort 7401 -> 8080", "containerPort 8080 (http) is not a port pool-silo listens on" },
        { "api env Pool__Api__HttpPort -> Pool__Api__HttpPorts", "env Pool__Api__HttpPorts: ApiHostOptions (section Pool:Api) does not read it" },
        { "api env Pool__Telemetry -> Pool__Telemetri", "no options class reads section Pool:Telemetri" },
        { "api Pool__Api__GrpcPort -> 7401", "pool-silo refuses these settings: Pool:Api:GrpcPort and Pool:Api:HttpPort must differ" },
        { "api readinessProbe path -> /ready", "readinessProbe path /ready is none of the health endpoints" },
        { "silo image -> pool:latest", "image ghcr.io/example/pool:latest is not pinned" },
        { "api ClusterId -> other", "would not find each other" },
        { "service pool-grpc selector -> pool-apis", "Service/pool-grpc (api.yaml): its selector selects no pod" },
        { "networkpolicy postgres port -> postgresql", "NetworkPolicy/postgres (networkpolicy.yaml): port postgres" },
        { "networkpolicy pool-api podSelector -> pool-apy", "NetworkPolicy/pool-api (networkpolicy.yaml): its podSelector selects no pod" },
        { "api readOnlyRootFilesystem -> false", "readOnlyRootFilesystem must be true" },
        { "hpa target -> pool-apis", "scaleTargetRef names no workload here" },
        { "silo drops the gateway port", "pool-silo listens on 7420 but the container does not declare it" },
        { "api sets replicas", "sets replicas: 3, which every `kubectl apply` would reset under the autoscaler" },
        { "api requests no cpu", "scales on CPU utilization but a container of Deployment/pool-api (api.yaml) requests no CPU" },
    };

    [Theory]
    [MemberData(nameof(Breakages))]
    public void A_broken_manifest_fails_with_the_rule_it_breaks(string breakage, string expected)
    {
        var resources = Render();
        var api = Container(resources, "Deployment", "pool-api");
        var silo = Container(resources, "Deployment", "pool-silo");
        switch (breakage)
        {
            case "api containerPort 7401 -> 8080":
                Yaml.Maps(api, "ports").Single(p => Yaml.Text(p, "name") == "http")["containerPort"] = "8080";
                break;
            case "api env Pool__Api__HttpPort -> Pool__Api__HttpPorts":
                Env(api, "Pool__Api__HttpPort")["name"] = "Pool__Api__HttpPorts";
                break;
            case "api env Pool__Telemetry -> Pool__Telemetri":
                ((List<object?>)api["env"]!).Add(new Dictionary<object, object?> { ["name"] = "Pool__Telemetri__Enabled", ["value"] = "true" });
                break;
            case "api Pool__Api__GrpcPort -> 7401":
                Env(api, "Pool__Api__GrpcPort")["value"] = "7401";
                break;
            case "api readinessProbe path -> /ready":
                Yaml.Map(api, "readinessProbe", "httpGet")!["path"] = "/ready";
                break;
            case "silo image -> pool:latest":
                silo["image"] = "ghcr.io/example/pool:latest";
                break;
            case "api ClusterId -> other":
                Env(api, "Pool__Cluster__ClusterId")["value"] = "other";
                break;
            case "service pool-grpc selector -> pool-apis":
                Yaml.Map(One(resources, "Service", "pool-grpc").Body, "spec", "selector")!["app.kubernetes.io/name"] = "pool-apis";
                break;
            case "networkpolicy postgres port -> postgresql":
                // The policy now names a port the pods it selects do not have.
                Yaml.Maps(Yaml.Maps(One(resources, "NetworkPolicy", "postgres").Body, "spec", "ingress").Single(), "ports").Single()["port"] = "postgresql";
                break;
            case "networkpolicy pool-api podSelector -> pool-apy":
                Yaml.Map(One(resources, "NetworkPolicy", "pool-api").Body, "spec", "podSelector", "matchLabels")!["app.kubernetes.io/name"] = "pool-apy";
                break;
            case "api readOnlyRootFilesystem -> false":
                Yaml.Map(api, "securityContext")!["readOnlyRootFilesystem"] = "false";
                break;
            case "hpa target -> pool-apis":
                Yaml.Map(One(resources, "HorizontalPodAutoscaler", "pool-api").Body, "spec", "scaleTargetRef")!["name"] = "pool-apis";
                break;
            case "silo drops the gateway port":
                ((List<object?>)silo["ports"]!).RemoveAll(p => Yaml.Text(p, "name") == "gateway");
                break;
            case "api sets replicas":
                Yaml.Map(One(resources, "Deployment", "pool-api").Body, "spec")!["replicas"] = "3";
                break;
            case "api requests no cpu":
                Yaml.Map(api, "resources", "requests")!.Remove("cpu");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(breakage), breakage, "no such breakage");
        }

        var problems = Check(resources);

        Assert.True(problems.Any(p => p.Contains(expected, StringComparison.Ordinal)), $"expected a problem containing \"{expected}\", got:\n{string.Join('\n', problems)}");
    }
}
