using static Netlink.Netfilter.IpSet.IpSetConstants;

namespace Netlink.Netfilter.IpSet;

/// <summary>ipset's error numbers in words, with the symbolic name; ordinary errnos as the C library says them.</summary>
internal static class IpSetErrors
{
    public static string Describe(int errno, string operation)
    {
        bool delete = operation.StartsWith("delete", StringComparison.Ordinal);
        bool rename = operation.StartsWith("rename", StringComparison.Ordinal);
        (string text, string name) = errno switch
        {
            // nfnetlink answers EINVAL for a subsystem nobody registered: the first request finds out.
            Errno.EINVAL when operation == "look up set type" => ("the kernel has no ip_set: load its ip_set kernel module", "EINVAL"),
            Errno.ENOENT => ("no set of that name exists", "ENOENT"),
            Errno.EEXIST => ("a set of that name exists already", "EEXIST"),
            Errno.EPERM => ("not permitted: ipset needs CAP_NET_ADMIN in the network namespace", "EPERM"),
            ErrProtocol => ("the kernel could not parse the request (ipset protocol error)", "IPSET_ERR_PROTOCOL"),
            ErrFindType => ("the kernel has no such set type or revision: load its module (ip_set_hash_ipport for hash:ip,port, and so on)", "IPSET_ERR_FIND_TYPE"),
            ErrMaxSets => ("the kernel's limit on the number of sets is reached (ip_set max_sets)", "IPSET_ERR_MAX_SETS"),
            ErrBusy => ("the set is in use by an iptables rule or another set; remove the reference first", "IPSET_ERR_BUSY"),
            ErrExistSetName2 => (rename ? "a set of the new name exists already" : "the second set does not exist", "IPSET_ERR_EXIST_SETNAME2"),
            ErrTypeMismatch => ("the two sets differ in type or family", "IPSET_ERR_TYPE_MISMATCH"),
            ErrExist => (delete ? "the element is not in the set"
                : operation.StartsWith("create", StringComparison.Ordinal) ? "a set of that name exists with another type or settings"
                : "the element is in the set already", "IPSET_ERR_EXIST"),
            ErrInvalidCidr => ("the prefix length is out of range for the set", "IPSET_ERR_INVALID_CIDR"),
            ErrInvalidNetmask => ("the netmask is out of range", "IPSET_ERR_INVALID_NETMASK"),
            ErrInvalidFamily => ("the address family does not match the set's", "IPSET_ERR_INVALID_FAMILY"),
            ErrTimeout => ("the set was created without timeout support", "IPSET_ERR_TIMEOUT"),
            ErrReferenced => ("the set is referenced by a rule and cannot be renamed or destroyed", "IPSET_ERR_REFERENCED"),
            ErrIpAddrIpv4 => ("an IPv4 address was expected", "IPSET_ERR_IPADDR_IPV4"),
            ErrIpAddrIpv6 => ("an IPv6 address was expected", "IPSET_ERR_IPADDR_IPV6"),
            ErrTypeSpecific => ("the set is full (maxelem), or the element is outside a bitmap set's range", "IPSET_ERR_TYPE_SPECIFIC"),
            > ErrTypeSpecific and < ErrTypeSpecific + 16 => ($"the set type refused the element (its error {errno - ErrTypeSpecific})", "IPSET_ERR_TYPE_SPECIFIC+" + (errno - ErrTypeSpecific)),
            > ErrPrivate and < ErrTypeSpecific => ($"ipset error {errno}", "IPSET_ERR_" + errno),
            _ => (Errno.Describe(errno), Errno.Name(errno)),
        };
        return $"{text} ({name})";
    }
}
