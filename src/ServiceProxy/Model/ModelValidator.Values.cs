using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Netlink;
using Netlink.Ipvs;

namespace ServiceProxy.Model;

/// <summary>The checks of single values: numbers in range, names from a list.</summary>
internal sealed partial class ModelValidator
{
    private int? Integer(Scalar? value, string item, int min, int max, string fix)
    {
        if (value is null)
        {
            return null;
        }
        if (!long.TryParse(value.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long number))
        {
            Error(value, $"{item} (line {value.Line}): '{value.Text}' is not a whole number: {fix}");
            return null;
        }
        if (number < min || number > max)
        {
            Error(value, $"{item} (line {value.Line}): {number} is out of range: {fix}");
            return null;
        }
        return (int)number;
    }

    private int? Weight(Scalar? value, string item)
    {
        if (value is not null && long.TryParse(value.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long number) && number < 0)
        {
            Error(value, $"{item} (line {value.Line}): weight {number} is negative: use 0 (no new connections) to 65535");
            return null;
        }
        return Integer(value, item, 0, 65535, "use a weight from 0 (no new connections) to 65535");
    }

    private string? Scheduler(Scalar? value, string item)
    {
        if (value is null)
        {
            return null;
        }
        if (Array.IndexOf(ModelNames.Schedulers, value.Text) < 0)
        {
            Error(value, $"{item} (line {value.Line}): unknown scheduler '{value.Text}': use one of {string.Join(' ', ModelNames.Schedulers)}");
            return null;
        }
        return value.Text;
    }

    private ForwardingMethod? Forward(Scalar? value, string item) => Named(value, item, ModelNames.Forwards);

    private T? Named<T>(Scalar? value, string item, (string Name, T Value)[] names)
        where T : struct
    {
        if (value is null)
        {
            return null;
        }
        foreach ((string name, T known) in names)
        {
            if (string.Equals(name, value.Text, StringComparison.Ordinal))
            {
                return known;
            }
        }
        Error(value, $"{item} (line {value.Line}): unknown value '{value.Text}': use one of {string.Join(' ', names.Select(n => n.Name))}");
        return null;
    }

    private AddressFamily? Family(Scalar? value, string item)
    {
        return value?.Text switch
        {
            null => null,
            "ipv4" or "inet" => AddressFamily.InterNetwork,
            "ipv6" or "inet6" => AddressFamily.InterNetworkV6,
            _ => Fail(),
        };

        AddressFamily? Fail()
        {
            Error(value, $"{item} family (line {value.Line}): unknown family '{value.Text}': use ipv4 or ipv6");
            return null;
        }
    }

    /// <summary>"persistent: 300" (seconds), "persistent: true" (ipvsadm -p's 300), or false / 0 for none.</summary>
    private uint Persistence(Scalar? value, string item)
    {
        if (value is null || value.Text is "false" or "0")
        {
            return 0;
        }
        if (value.Text == "true")
        {
            return 300;
        }
        return (uint)(Integer(value, item + " persistent", 1, MaxPersistence, $"use seconds from 1 to {MaxPersistence}, true (300) or false") ?? 0);
    }

    /// <summary>
    /// IPv4: a mask (255.255.255.0, or 0.0.0.0 for every client in one group) or prefix length (24, 0); IPv6: a prefix
    /// length (64). Absent (or invalid, with the error noted): null, a single address.
    /// </summary>
    private PersistenceNetmask? Netmask(Scalar? value, AddressFamily family, string item)
    {
        if (value is null)
        {
            return null;
        }
        string text = value.Text.TrimStart('/');
        if (family == AddressFamily.InterNetworkV6)
        {
            int? length = Integer(value with { Text = text }, item + " netmask", 1, 128, "use an IPv6 prefix length from 1 to 128");
            return length is null ? null : PersistenceNetmask.FromIpv6PrefixLength(length.Value);
        }
        if (!text.Contains('.', StringComparison.Ordinal))
        {
            int? prefix = Integer(value with { Text = text }, item + " netmask", 0, 32, "use a prefix length from 0 to 32 or a mask like 255.255.255.0");
            return prefix is null ? null : PersistenceNetmask.FromIpv4PrefixLength(prefix.Value);
        }
        if (AddressSyntax.TryParseIp(text, out IPAddress? mask) && mask!.AddressFamily == AddressFamily.InterNetwork)
        {
            uint bits = Ipv4Number.FromAddress(mask);
            // A mask is ones then zeros: inverted and plus one, that is a power of two (or zero for all ones).
            uint inverted = ~bits;
            if ((inverted & (inverted + 1)) == 0)
            {
                return PersistenceNetmask.FromIpv4Mask(bits);
            }
        }
        Error(value, $"{item} netmask (line {value.Line}): '{value.Text}' is not a netmask: use a mask like 255.255.255.0 or a prefix length like 24");
        return null;
    }

    private ServiceFlags ServiceFlagsOf(List<Scalar> names, string scheduler, string item)
    {
        ServiceFlags flags = ServiceFlags.None;
        foreach (Scalar name in names)
        {
            int index = Array.FindIndex(ModelNames.Flags, f => string.Equals(f.Name, name.Text, StringComparison.Ordinal));
            if (index < 0)
            {
                Error(name, $"{item} flags (line {name.Line}): unknown flag '{name.Text}': use {string.Join(", ", ModelNames.Flags.Select(f => f.Name))}");
                continue;
            }
            (_, ServiceFlags flag, string? owner) = ModelNames.Flags[index];
            if (owner is not null && !string.Equals(owner, scheduler, StringComparison.Ordinal))
            {
                Error(name, $"{item} flags (line {name.Line}): {name.Text} is a flag of the {owner} scheduler, this service uses {scheduler}: use sched: {owner} or flag-1/flag-2");
                continue;
            }
            flags |= flag;
        }
        return flags;
    }

    private string? PersistenceEngine(Scalar? value, string item)
    {
        if (value is null)
        {
            return null;
        }
        if (Array.IndexOf(ModelNames.PersistenceEngines, value.Text) < 0)
        {
            Error(value, $"{item} pe (line {value.Line}): unknown persistence engine '{value.Text}': use {string.Join(' ', ModelNames.PersistenceEngines)}");
            return null;
        }
        return value.Text;
    }
}
