using System.Net;

namespace Pool.Api.Auth;

/// <summary>
/// A key's address allowlist: networks in CIDR notation, IPv4 or IPv6. An empty list allows any
/// address; a non-empty one allows only a known peer address inside one of its networks (an IPv4
/// address seen as IPv4-mapped IPv6 is compared as IPv4).
/// </summary>
public sealed class KeyAllowlist
{
    /// <summary>Most networks one key may list.</summary>
    public const int MaxNetworks = 32;

    private readonly IPNetwork[] _networks;

    private KeyAllowlist(IPNetwork[] networks) => _networks = networks;

    public static KeyAllowlist Any { get; } = new([]);

    public bool IsEmpty => _networks.Length == 0;

    /// <summary>The allowlist of stored networks (PostgreSQL's cidr text); a stored entry that does not parse allows nothing.</summary>
    public static KeyAllowlist Of(IReadOnlyList<string> cidrs)
    {
        ArgumentNullException.ThrowIfNull(cidrs);
        return cidrs.Count == 0 ? Any : new([.. cidrs.Select(c => TryParse(c, out var network) ? network : new IPNetwork(IPAddress.None, 32))]);
    }

    /// <summary>
    /// A network in CIDR notation ("10.0.0.0/8", "2001:db8::/32"), or a bare address for one host; no
    /// bits may be set after the prefix.
    /// </summary>
    public static bool TryParse(string? text, out IPNetwork network)
    {
        network = default;
        var value = text?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        if (!value.Contains('/', StringComparison.Ordinal))
        {
            if (!IPAddress.TryParse(value, out var host))
            {
                return false;
            }

            network = new IPNetwork(host, host.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }

        // IPNetwork.TryParse masks an address with bits set after the prefix ("10.1.2.3/8"); such an
        // entry is refused instead, as PostgreSQL's cidr refuses it, since it is most likely a typo.
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        return IPNetwork.TryParse(value, out network)
            && IPAddress.TryParse(value.AsSpan(0, slash), out var written)
            && written.Equals(network.BaseAddress);
    }

    /// <summary>Whether a call from <paramref name="address"/> (null: unknown) may use the key.</summary>
    public bool Allows(IPAddress? address)
    {
        if (IsEmpty)
        {
            return true;
        }

        if (address is null)
        {
            return false;
        }

        var normalized = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return _networks.Any(network => network.Contains(normalized));
    }
}
