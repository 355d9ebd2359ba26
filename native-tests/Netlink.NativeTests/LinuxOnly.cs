// The native tests drive Linux's own kernel interfaces (netlink, network namespaces, IPVS): Linux is all they run on.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
