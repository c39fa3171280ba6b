using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace Pool.Deploy.Tests;

/// <summary>One Kubernetes object as parsed YAML (maps are Dictionary&lt;object, object?&gt;, lists List&lt;object?&gt;, scalars strings).</summary>
/// <param name="File">The file it came from, for messages.</param>
public sealed record Resource(string File, Dictionary<object, object?> Body)
{
    public string Kind => Yaml.Text(Body, "kind") ?? "";

    public string Name => Yaml.Text(Body, "metadata", "name") ?? "";

    public override string ToString() => $"{Kind}/{Name} ({File})";
}

/// <summary>Reading and walking the parsed YAML.</summary>
public static class Yaml
{
    public static object? Get(object? node, params string[] path)
    {
        foreach (var key in path)
        {
            node = node is Dictionary<object, object?> map && map.TryGetValue(key, out var value) ? value : null;
        }

        return node;
    }

    public static string? Text(object? node, params string[] path) => Get(node, path) as string;

    public static Dictionary<object, object?>? Map(object? node, params string[] path) => Get(node, path) as Dictionary<object, object?>;

    public static IEnumerable<Dictionary<object, object?>> Maps(object? node, params string[] path) =>
        (Get(node, path) as List<object?> ?? []).OfType<Dictionary<object, object?>>();

    public static IEnumerable<string> Texts(object? node, params string[] path) =>
        (Get(node, path) as List<object?> ?? []).OfType<string>();

    public static Dictionary<string, string> Labels(object? node, params string[] path) =>
        (Map(node, path) ?? []).Where(kv => kv.Value is string).ToDictionary(kv => (string)kv.Key, kv => (string)kv.Value!, StringComparer.Ordinal);

    /// <summary>Every document of a YAML stream, as maps.</summary>
    public static List<Dictionary<object, object?>> Documents(string text)
    {
        var deserializer = new DeserializerBuilder().Build();
        var parser = new Parser(new StringReader(text));
        parser.Consume<StreamStart>();
        var documents = new List<Dictionary<object, object?>>();
        while (parser.Accept<DocumentStart>(out _))
        {
            if (deserializer.Deserialize(parser) is Dictionary<object, object?> document)
            {
                documents.Add(document);
            }
        }

        return documents;
    }
}

/// <summary>
/// What `kubectl kustomize deploy/k8s` renders, for the fields deploy/k8s/kustomization.yaml uses:
/// the resources in order, `namespace` on every namespaced object, `labels` on every object's
/// metadata (not selectors), and `images` overrides. A field it does not know is an error, so the
/// rendering never silently differs from kustomize's.
/// </summary>
public static class Kustomization
{
    private static readonly HashSet<string> s_known = ["apiVersion", "kind", "namespace", "resources", "labels", "images"];

    /// <exception cref="InvalidDataException">A missing or unreadable resource, or a field this renderer does not apply.</exception>
    public static List<Resource> Render(string directory)
    {
        var file = Path.Combine(directory, "kustomization.yaml");
        var kustomization = Yaml.Documents(File.ReadAllText(file)).Single();
        var unknown = kustomization.Keys.Cast<string>().Where(k => !s_known.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidDataException($"{file}: fields this check does not render: {string.Join(", ", unknown)}");
        }

        var resources = new List<Resource>();
        foreach (var name in Yaml.Texts(kustomization, "resources"))
        {
            var path = Path.Combine(directory, name);
            if (!File.Exists(path))
            {
                throw new InvalidDataException($"{file}: resource {name} does not exist");
            }

            List<Dictionary<object, object?>> documents;
            try
            {
                documents = Yaml.Documents(File.ReadAllText(path));
            }
            catch (YamlException ex)
            {
                throw new InvalidDataException($"{name}: not valid YAML: {ex.Message}", ex);
            }

            foreach (var document in documents)
            {
                if (Yaml.Text(document, "kind") is null || Yaml.Text(document, "apiVersion") is null || Yaml.Text(document, "metadata", "name") is null)
                {
                    throw new InvalidDataException($"{name}: a document without apiVersion, kind or metadata.name");
                }

                resources.Add(new Resource(name, document));
            }
        }

        var ns = Yaml.Text(kustomization, "namespace");
        foreach (var resource in resources)
        {
            var metadata = Yaml.Map(resource.Body, "metadata")!;
            if (ns is not null && resource.Kind is not ("Namespace" or "ClusterRole" or "ClusterRoleBinding"))
            {
                metadata["namespace"] = ns;
            }

            foreach (var pairs in Yaml.Maps(kustomization, "labels").Select(l => Yaml.Map(l, "pairs") ?? []))
            {
                var labels = Yaml.Map(metadata, "labels") ?? [];
                metadata["labels"] = labels;
                foreach (var (key, value) in pairs)
                {
                    labels[key] = value;
                }
            }

            foreach (var container in Workloads.Containers(resource))
            {
                var image = Yaml.Text(container, "image") ?? "";
                var (repository, _) = Images.Split(image);
                foreach (var rule in Yaml.Maps(kustomization, "images").Where(r => Yaml.Text(r, "name") == repository))
                {
                    var newRepository = Yaml.Text(rule, "newName") ?? repository;
                    container["image"] = Yaml.Text(rule, "digest") is { } digest ? $"{newRepository}@{digest}"
                        : $"{newRepository}:{Yaml.Text(rule, "newTag") ?? Images.Split(image).Tag}";
                }
            }
        }

        return resources;
    }
}

public static class Images
{
    /// <summary>"registry/path/name:tag" into repository and tag (null when none; "@sha256:…" digests count as a tag).</summary>
    public static (string Repository, string? Tag) Split(string image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var at = image.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            return (image[..at], image[at..]);
        }

        var colon = image.LastIndexOf(':');
        return colon > image.LastIndexOf('/') ? (image[..colon], image[(colon + 1)..]) : (image, null);
    }
}

/// <summary>Pod templates and their containers in workload objects.</summary>
public static class Workloads
{
    public static Dictionary<object, object?>? PodTemplate(Resource resource) => resource.Kind switch
    {
        "Deployment" or "StatefulSet" or "DaemonSet" or "Job" or "ReplicaSet" => Yaml.Map(resource.Body, "spec", "template"),
        "CronJob" => Yaml.Map(resource.Body, "spec", "jobTemplate", "spec", "template"),
        "Pod" => resource.Body,
        _ => null,
    };

    public static IEnumerable<Dictionary<object, object?>> Containers(Resource resource) =>
        PodTemplate(resource) is { } pod ? Yaml.Maps(pod, "spec", "containers").Concat(Yaml.Maps(pod, "spec", "initContainers")) : [];

    /// <summary>Whether a label selector (matchLabels and In/NotIn/Exists/DoesNotExist expressions) selects these labels.</summary>
    public static bool Selects(Dictionary<object, object?>? selector, IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (selector is null)
        {
            return false;
        }

        var matchLabels = Yaml.Map(selector, "matchLabels");
        var expressions = Yaml.Maps(selector, "matchExpressions").ToList();
        // A selector with neither field is the plain key=value map of a Service.
        var plain = matchLabels is null && expressions.Count == 0 ? selector : matchLabels ?? [];
        foreach (var (key, value) in plain)
        {
            if (!labels.TryGetValue((string)key, out var actual) || actual != value as string)
            {
                return false;
            }
        }

        foreach (var expression in expressions)
        {
            var key = Yaml.Text(expression, "key") ?? "";
            var values = Yaml.Texts(expression, "values").ToList();
            var has = labels.TryGetValue(key, out var actual);
            var ok = Yaml.Text(expression, "operator") switch
            {
                "In" => has && values.Contains(actual!),
                "NotIn" => !has || !values.Contains(actual!),
                "Exists" => has,
                "DoesNotExist" => !has,
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}
